from celery import shared_task

from .models import WebhookEndpoint
from .webhooks import MAX_ATTEMPTS, deliver_once

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600


@shared_task
def webhook_deliver(endpoint_id: int, payload: dict, attempt: int) -> bool:
    """Deliver one event; on failure try again later (30 s, 1 min, 2 min, ... up to an hour) while enabled."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).first()
    if endpoint is None:
        return False
    delivery = deliver_once(endpoint=endpoint, payload=payload, attempt=attempt)
    if not delivery.succeeded and attempt < MAX_ATTEMPTS:
        countdown = min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS)
        webhook_deliver.apply_async((endpoint_id, payload, attempt + 1), countdown=countdown)
    return delivery.succeeded
