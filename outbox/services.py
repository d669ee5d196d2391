"""Writing events: `event_emit` is called by the domain services inside the transaction of the change itself."""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxEvent, OutboxStream
from .tasks import outbox_relay

logger = logging.getLogger(__name__)
ENCODER = DjangoJSONEncoder()


def stream_next(*, key: str) -> int:
    """The next sequence number of stream `key`, taking the stream's row lock until the transaction ends."""
    table = connection.ops.quote_name(OutboxStream._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, last_sequence) VALUES (%s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (key) DO UPDATE SET last_sequence = {table}.last_sequence + 1 RETURNING last_sequence",
            [key],
        )
        return cursor.fetchone()[0]


def json_ready(value):
    """Datetimes, decimals and UUIDs as the JSON strings the feed and the webhooks carry."""
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return ENCODER.default(value)


def event_document(event: OutboxEvent) -> dict:
    """The event as partners receive it: the same JSON in the events feed and in a webhook's body."""
    return {
        "id": str(event.event_id),
        "event": event.type,
        "position": event.position,
        "stream": event.stream,
        "sequence": event.sequence,
        "occurred_at": json_ready(event.occurred_at),
        "partner": event.partner_id,
        **event.payload,
    }


def _relay_ask() -> None:
    try:
        outbox_relay.apply_async(retry=False)
    except Exception as error:  # the broker is down: nothing is lost, the event is stored
        logger.warning("The broker did not take the outbox relay task (%s); the periodic relay will deliver.", error)


class _Kicker:
    """Asks a worker to relay from a thread of its own, so that a request never waits on the broker (down, or hung
    until its timeouts run out); one ask waiting is enough, since a relay takes everything pending. Tasks run
    in-process (CELERY_TASK_ALWAYS_EAGER) are asked for at once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting = False
        self._executor: ThreadPoolExecutor | None = None
        self._pid: int | None = None

    def __call__(self) -> None:
        if outbox_relay.app.conf.task_always_eager:
            _relay_ask()
            return
        with self._lock:
            if self._waiting:
                return
            if self._pid != os.getpid():  # a forked process (gunicorn, Celery) makes its own thread
                self._executor, self._pid = ThreadPoolExecutor(1, thread_name_prefix="outbox-relay-ask"), os.getpid()
            self._waiting = True
            self._executor.submit(self._ask)

    def _ask(self) -> None:
        with self._lock:
            self._waiting = False
        _relay_ask()


relay_kick = _Kicker()


def event_emit(
    *,
    type: str,
    stream: str,
    payload: dict,
    partner_id: int | None = None,
    ticket_id: int | None = None,
    account_id: int | None = None,
    actor=None,
    public: bool = True,
    occurred_at: datetime | None = None,
) -> OutboxEvent:
    """Store one event in the current transaction; it is relayed after commit (or by the periodic relay)."""
    if not connection.in_atomic_block:
        raise RuntimeError("Events are emitted inside the transaction of the change they describe.")
    event = OutboxEvent.objects.create(
        type=type,
        stream=stream,
        sequence=stream_next(key=stream),
        partner_id=partner_id,
        ticket_id=ticket_id,
        account_id=account_id,
        actor_id=actor.pk if actor is not None else None,
        public=public,
        payload=json_ready(payload),
        occurred_at=occurred_at or timezone.now(),
    )
    transaction.on_commit(relay_kick)
    return event
