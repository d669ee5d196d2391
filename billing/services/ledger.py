"""The core every money movement goes through: lock the account, check the idempotency key, post, save.

Callers hold a `transaction.atomic()` block around these helpers; the account row lock taken by `lock_account`
serialises every movement of one partner's money, so decisions are made on data nobody else can change meanwhile.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Partner, User
from outbox.services import event_emit
from partner_support.errors import InsufficientDeposit, InvalidInput

from ..formatting import amount_number, currency_sign
from ..models import DEPOSIT_LOW, LOW_BALANCE_REQUESTS, DepositAccount, EntryKind, Invoice, LedgerEntry, Tariff
from .pricing import tariff_by_partner_id


def account_for(*, partner: Partner) -> DepositAccount:
    """The partner's deposit account, created empty on first use (safe against a concurrent creator)."""
    account, _ = DepositAccount.objects.get_or_create(partner_id=partner.pk)
    return account


def lock_account(*, partner_id: int) -> DepositAccount:
    """Take the partner's account row with SELECT ... FOR UPDATE, creating the account first if needed."""
    try:
        return DepositAccount.objects.select_for_update().get(partner_id=partner_id)
    except DepositAccount.DoesNotExist:
        DepositAccount.objects.get_or_create(partner_id=partner_id)
        return DepositAccount.objects.select_for_update().get(partner_id=partner_id)


def existing_entry(*, account: DepositAccount, key: str, kind: str, amount: Decimal | None) -> LedgerEntry | None:
    """The entry already written under `key`, if any; a key reused for a different movement is refused."""
    entry = LedgerEntry.objects.filter(idempotency_key=key).first()
    if entry is None:
        return None
    if entry.account_id != account.pk or entry.kind != kind or (amount is not None and entry.amount != amount):
        raise InvalidInput(_("The idempotency key %(key)s was already used for another operation.") % {"key": key})
    return entry


def post_entry(
    *,
    account: DepositAccount,
    kind: EntryKind,
    amount: Decimal,
    actor: User | None,
    memo: str,
    key: str,
    ticket=None,
    invoice: Invoice | None = None,
    allow_overdraft: bool = False,
) -> LedgerEntry:
    """Append one entry and move the (locked) account's balance; the caller saves the account."""
    account.balance += amount
    return LedgerEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=account.balance,
        actor=actor,
        memo=memo[:255],
        ticket=ticket,
        invoice=invoice,
        idempotency_key=key,
        allow_overdraft=allow_overdraft,
    )


def insufficient(*, account: DepositAccount, covering: Decimal, amount: Decimal) -> InsufficientDeposit:
    return InsufficientDeposit(
        _("The available deposit (%(covering)s %(currency)s) does not cover this request (%(amount)s %(currency)s).")
        % {
            "covering": amount_number(covering),
            "amount": amount_number(amount),
            "currency": currency_sign(account.currency),
        }
    )


def save_account(*, account: DepositAccount, fields: list[str], tariff: Tariff | None = None) -> None:
    """Save the locked account after a movement, raising or clearing the low-balance alert as it crosses the line.

    The alert fires once per crossing: the flag is set when the available deposit falls below three requests and
    cleared when it rises back; the crossing is a `deposit.low` event, stored in the same transaction.
    """
    tariff = tariff or tariff_by_partner_id(account.partner_id)
    threshold = LOW_BALANCE_REQUESTS * tariff.price_per_request
    is_low = account.available < threshold
    if is_low != account.low_balance_alerted:
        account.low_balance_alerted = is_low
        fields = [*fields, "low_balance_alerted"]
    account.save(update_fields=[*fields, "updated_at"])
    if is_low and "low_balance_alerted" in fields:
        partner_event(
            account=account,
            type=DEPOSIT_LOW,
            data={"threshold": threshold, "price_per_request": tariff.price_per_request},
        )


def partner_event(*, account: DepositAccount, type: str, data: dict, actor: User | None = None) -> None:
    """Store a money event in the partner's stream, with the deposit as it is now."""
    event_emit(
        type=type,
        stream=f"partner:{account.partner_id}",
        partner_id=account.partner_id,
        account_id=account.pk,
        actor=actor,
        payload={
            "account": {
                "id": account.pk,
                "balance": account.balance,
                "held": account.held,
                "available": account.available,
                "currency": account.currency,
            },
            "data": data,
        },
    )
