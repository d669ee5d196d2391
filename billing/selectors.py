"""Reads of the billing app, scoped by the permission policy and shaped for the pages that show them."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Partner, Role, User
from accounts.permissions import scope_by_partner

from .models import LOW_BALANCE_REQUESTS, MONEY, ZERO, DepositAccount, Hold, HoldStatus, Invoice, LedgerEntry, Tariff

ZERO_MONEY = Value(ZERO, output_field=DecimalField(**MONEY))


@dataclass(frozen=True)
class AccountSummary:
    """What a partner sees at the top of the deposit page (and the API answers)."""

    account: DepositAccount | None
    balance: Decimal
    held: Decimal
    available: Decimal
    currency: str
    price_per_request: Decimal

    @property
    def is_low(self) -> bool:
        return self.available < LOW_BALANCE_REQUESTS * self.price_per_request


def account_summary(*, partner: Partner) -> AccountSummary:
    """Balance, held and available money; zeros (and the default tariff) for a partner that has no account yet."""
    account = DepositAccount.objects.filter(partner_id=partner.pk).first()
    tariff = Tariff.objects.filter(partner_id=partner.pk).first() or Tariff(partner_id=partner.pk)
    if account is None:
        return AccountSummary(None, ZERO, ZERO, ZERO, tariff.currency, tariff.price_per_request)
    return AccountSummary(
        account, account.balance, account.held, account.available, account.currency, tariff.price_per_request
    )


def statement(*, account: DepositAccount) -> QuerySet[LedgerEntry]:
    """Every entry of the account in the order it was written; `balance_after` is the running balance."""
    return (
        LedgerEntry.objects.filter(account=account)
        .select_related("actor", "ticket", "invoice")
        .order_by("created_at", "id")
    )


def deposit_overview() -> QuerySet[Partner]:
    """Every partner with its balance and held money (None before its first movement), for administrators."""
    return Partner.objects.annotate(
        balance=F("deposit__balance"), held=F("deposit__held"), currency=F("deposit__currency")
    ).order_by("name")


def invoice_list(*, user: User) -> QuerySet[Invoice]:
    """The invoices the user may see: administrators all, partner owners their own partner's, nobody else any."""
    invoices = scope_by_partner(user, Invoice.objects.select_related("partner", "issued_by", "paid_by"))
    if user.is_authenticated and user.role == Role.PARTNER_MEMBER:
        invoices = invoices.none()
    return invoices.order_by("-issued_at", "-id")


def reconciliation() -> Iterator[DepositAccount]:
    """Every account with the sums its balance and held amount must equal, in one query (reconcile_ledger)."""
    entries = LedgerEntry.objects.filter(account=OuterRef("pk"))
    active_holds = Hold.objects.filter(account=OuterRef("pk"), status=HoldStatus.ACTIVE)
    return (
        DepositAccount.objects.select_related("partner")
        .annotate(
            entries_total=Coalesce(
                Subquery(entries.values("account").annotate(total=Sum("amount")).values("total")), ZERO_MONEY
            ),
            holds_total=Coalesce(
                Subquery(active_holds.values("account").annotate(total=Sum("amount")).values("total")), ZERO_MONEY
            ),
            last_balance_after=Subquery(entries.order_by("-id").values("balance_after")[:1]),
        )
        .order_by("pk")
        .iterator(chunk_size=500)
    )
