"""Background work of the billing app: e-mails sent after the transaction that decided them has committed."""

import uuid

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from notifications import messages
from notifications.models import Kind as NotificationKind
from notifications.selectors import partner_owners
from notifications.services import notify

from .models import DepositAccount


@shared_task
def low_balance_alert(account_id: int) -> int:
    """Tell the partner's owners that the available deposit fell below three requests; returns the people told.

    Skipped when the balance has recovered by the time the task runs (the flag was cleared meanwhile). Once per
    crossing is the flag's job (billing.services.ledger), so each run of this task is a new notification.
    """
    account = DepositAccount.objects.select_related("partner").filter(pk=account_id).first()
    if account is None or not account.low_balance_alerted:
        return 0
    link = settings.SITE_URL + reverse("billing:account")
    created = notify(
        kind=NotificationKind.LOW_BALANCE,
        key=f"low_balance:{account.pk}:{uuid.uuid4().hex}",
        users=partner_owners(partner_id=account.partner_id),
        compose=lambda user: messages.low_balance(account, link),
        url=link,
    )
    return len(created)
