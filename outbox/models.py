"""The stored outbox: every side effect of a change is an event row written in the change's own transaction.

A relay (outbox.relay) hands each event to the subscribers listed in settings.OUTBOX_SUBSCRIBERS, in order per
stream, and records which of them are done; partners' integrations read the public events from the API feed.
"""

import uuid

from django.db import models
from django.db.models import Q


class OutboxStream(models.Model):
    """The last sequence number given in one stream (`ticket:42`, `partner:7`).

    Emitting takes this row's lock until the transaction ends, so that the events of one stream are numbered and
    committed in the same order. The reserved stream `feed` numbers the positions of the events feed.
    """

    key = models.CharField(max_length=40, unique=True)
    last_sequence = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_sequence}"


class OutboxEvent(models.Model):
    """One thing that happened, with its payload as it was at that moment.

    `event_id` is the public id: the webhook delivery id, the notification key and the feed item's id.
    `position` is given by the relay in commit order (only committed rows are numbered), so that a feed read
    `after` a position never skips an event committed later; `delivered_at` is set once every subscriber is done.
    """

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40)
    stream = models.CharField(max_length=40)
    sequence = models.BigIntegerField()
    partner_id = models.BigIntegerField(null=True, blank=True)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    account_id = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    # Partners may see it (feed, webhooks); staff-only events (internal notes, SLA alarms) never leave.
    public = models.BooleanField(default=True)
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    position = models.BigIntegerField(null=True, blank=True, unique=True)
    done_by = models.JSONField(default=list)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["stream", "sequence"], name="outbox_stream_sequence_unique")]
        indexes = [
            models.Index(fields=["stream", "sequence"], name="outbox_pending", condition=Q(delivered_at__isnull=True)),
            models.Index(fields=["id"], name="outbox_unpositioned", condition=Q(position__isnull=True)),
            models.Index(
                fields=["partner_id", "position"],
                name="outbox_partner_feed",
                condition=Q(public=True, position__isnull=False),
            ),
            models.Index(fields=["delivered_at"], name="outbox_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.stream}#{self.sequence}"
