"""Sending what each endpoint is owed, in feed order, one sender per endpoint at a time.

The outbox subscriber (integrations.subscriber) stores a WebhookDispatch per event and subscribed endpoint;
`endpoint_send` takes the endpoint's lease, POSTs its pending dispatches oldest first and stops at the first
failure, which is retried with back-off (30 s doubling up to an hour) before anything later is sent. Every attempt
is logged (WebhookDelivery). After WEBHOOK_MAX_FAILURES failed attempts in a row the endpoint is switched off,
over at least WEBHOOK_FAILING_MINUTES the endpoint is switched off, which is itself an event (`webhook.disabled`)
that tells the partner's owners; when it is switched on again, what it missed is owed again from the outbox and
sent in order.
"""

import json
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxEvent
from outbox.services import event_document, event_emit

from .delivery import post
from .models import WEBHOOK_DISABLED, WebhookDelivery, WebhookDispatch, WebhookEndpoint

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
BATCH = 50


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * 2 ** min(max(attempts - 1, 0), 16), BACKOFF_MAX)


def lease_length() -> timedelta:
    """Longer than one attempt may take (its deadline), so that a live sender never loses its lease mid-POST."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 10)


def lease_take(*, endpoint_id: int, now: datetime) -> datetime | None:
    """Claim the endpoint for one sender: the lease's end, which also tells this sender's lease from a later one;
    None when another sender holds it (or it is off)."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    until = now + lease_length()
    taken = WebhookEndpoint.objects.filter(free, pk=endpoint_id, is_active=True).update(lease_until=until)
    return until if taken else None


def _lease_extend(endpoint_id: int, lease: datetime) -> datetime | None:
    """Push our lease on; None when it is no longer ours (it ran out and another sender took the endpoint)."""
    until = timezone.now() + lease_length()
    extended = WebhookEndpoint.objects.filter(pk=endpoint_id, lease_until=lease).update(lease_until=until)
    return until if extended else None


def _lease_release(endpoint_id: int, lease: datetime | None) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id, lease_until=lease).update(lease_until=None)


def _record(*, endpoint: WebhookEndpoint, dispatch: WebhookDispatch, outcome, now: datetime) -> bool:
    """Log the attempt and move the dispatch and the endpoint on; returns whether the endpoint is still on."""
    with transaction.atomic(durable=True):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=dispatch.event,
            event_id=dispatch.event_id,
            attempt=dispatch.attempts + 1,
            payload=dispatch.body,
            status_code=outcome.status_code,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            succeeded=outcome.succeeded,
            duration_ms=outcome.duration_ms,
        )
        dispatch.attempts += 1
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if outcome.succeeded:
            dispatch.delivered_at = now
            locked.consecutive_failures, locked.failing_since = 0, None
        else:
            dispatch.next_attempt_at = now + backoff(dispatch.attempts)
            locked.consecutive_failures += 1
            locked.failing_since = locked.failing_since or now
        WebhookDispatch.objects.filter(pk=dispatch.pk, delivered_at__isnull=True).update(
            attempts=dispatch.attempts, delivered_at=dispatch.delivered_at, next_attempt_at=dispatch.next_attempt_at
        )
        if locked.is_active and _failing_for_good(locked, now):
            locked.is_active = False
            locked.disabled_at = now
            event_emit(
                type=WEBHOOK_DISABLED,
                stream=f"partner:{locked.partner_id}",
                partner_id=locked.partner_id,
                payload={
                    "endpoint": {"id": locked.pk, "url": locked.url},
                    "data": {"failures": locked.consecutive_failures},
                },
            )
        locked.save(update_fields=["consecutive_failures", "failing_since", "is_active", "disabled_at"])
    return locked.is_active


def _failing_for_good(endpoint: WebhookEndpoint, now: datetime) -> bool:
    """WEBHOOK_MAX_FAILURES attempts in a row, over at least WEBHOOK_FAILING_MINUTES: a receiver that is down,
    not one that had a bad minute (attempts are spaced by the back-off, so a count alone would be a few minutes)."""
    failing_for = now - (endpoint.failing_since or now)
    return endpoint.consecutive_failures >= settings.WEBHOOK_MAX_FAILURES and failing_for >= timedelta(
        minutes=settings.WEBHOOK_FAILING_MINUTES
    )


def dispatches_owed(
    *, endpoint: WebhookEndpoint, after: int, up_to: int | None = None, since: datetime | None = None
) -> int:
    """Owe the endpoint again every public event of its partner, of the types it takes, with a position in
    (`after`, `up_to`]: sent again in order, delivered or not before (receivers deduplicate by id). Returns how
    many; the events feed's retention bounds how far back this reaches."""
    events = OutboxEvent.objects.filter(
        public=True, partner_id=endpoint.partner_id, type__in=endpoint.events, position__gt=after
    )
    if up_to is not None:
        events = events.filter(position__lte=up_to)
    if since is not None:  # nothing from before the endpoint existed
        events = events.filter(occurred_at__gte=since)
    now, count = timezone.now(), 0
    for event in events.order_by("position").iterator():
        WebhookDispatch.objects.update_or_create(
            endpoint=endpoint,
            event_id=event.event_id,
            defaults={
                "event": event.type,
                "position": event.position,
                "body": event_document(event),
                "delivered_at": None,
                "attempts": 0,
                "next_attempt_at": now,
            },
        )
        count += 1
    return count


def endpoint_send(*, endpoint_id: int, limit: int = BATCH) -> int:
    """Send the endpoint's due dispatches in order until one fails (or its turn of WEBHOOK_SEND_SECONDS is over);
    returns how many were delivered."""
    lease = lease_take(endpoint_id=endpoint_id, now=timezone.now())
    if lease is None:
        return 0
    delivered = 0
    turn_ends = time.monotonic() + settings.WEBHOOK_SEND_SECONDS
    try:
        endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
        for _ in range(limit):
            if time.monotonic() > turn_ends:
                break
            dispatch = (
                WebhookDispatch.objects.filter(endpoint_id=endpoint_id, delivered_at__isnull=True)
                .order_by("position")
                .first()
            )
            if dispatch is None or dispatch.next_attempt_at > timezone.now():
                break
            lease = _lease_extend(endpoint_id, lease)
            if lease is None:
                break
            body = json.dumps(dispatch.body, separators=(",", ":")).encode()
            headers = {
                "User-Agent": "PartnerSupport-Webhook/2",
                "X-Event": dispatch.event,
                "X-Event-Id": str(dispatch.event_id),
                "X-Delivery-Attempt": str(dispatch.attempts + 1),
            }
            outcome = post(
                url=endpoint.url,
                body=body,
                headers=headers,
                secret=endpoint.secret,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            )
            still_on = _record(endpoint=endpoint, dispatch=dispatch, outcome=outcome, now=timezone.now())
            if not outcome.succeeded or not still_on:
                break
            delivered += 1
    finally:
        _lease_release(endpoint_id, lease)
    return delivered


def endpoints_due(*, now: datetime) -> list[int]:
    """Active endpoints with a dispatch due and no sender at work on them."""
    free = Q(endpoint__lease_until__isnull=True) | Q(endpoint__lease_until__lt=now)
    return list(
        WebhookDispatch.objects.filter(free, delivered_at__isnull=True, next_attempt_at__lte=now)
        .filter(endpoint__is_active=True)
        .values_list("endpoint_id", flat=True)
        .distinct()
        .order_by("endpoint_id")
    )
