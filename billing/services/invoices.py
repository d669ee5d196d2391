"""Invoices: a partner orders N consultations; an administrator marks the invoice paid and the deposit is credited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Partner, User
from accounts.permissions import can, partner_may_order
from accounts.requisites import requisites_facts, requisites_of
from partner_support.errors import InvalidInput, PermissionDenied

from ..models import INVOICE_ISSUED, INVOICE_PAID, EntryKind, Invoice, InvoiceStatus, LedgerEntry
from .ledger import account_for, existing_entry, lock_account, partner_event, post_entry, save_account
from .numbering import INVOICE_SERIES, document_number_next
from .pricing import tariff_for

MAX_REQUESTS_PER_INVOICE = 1000


def invoice_issue(*, partner: Partner, requests: int, actor: User) -> Invoice:
    """Issue an invoice for `requests` consultations at the partner's price per request, made out to the partner's
    requisites as they are now. Numbers run per year without gaps (INV-2026-000001, see numbering)."""
    partner_may_order(partner)
    if not can(actor, "billing.order_consultations", partner):
        raise PermissionDenied()
    if isinstance(requests, bool) or not isinstance(requests, int) or not 1 <= requests <= MAX_REQUESTS_PER_INVOICE:
        raise InvalidInput(
            _("Order between 1 and %(max)d consultations.") % {"max": MAX_REQUESTS_PER_INVOICE},
        )
    tariff = tariff_for(partner=partner)
    with transaction.atomic(durable=True):
        issued_at = timezone.now()
        invoice = Invoice.objects.create(
            partner=partner,
            number=document_number_next(series=INVOICE_SERIES, year=timezone.localtime(issued_at).year),
            requests=requests,
            unit_price=tariff.price_per_request,
            amount=tariff.price_per_request * requests,
            currency=tariff.currency,
            issued_by=actor,
            issued_at=issued_at,
            customer=requisites_facts(requisites_of(partner=partner), partner),
        )
        partner_event(
            account=account_for(partner=partner), type=INVOICE_ISSUED, data=invoice_facts(invoice), actor=actor
        )
    return invoice


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
