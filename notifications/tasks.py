"""Background work of the notifications app. Tasks take primary keys and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from billing.models import DepositAccount, Invoice, InvoiceStatus

from . import messages
from .models import Kind
from .selectors import partner_owners
from .services import notification_emails_deliver, notify


@shared_task
def notification_emails_send(notification_ids: list[int]) -> int:
    return notification_emails_deliver(notification_ids=notification_ids)


@shared_task
def invoice_paid_notify(invoice_id: int) -> int:
    """Tell the partner's owners that an invoice's payment reached the deposit; returns the people notified."""
    invoice = Invoice.objects.select_related("partner").filter(pk=invoice_id, status=InvoiceStatus.PAID).first()
    if invoice is None:
        return 0
    account = DepositAccount.objects.filter(partner_id=invoice.partner_id).first()
    available = account.available if account else invoice.amount
    created = notify(
        kind=Kind.INVOICE_PAID,
        key=f"invoice:{invoice.pk}:paid",
        users=partner_owners(partner_id=invoice.partner_id),
        compose=lambda user: messages.invoice_paid(invoice, available),
        url=settings.SITE_URL + reverse("billing:invoice", args=[invoice.pk]),
    )
    return len(created)
