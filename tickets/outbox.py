"""Ticket events published after commit: in-app and e-mail notifications and partners' webhooks listen.

Services call `event_emit` inside their transaction; nothing leaves the process unless the transaction commits,
and then one Celery task per event hands it to every listener (each listener is safe to run twice).
"""

from django.db import transaction

TICKET_CREATED = "ticket.created"
TICKET_STATUS_CHANGED = "ticket.status_changed"
TICKET_COMMENTED = "ticket.commented"


def event_emit(*, event: str, ticket_id: int, actor_id: int | None, data: dict | None = None) -> None:
    from .tasks import ticket_event_deliver

    payload = {"event": event, "ticket_id": ticket_id, "actor_id": actor_id, "data": data or {}}
    transaction.on_commit(lambda: ticket_event_deliver.delay(**payload))
