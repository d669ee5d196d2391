"""Tickets (requests), their parts, comments, attachments, time log, ratings and history."""

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from billing.models import RequestKind as Kind

from ..notes import RATING_SCALE, note_text

REOPEN_WINDOW = timedelta(days=14)


class Channel(models.TextChoices):
    WEB = "web", _("Web cabinet")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")


class Status(models.TextChoices):
    NEW = "new", _("New")
    QUOTED = "quoted", _("Quoted")
    ACCEPTED = "accepted", _("Accepted")
    WAITING_PARTNER = "waiting_partner", _("Waiting for the partner")
    WAITING_PRODUCTION = "waiting_production", _("Waiting for production")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.NEW, Status.QUOTED, Status.ACCEPTED, Status.WAITING_PARTNER, Status.WAITING_PRODUCTION)
PAUSED_STATUSES = (Status.WAITING_PARTNER, Status.WAITING_PRODUCTION)

# A deadline not set yet sorts after every real one (as PostgreSQL sorts NULL by default) through this stand-in,
# so that an ordering by a deadline is a plain index range that keyset pagination can continue from.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


def deadline_key(field: str) -> Coalesce:
    """The sort key of a nullable deadline column; the indexes below are built on exactly this expression."""
    return Coalesce(F(field), Value(NO_DEADLINE, output_field=models.DateTimeField()))


class Ticket(ConcurrentTransitionMixin, models.Model):
    """A partner's request. `status` changes only through the transition methods, called by tickets.services."""

    project = models.ForeignKey("accounts.Project", on_delete=models.PROTECT, related_name="tickets")
    partner = models.ForeignKey("accounts.Partner", on_delete=models.PROTECT, related_name="tickets")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filed_tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tickets"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    status = FSMField(default=Status.NEW, choices=Status.choices, protected=True)

    parts = models.PositiveSmallIntegerField(null=True, blank=True)
    # A composite's parts settled done at its first resolution (the rest dropped): what the debit charges for.
    parts_done = models.PositiveSmallIntegerField(null=True, blank=True)
    estimate_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    quote_due_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    reject_reason = models.TextField(blank=True)
    resolution_round = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    auto_close_at = models.DateTimeField(null=True, blank=True)

    # The SLA clocks (tickets/sla.py): deadlines and the instants at which 80% of each clock has run.
    accept_due_at = models.DateTimeField(null=True, blank=True)
    accept_warn_at = models.DateTimeField(null=True, blank=True)
    accept_warned = models.BooleanField(default=False)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    resolve_warn_at = models.DateTimeField(null=True, blank=True)
    resolve_warned = models.BooleanField(default=False)
    resolve_budget = models.DurationField(null=True, blank=True)
    resolve_clock_left = models.DurationField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)

    # Working minutes each clock took, stored when it stops (tickets/sla.py): the SLA audit aggregates these in SQL.
    accept_working_minutes = models.FloatField(null=True, blank=True)
    resolve_working_minutes = models.FloatField(null=True, blank=True)
    # Whether each clock ran out: set with the SlaBreach that records it (its trigger; tickets.sla on SQLite), beside
    # the working minutes, so that the audit counts breaches in the same pass over the index `ticket_accepted`.
    acceptance_breached = models.BooleanField(default=False, db_default=False)
    resolution_breached = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The lists' orderings, per scope: everyone (administrators), a partner, a project or an assignee
            # (a manager sees their projects' tickets and those assigned to them).
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            models.Index(fields=["partner", "-created_at", "-id"], name="ticket_partner_created"),
            models.Index(fields=["project", "-created_at", "-id"], name="ticket_project_created"),
            models.Index(fields=["assignee", "-created_at", "-id"], name="ticket_assignee_created"),
            models.Index(deadline_key("accept_due_at"), F("id"), name="ticket_accept_due"),
            models.Index(deadline_key("resolve_due_at"), F("id"), name="ticket_resolve_due"),
            models.Index(F("partner"), deadline_key("accept_due_at"), F("id"), name="ticket_partner_accept_due"),
            models.Index(F("partner"), deadline_key("resolve_due_at"), F("id"), name="ticket_partner_resolve_due"),
            # The SLA audit: tickets accepted in a period, with what its statistics read (an index-only scan).
            models.Index(
                fields=["accepted_at"],
                name="ticket_accepted",
                condition=Q(accepted_at__isnull=False),
                include=[
                    "id",
                    "assignee",
                    "accept_working_minutes",
                    "resolve_working_minutes",
                    "acceptance_breached",
                    "resolution_breached",
                    "partner",
                ],
            ),
            models.Index(
                fields=["assignee", "accepted_at"],
                name="ticket_assignee_accepted",
                condition=Q(accepted_at__isnull=False),
                include=[
                    "id",
                    "accept_working_minutes",
                    "resolve_working_minutes",
                    "acceptance_breached",
                    "resolution_breached",
                ],
            ),
            models.Index(fields=["partner", "status"], name="ticket_partner_status"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["project", "status"], name="ticket_project_status"),
            models.Index(fields=["accept_due_at"], name="ticket_accept_due_open", condition=Q(status="new")),
            models.Index(fields=["resolve_due_at"], name="ticket_resolve_due_open", condition=Q(status="accepted")),
            models.Index(fields=["auto_close_at"], name="ticket_auto_close", condition=Q(status="resolved")),
            models.Index(
                fields=["accept_warn_at"], name="ticket_accept_warn", condition=Q(status="new", accept_warned=False)
            ),
            models.Index(
                fields=["resolve_warn_at"],
                name="ticket_resolve_warn",
                condition=Q(status="accepted", resolve_warned=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parts__isnull=True) | Q(parts__gte=2, kind="composite"), name="ticket_parts_composite"
            ),
            models.CheckConstraint(condition=~Q(channel="phone") | Q(kind="bug"), name="ticket_phone_only_bugs"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"PS-{self.pk:06d}" if self.pk else "PS-new"

    def reopen_window_open(self) -> bool:
        return self.resolved_at is not None and timezone.now() - self.resolved_at <= REOPEN_WINDOW

    def not_enhancement(self) -> bool:
        return self.kind != Kind.ENHANCEMENT

    def is_enhancement(self) -> bool:
        return self.kind == Kind.ENHANCEMENT

    # The transitions. They only move the status and stamp the ticket's own columns; the services in
    # tickets/services lock the row, check the policy, compute deadlines and money, save and write history.

    @transition(field=status, source=Status.NEW, target=Status.ACCEPTED, conditions=[not_enhancement])
    def accept(self, *, now):
        self.accepted_at = now

    @transition(field=status, source=Status.NEW, target=Status.QUOTED, conditions=[is_enhancement])
    def quote(self, *, now):
        pass

    @transition(field=status, source=Status.QUOTED, target=Status.ACCEPTED)
    def approve(self, *, now):
        self.accepted_at = now

    @transition(field=status, source=Status.QUOTED, target=Status.CANCELLED)
    def decline(self, *, now):
        self.cancelled_at = now

    @transition(field=status, source=Status.NEW, target=Status.REJECTED)
    def reject(self, *, now):
        self.closed_at = now

    @transition(field=status, source=Status.ACCEPTED, target=Status.WAITING_PARTNER)
    def request_info(self, *, now):
        self.paused_at = now

    @transition(field=status, source=Status.ACCEPTED, target=Status.WAITING_PRODUCTION)
    def escalate(self, *, now):
        self.paused_at = now

    @transition(field=status, source=list(PAUSED_STATUSES), target=Status.ACCEPTED)
    def resume(self, *, now):
        pass

    @transition(field=status, source=Status.ACCEPTED, target=Status.RESOLVED)
    def resolve(self, *, now):
        self.resolved_at = now
        self.resolution_round += 1

    @transition(field=status, source=Status.RESOLVED, target=Status.CLOSED)
    def confirm(self, *, now):
        self.closed_at = now
        self.auto_close_at = None

    @transition(
        field=status, source=[Status.RESOLVED, Status.CLOSED], target=Status.ACCEPTED, conditions=[reopen_window_open]
    )
    def reopen(self, *, now):
        self.closed_at = None
        self.auto_close_at = None

    @transition(field=status, source=list(OPEN_STATUSES), target=Status.CANCELLED)
    def cancel(self, *, now):
        self.cancelled_at = now
        self.paused_at = None


class TicketPart(models.Model):
    """One part of a composite ticket, which the manager titles and ticks off so that the partner sees progress.

    The ticket's resolution settles every part: done, or dropped (its share of the hold is released); from then on
    the parts no longer change."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="part_rows")
    position = models.PositiveSmallIntegerField()
    # Empty until the manager names it: shown as "Part 2" in the reader's language (`label`).
    title = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "position"], name="ticket_part_position_unique"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(dropped_at__isnull=True), name="ticket_part_done_or_dropped"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.position} {self.title}"

    @property
    def label(self) -> str:
        return self.title or gettext("Part %(n)d") % {"n": self.position}

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_dropped(self) -> bool:
        return self.dropped_at is not None


class Comment(models.Model):
    """A message on a ticket; internal notes are for staff only and never shown to partners."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="comment_ticket_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random stored name: the original one is kept in a column and never used as a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file on a ticket, stored outside any public URL and served only through a permission-checked view."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class TimeEntry(models.Model):
    """Working time a specialist spent on a ticket; visible to the partner."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    part = models.ForeignKey(TicketPart, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=1440), name="time_entry_minutes_range")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.minutes} min"


RATING_MIN, RATING_MAX = 1, 5


class Rating(models.Model):
    """The partner's score of one resolution (a reopened and resolved again ticket can be rated again)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="ratings")
    resolution_round = models.PositiveSmallIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "resolution_round"], name="rating_once_per_resolution"),
            models.CheckConstraint(condition=Q(score__gte=RATING_MIN, score__lte=RATING_MAX), name="rating_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"

    @property
    def score_label(self) -> str:
        return RATING_SCALE.get(self.score, "")


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    TRANSITION = "transition", _("Status changed")
    COMMENT = "comment", _("Comment")
    ATTACHMENT = "attachment", _("Attachment")
    TIME_ENTRY = "time_entry", _("Time logged")
    PART = "part", _("Part updated")
    RATING = "rating", _("Rated")
    ASSIGNED = "assigned", _("Assignee changed")


class TicketEvent(models.Model):
    """One line of a ticket's history: who did what and when. Internal events are hidden from partners."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    transition = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # A note the system writes is a code and its values (tickets/notes.py), worded in the reader's language.
    note_code = models.CharField(max_length=30, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.transition}"

    @property
    def text(self) -> str:
        """The note as the reader reads it: the system's worded now in the active language, a person's as written."""
        return note_text(self.note_code, self.note_params) if self.note_code else self.note
