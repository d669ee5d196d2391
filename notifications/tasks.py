"""Background work of the notifications app: sending the e-mails owed. Safe to run twice."""

from celery import shared_task

from partner_support.retry import OUTAGE_RETRY

from .services import emails_owed, notification_emails_deliver


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def notification_emails_send(notification_ids: list[int]) -> int:
    return notification_emails_deliver(notification_ids=notification_ids)


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def notification_emails_owed() -> int:
    """Every minute (beat): whatever is still owed (the broker was down, the mail server refused, a worker died)."""
    return notification_emails_deliver(notification_ids=emails_owed())
