"""Deposits, the append-only ledger, holds on tickets, invoices and tariffs.

Every amount is a Decimal with two places. Balances change only through billing.services, which lock the
partner's DepositAccount row first; the invariants below are the database's job, not the code's good manners.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")
# The low-balance alert fires when the available deposit no longer covers this many requests.
LOW_BALANCE_REQUESTS = 3
# The events of the partner's money (outbox), in the stream `partner:<id>`.
DEPOSIT_LOW = "deposit.low"
INVOICE_ISSUED = "invoice.issued"
INVOICE_PAID = "invoice.paid"
MONEY_EVENT_TYPES = (DEPOSIT_LOW, INVOICE_ISSUED, INVOICE_PAID)


class RequestKind(models.TextChoices):
    """The kinds of request (DESIGN.md section 1), each priced its own way by the tariff; a ticket's `kind`."""

    SIMPLE = "simple", _("Simple")
    COMPOSITE = "composite", _("Composite")
    BUG = "bug", _("Critical bug")
    ENHANCEMENT = "enhancement", _("Paid enhancement")


class Tariff(models.Model):
    """A partner's prices: one request, one programmer hour (enhancements), and whether critical bugs are billed."""

    partner = models.OneToOneField("accounts.Partner", on_delete=models.CASCADE, related_name="tariff")
    price_per_request = models.DecimalField(_("price per request"), default=Decimal("180.00"), **MONEY)
    hourly_rate = models.DecimalField(_("programmer hourly rate"), default=Decimal("600.00"), **MONEY)
    bill_bugs = models.BooleanField(_("bill critical bugs"), default=True)
    currency = models.CharField(_("currency"), max_length=3, default="UAH")
    # SLA credits, a contract option: a request resolved after its resolution deadline gives back this share of
    # what it was charged (a breach excused later takes the credit back).
    sla_credits = models.BooleanField(
        _("SLA credits"), default=False, help_text=_("Credit back requests resolved after their deadline.")
    )
    sla_credit_percent = models.PositiveSmallIntegerField(
        _("SLA credit, per cent of the price"), default=100, help_text=_("From 1 to 100.")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="tariff_sla_credit_percent_range",
                condition=Q(sla_credit_percent__gte=1, sla_credit_percent__lte=100),
            ),
            models.CheckConstraint(name="tariff_price_positive", condition=Q(price_per_request__gt=0)),
            models.CheckConstraint(name="tariff_hourly_rate_positive", condition=Q(hourly_rate__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.price_per_request} {self.currency}"


class DepositAccount(models.Model):
    """The partner's prepaid money. `held` is the sum of active holds; `available` is what new requests may use."""

    partner = models.OneToOneField("accounts.Partner", on_delete=models.PROTECT, related_name="deposit")
    balance = models.DecimalField(_("balance"), default=ZERO, **MONEY)
    held = models.DecimalField(_("held"), default=ZERO, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="UAH")
    low_balance_alerted = models.BooleanField(_("low balance alerted"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(name="deposit_held_not_negative", condition=Q(held__gte=0))]

    def __str__(self) -> str:
        return f"{self.partner}: {self.balance} {self.currency}"

    @property
    def available(self) -> Decimal:
        return self.balance - self.held


class EntryKind(models.TextChoices):
    TOP_UP = "top_up", _("Top-up")
    DEBIT = "debit", _("Debit")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SLA_CREDIT = "sla_credit", _("SLA credit")
    SLA_CREDIT_REVERSAL = "sla_reversal", _("SLA credit reversed")


# Entries that may take the balance below zero: a critical bug's debit, and taking back an SLA credit the partner
# has spent meanwhile (the money was credited by mistake; refusing would leave the ledger wrong).
OVERDRAWING_KINDS = ("debit", "sla_reversal")


class LedgerEntry(models.Model):
    """One money movement on a deposit; never updated or deleted (PostgreSQL triggers refuse it).

    `idempotency_key` is a permanent business key (`debit:ticket:<id>`, `invoice:<id>:paid`, ...): a retried or
    concurrent operation finds the entry already written instead of moving the money twice.
    """

    account = models.ForeignKey(DepositAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **MONEY)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    allow_overdraft = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["account", "created_at"], name="ledger_account_created")]
        constraints = [
            models.CheckConstraint(
                name="ledger_credit_positive",
                condition=~Q(kind__in=["top_up", "refund", "sla_credit"]) | Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="ledger_sla_reversal_negative", condition=~Q(kind="sla_reversal") | Q(amount__lt=0)
            ),
            models.CheckConstraint(
                name="ledger_sla_entry_has_ticket",
                condition=~Q(kind__in=["sla_credit", "sla_reversal"]) | Q(ticket__isnull=False),
            ),
            models.CheckConstraint(name="ledger_debit_negative", condition=~Q(kind="debit") | Q(amount__lt=0)),
            models.CheckConstraint(name="ledger_adjustment_nonzero", condition=~Q(kind="adjustment") | ~Q(amount=0)),
            models.CheckConstraint(
                name="ledger_debit_has_ticket", condition=~Q(kind="debit") | Q(ticket__isnull=False)
            ),
            models.CheckConstraint(
                name="ledger_overdraft_only_debit", condition=Q(allow_overdraft=False) | Q(kind__in=OVERDRAWING_KINDS)
            ),
            # Only a bug's debit may take the balance below zero; a credit (a payment after such a debit) may leave
            # it below zero, since refusing it would make a partner pay off the whole overdraft at once.
            models.CheckConstraint(
                name="ledger_balance_not_negative",
                condition=Q(balance_after__gte=0)
                | Q(kind__in=OVERDRAWING_KINDS, allow_overdraft=True)
                | Q(amount__gt=0),
            ),
            models.UniqueConstraint(fields=["ticket"], condition=Q(kind="debit"), name="ledger_one_debit_per_ticket"),
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(kind="sla_credit"), name="ledger_one_sla_credit_per_ticket"
            ),
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(kind="sla_reversal"), name="ledger_one_sla_reversal_per_ticket"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # A statement-level BEFORE TRUNCATE trigger: TRUNCATE fires no row triggers. An empty ledger may be
            # truncated (nothing is lost), so that a test database can still be flushed between tests.
            pgtrigger.Trigger(
                name="ledger_no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    "IF EXISTS (SELECT 1 FROM {meta.db_table}) THEN "
                    "RAISE EXCEPTION 'pgtrigger: Cannot truncate the ledger table %', TG_TABLE_NAME; "
                    "END IF; RETURN NULL;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.idempotency_key})"

    @property
    def description(self) -> str:
        """What the entry is, in the reader's language where the system wrote it (a request's debit, an invoice's
        payment: worded from the ticket or invoice now), a person's own memo as written."""
        if self.kind == EntryKind.DEBIT and self.ticket_id is not None:
            return gettext("Request %(number)s") % {"number": self.ticket.number}
        if self.kind == EntryKind.TOP_UP and self.invoice_id is not None:
            return gettext("Payment of invoice %(number)s") % {"number": self.invoice.number}
        return self.memo


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CAPTURED = "captured", _("Captured")
    RELEASED = "released", _("Released")


class Hold(models.Model):
    """Money reserved on a deposit for one open ticket; captured as a debit on resolution, released on cancel."""

    account = models.ForeignKey(DepositAccount, on_delete=models.PROTECT, related_name="holds")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="holds")
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=HoldStatus.choices, default=HoldStatus.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["account"], condition=Q(status="active"), name="hold_active_by_account")]
        constraints = [
            models.CheckConstraint(name="hold_amount_not_negative", condition=Q(amount__gte=0)),
            models.UniqueConstraint(fields=["ticket"], condition=Q(status="active"), name="hold_one_active_per_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.amount} ({self.status})"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Invoice(models.Model):
    """A partner's order of N consultations at the tariff's price; paying it credits the deposit once."""

    partner = models.ForeignKey("accounts.Partner", on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("number"), max_length=20, unique=True)
    requests = models.PositiveIntegerField(_("requests"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="UAH")
    status = models.CharField(_("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The customer's requisites as they were when the invoice was issued (accounts.requisites.requisites_facts).
    customer = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["partner", "issued_at"], name="invoice_partner_issued")]
        constraints = [
            models.CheckConstraint(name="invoice_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(name="invoice_requests_positive", condition=Q(requests__gte=1)),
            models.CheckConstraint(
                name="invoice_paid_has_paid_at",
                condition=(Q(status="paid") & Q(paid_at__isnull=False)) | (~Q(status="paid") & Q(paid_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DocumentCounter(models.Model):
    """The last number given in one series of documents (invoices, acts) in one year. A document takes its number
    by locking this row in its own transaction, so numbers never repeat and a rolled-back document gives its
    number back: the series has no gaps."""

    series = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="document_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year}: {self.last_number}"
