"""The relay: numbers committed events for the feed, then hands each to every subscriber, in order per stream.

At least once: a subscriber that fails is retried with back-off, and the stream waits for it (later events of
the same stream are not handed out before it), so that per-stream order holds. Two relays at once never hand the
same event out together: each takes the first undelivered event of a stream under a row lock with SKIP LOCKED.
Subscribers are idempotent by `event.event_id`, so an event handed out twice (a relay killed mid-way) changes
nothing the second time.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxEvent, OutboxStream

logger = logging.getLogger(__name__)
FEED_STREAM = "feed"
POSITION_BATCH = 1000
HEADS_PER_TRANSACTION = 50
MAX_BACKOFF = timedelta(hours=1)


def subscribers() -> tuple[tuple[str, object], ...]:
    """(name, handler) for every subscriber in settings.OUTBOX_SUBSCRIBERS, in their order."""
    return tuple((name, import_string(path)) for name, path in settings.OUTBOX_SUBSCRIBERS.items())


def positions_assign() -> int:
    """Give feed positions to the committed events that have none, in insertion order; returns how many."""
    with transaction.atomic(durable=True):
        feed, _created = OutboxStream.objects.get_or_create(key=FEED_STREAM)
        feed = OutboxStream.objects.select_for_update().get(pk=feed.pk)
        events = list(OutboxEvent.objects.filter(position__isnull=True).order_by("id").only("id")[:POSITION_BATCH])
        for offset, event in enumerate(events, start=1):
            event.position = feed.last_sequence + offset
        if events:
            OutboxEvent.objects.bulk_update(events, ["position"])
            feed.last_sequence += len(events)
            feed.save(update_fields=["last_sequence"])
    return len(events)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** min(attempts, 20)), MAX_BACKOFF)


def _deliver(event: OutboxEvent, now: datetime) -> bool:
    """Hand a locked event to each subscriber not done with it; False (and a retry later) when one fails."""
    for name, handler in subscribers():
        if name in event.done_by:
            continue
        try:
            with transaction.atomic():
                handler(event)
        except Exception as error:
            logger.exception("Subscriber %s failed on event %s (%s)", name, event.event_id, event.type)
            event.attempts += 1
            event.next_attempt_at = now + backoff(event.attempts)
            event.last_error = f"{name}: {error}"[:2000]
            event.save(update_fields=["done_by", "attempts", "next_attempt_at", "last_error"])
            return False
        event.done_by = [*event.done_by, name]
    event.delivered_at = now
    event.save(update_fields=["done_by", "delivered_at"])
    return True


def _heads(now: datetime):
    """The first undelivered event of each stream that is due, oldest first, skipping streams another relay holds."""
    earlier = OutboxEvent.objects.filter(
        stream=OuterRef("stream"), sequence__lt=OuterRef("sequence"), delivered_at__isnull=True
    )
    return (
        OutboxEvent.objects.filter(delivered_at__isnull=True, position__isnull=False)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(~Exists(earlier))
        .order_by("position")
        .select_for_update(skip_locked=True)[:HEADS_PER_TRANSACTION]
    )


def relay_run(*, limit: int = 2000) -> int:
    """Deliver up to `limit` events; returns how many reached every subscriber."""
    delivered = 0
    while delivered < limit:
        positions_assign()
        with transaction.atomic(durable=True):
            now = timezone.now()
            heads = list(_heads(now))
            succeeded = sum(_deliver(event, now) for event in heads)
        delivered += succeeded
        if not succeeded:
            break
    return delivered


def outbox_prune(*, now: datetime) -> int:
    """Delete delivered events older than OUTBOX_RETENTION_DAYS; undelivered ones are never deleted."""
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _rows = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return deleted
