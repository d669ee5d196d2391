"""Webhook senders. They run on their own queue (`webhooks`), so that a slow receiver never holds up the SLA sweep
or the notifications; each send holds one endpoint's lease, so no endpoint waits for another's receiver."""

import logging

from celery import shared_task
from django.utils import timezone

from partner_support.retry import OUTAGE_RETRY

from .dispatch import endpoint_send, endpoints_due

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def webhook_send(endpoint_id: int) -> int:
    return endpoint_send(endpoint_id=endpoint_id)


def webhook_send_soon(endpoint_id: int) -> None:
    """Ask for a sender now; if the broker cannot take it, the periodic `webhooks_due` will."""
    try:
        webhook_send.apply_async((endpoint_id,), retry=False)
    except Exception:
        logger.warning("The broker did not take webhook_send(%s); the periodic sender will.", endpoint_id)


@shared_task(ignore_result=True, **OUTAGE_RETRY)
def webhooks_due() -> int:
    """Every few seconds (beat): hand each endpoint with something due to a sender."""
    endpoint_ids = endpoints_due(now=timezone.now())
    for endpoint_id in endpoint_ids:
        webhook_send.delay(endpoint_id)
    return len(endpoint_ids)
