"""Invoices: a partner orders N consultations; an administrator marks the invoice paid and the deposit is credited."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from accounts.permissions import can, partner_may_order
from partner_support.errors import InvalidInput, PermissionDenied

from ..models import INVOICE_ISSUED, INVOICE_PAID, EntryKind, Invoice, InvoiceStatus, LedgerEntry
from .ledger import account_for, existing_entry, lock_account, partner_event, post_entry, save_account
from .pricing import tariff_for

MAX_REQUESTS_PER_INVOICE = 1000
NUMBER_ATTEMPTS = 5


def _next_number(*, year: int) -> str:
    prefix = f"INV-{year}-"
    last = (
        Invoice.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def invoice_issue(*, partner: Partner, requests: int, actor: User) -> Invoice:
    """Issue an invoice for `requests` consultations at the partner's price per request.

    Numbers run per year (INV-2026-000001). Two invoices issued at the same moment may pick the same number; the
    unique constraint refuses the second, which takes the next number and tries again.
    """
    partner_may_order(partner)
    if not can(actor, "billing.order_consultations", partner):
        raise PermissionDenied()
    if isinstance(requests, bool) or not isinstance(requests, int) or not 1 <= requests <= MAX_REQUESTS_PER_INVOICE:
        raise InvalidInput(
            _("Order between 1 and %(max)d consultations.") % {"max": MAX_REQUESTS_PER_INVOICE},
        )
    tariff = tariff_for(partner=partner)
    issued_at = timezone.now()

    def create() -> Invoice:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                partner=partner,
                number=_next_number(year=timezone.localtime(issued_at).year),
                requests=requests,
                unit_price=tariff.price_per_request,
                amount=tariff.price_per_request * requests,
                currency=tariff.currency,
                issued_by=actor,
                issued_at=issued_at,
            )
            partner_event(
                account=account_for(partner=partner), type=INVOICE_ISSUED, data=invoice_facts(invoice), actor=actor
            )
            return invoice

    for _attempt in range(NUMBER_ATTEMPTS - 1):
        try:
            return create()
        except IntegrityError:
            continue
    return create()


def invoice_mark_paid(*, invoice: Invoice, actor: User) -> LedgerEntry:
    """Record the invoice's payment and credit the deposit, once: marking it paid again returns the same entry."""
    if not can(actor, "billing.record_payment"):
        raise PermissionDenied()
    key = f"invoice:{invoice.pk}:paid"
    with transaction.atomic():
        account = lock_account(partner_id=invoice.partner_id)
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        entry = existing_entry(account=account, key=key, kind=EntryKind.TOP_UP, amount=invoice.amount)
        if entry is not None:
            return entry
        if invoice.status == InvoiceStatus.CANCELLED:
            raise InvalidInput(_("Invoice %(number)s is cancelled and cannot be paid.") % {"number": invoice.number})
        entry = post_entry(
            account=account,
            kind=EntryKind.TOP_UP,
            amount=invoice.amount,
            actor=actor,
            memo=_("Payment of invoice %(number)s") % {"number": invoice.number},
            key=key,
            invoice=invoice,
        )
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = entry.created_at
        invoice.paid_by = actor
        invoice.save(update_fields=["status", "paid_at", "paid_by"])
        save_account(account=account, fields=["balance"])
        partner_event(account=account, type=INVOICE_PAID, data=invoice_facts(invoice), actor=actor)
    return entry


def invoice_facts(invoice: Invoice) -> dict:
    return {
        "invoice": {
            "id": invoice.pk,
            "number": invoice.number,
            "requests": invoice.requests,
            "unit_price": invoice.unit_price,
            "amount": invoice.amount,
            "currency": invoice.currency,
            "status": invoice.status,
            "issued_at": invoice.issued_at,
            "paid_at": invoice.paid_at,
        }
    }


def invoice_cancel(*, invoice: Invoice, actor: User) -> Invoice:
    """Withdraw an unpaid invoice (the partner's owner or an administrator); a paid invoice cannot be cancelled."""
    if not can(actor, "billing.order_consultations", invoice):
        raise PermissionDenied()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.status == InvoiceStatus.PAID:
            raise InvalidInput(_("Invoice %(number)s is paid and cannot be cancelled.") % {"number": invoice.number})
        if invoice.status == InvoiceStatus.ISSUED:
            invoice.status = InvoiceStatus.CANCELLED
            invoice.cancelled_at = timezone.now()
            invoice.save(update_fields=["status", "cancelled_at"])
    return invoice
