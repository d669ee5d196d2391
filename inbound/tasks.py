"""Background work of the inbound e-mail channel."""

from celery import shared_task

from partner_support.retry import OUTAGE_RETRY

from .imap import imap_poll
from .replies import unauthenticated_sender_tell_task

__all__ = ["imap_poll_task", "unauthenticated_sender_tell_task"]


@shared_task(**OUTAGE_RETRY)
def imap_poll_task() -> int:
    """Fetch unread mail from the configured IMAP mailbox (nothing to do when IMAP_HOST is not set)."""
    return imap_poll()
