"""The outbox subscriber of webhooks: a public event owed to each of the partner's active endpoints that
subscribed to its type is stored (once per event id), and a sender is asked for after commit."""

from django.db import transaction

from outbox.models import OutboxEvent
from outbox.services import event_document

from .models import WebhookDispatch, WebhookEndpoint
from .tasks import webhook_send_soon


def handle_event(event: OutboxEvent) -> None:
    if not event.public or event.partner_id is None:
        return
    endpoints = [
        endpoint
        # Locked: an endpoint being switched on at this moment is seen as it is once that commits.
        for endpoint in WebhookEndpoint.objects.select_for_update().filter(partner_id=event.partner_id, is_active=True)
        if event.type in endpoint.events
    ]
    document = event_document(event)
    for endpoint in endpoints:
        _dispatch, created = WebhookDispatch.objects.get_or_create(
            endpoint=endpoint,
            event_id=event.event_id,
            defaults={"event": event.type, "position": event.position, "body": document},
        )
        if created:
            transaction.on_commit(lambda endpoint_id=endpoint.pk: webhook_send_soon(endpoint_id))
