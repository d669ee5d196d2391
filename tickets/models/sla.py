"""Working calendars, SLA policies and recorded breaches (DESIGN.md section 4)."""

from datetime import time
from zoneinfo import ZoneInfo, available_timezones

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..worktime import WorkCalendar
from .tickets import Kind


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("%(value)s is not a time zone name such as Europe/Kyiv.") % {"value": value})


class WorkingCalendar(models.Model):
    """A time zone, weekly working hours, holidays and extra working days; each partner's contract points at one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Kyiv", validators=[validate_timezone])
    is_default = models.BooleanField(_("default calendar"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_calendar")
        ]

    def __str__(self) -> str:
        return self.name

    def to_value(self) -> WorkCalendar:
        """The immutable value the arithmetic works on (uses prefetched intervals and days when present)."""
        weekly: dict[int, list[tuple[time, time]]] = {}
        for interval in sorted(self.intervals.all(), key=lambda i: (i.weekday, i.start)):
            weekly.setdefault(interval.weekday, []).append((interval.start, interval.end))
        days = list(self.days.all())
        return WorkCalendar(
            tz=ZoneInfo(self.timezone),
            weekly=weekly,
            holidays=frozenset(d.date for d in days if d.kind == CalendarDay.Kind.HOLIDAY),
            extra_working_days=frozenset(d.date for d in days if d.kind == CalendarDay.Kind.EXTRA_WORKING_DAY),
        )


class WorkingInterval(models.Model):
    """Working hours on one weekday, in the calendar's local wall time (several per day for split shifts)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="intervals")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="interval_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="interval_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class CalendarDay(models.Model):
    """A day off (holiday) or an extra working day (worked with Monday's hours) in one calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off")
        EXTRA_WORKING_DAY = "extra", _("Extra working day")

    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class SlaPolicy(models.Model):
    """Acceptance and resolution working minutes for a kind: the default (no partner) or a partner's override.

    A composite's resolution time is per part; an enhancement's resolution runs to its quoted due date.
    """

    partner = models.ForeignKey("accounts.Partner", on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    accept_minutes = models.PositiveIntegerField(default=60)
    resolve_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["partner_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind"], name="sla_policy_per_partner_kind"),
            models.UniqueConstraint(fields=["kind"], condition=Q(partner__isnull=True), name="sla_policy_default_kind"),
            models.CheckConstraint(condition=Q(accept_minutes__gte=1), name="sla_policy_accept_positive"),
            models.CheckConstraint(
                condition=Q(resolve_minutes__isnull=True) | Q(resolve_minutes__gte=1),
                name="sla_policy_resolve_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner or _('Default')}: {self.get_kind_display()}"


class SlaBreach(models.Model):
    """A deadline that passed: recorded once per ticket and clock, never deleted, reviewed by administrators."""

    class Clock(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance")
        RESOLUTION = "resolution", _("Resolution")

    class Review(models.TextChoices):
        OPEN = "open", _("Not reviewed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        EXCUSED = "excused", _("Excused")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, related_name="breaches")
    kind = models.CharField(max_length=12, choices=Clock.choices)
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField(default=timezone.now)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="sla_breaches"
    )
    review = models.CharField(max_length=12, choices=Review.choices, default=Review.OPEN)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        ordering = ["-detected_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "kind"], name="sla_breach_once_per_clock")]
        indexes = [
            models.Index(fields=["manager", "detected_at"], name="breach_manager_detected"),
            models.Index(fields=["-detected_at", "-id"], name="breach_detected"),
        ]
        triggers = [
            # The ticket's flag of this clock (Ticket.acceptance_breached, .resolution_breached), which the SLA
            # statistics count, is set by the database with every breach, whatever code inserts it (a worker still
            # running older code, a script); on SQLite, tickets.sla.tickets_flag_breached sets it.
            pgtrigger.Trigger(
                name="breach_flags_its_ticket",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func=(
                    "UPDATE tickets_ticket SET "
                    "acceptance_breached = acceptance_breached OR NEW.kind = 'acceptance', "
                    "resolution_breached = resolution_breached OR NEW.kind = 'resolution' "
                    "WHERE id = NEW.ticket_id; RETURN NULL;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} due {self.due_at:%Y-%m-%d %H:%M}"
