"""Who is on duty: each manager's own working hours (their schedule: shifts and breaks, else the default
calendar), less their absences. The queue shows who is on duty now; administrators see the service hours of the
coming week when a manager's projects have nobody on duty (neither the manager nor their deputy), in steps of
DUTY_STEP, and when no manager at all is."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accounts.cover import absences_live
from accounts.models import Absence, ManagerProfile, Project, Role, User

from .sla import calendar_values
from .worktime import WorkCalendar

DUTY_STEP = timedelta(minutes=15)
WEEK = timedelta(days=7)


def shift_end(calendar: WorkCalendar, at: datetime) -> datetime | None:
    """The end of the working interval `at` falls in, or None when `at` is outside working hours."""
    local = at.astimezone(calendar.tz)
    for start, end in calendar.intervals_on(local.date()):
        if start <= local.time().replace(tzinfo=None) < end:
            return datetime.combine(local.date(), end, tzinfo=calendar.tz)
    return None


@dataclass(frozen=True)
class Duty:
    manager: User
    until: datetime


def _managers() -> list[tuple[User, ManagerProfile | None]]:
    people = User.objects.filter(role=Role.MANAGER, is_active=True).select_related("manager_profile")
    return [(person, getattr(person, "manager_profile", None)) for person in people.order_by("name", "email")]


def _schedule(profile: ManagerProfile | None, calendars: dict) -> WorkCalendar:
    key = profile.schedule_id if profile is not None else None
    return calendars.get(key, calendars[None])


def on_duty_now(*, at: datetime) -> list[Duty]:
    """Active managers working now by their schedule and not absent, with when their shift ends (four queries)."""
    calendars = calendar_values()
    absent = set(absences_live(at=at).values_list("manager_id", flat=True))
    duty = []
    for person, profile in _managers():
        until = None if person.pk in absent else shift_end(_schedule(profile, calendars), at)
        if until is not None:
            duty.append(Duty(manager=person, until=until))
    return duty


@dataclass
class Uncovered:
    manager: User | None  # None: no manager at all is on duty
    ranges: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return sum((end - start for start, end in self.ranges), timedelta(0)).total_seconds() / 3600


def _merge(slots: list[datetime]) -> list[tuple[datetime, datetime]]:
    ranges: list[tuple[datetime, datetime]] = []
    for slot in slots:
        if ranges and ranges[-1][1] == slot:
            ranges[-1] = (ranges[-1][0], slot + DUTY_STEP)
        else:
            ranges.append((slot, slot + DUTY_STEP))
    return ranges


def uncovered_hours(*, start: datetime, span: timedelta = WEEK) -> list[Uncovered]:
    """Over [start, start + span), the service's working hours (the default calendar) in which nobody is on duty
    for a manager's projects (the manager and their deputy both off or away; managers serving no project are left
    out), and first those in which no manager at all is. Five queries."""
    calendars = calendar_values()
    service = calendars[None]
    managers = _managers()
    served = set(Project.objects.filter(is_active=True, manager__isnull=False).values_list("manager_id", flat=True))
    away = list(
        Absence.objects.filter(cancelled_at__isnull=True, starts_at__lt=start + span, ends_at__gt=start).values_list(
            "manager_id", "starts_at", "ends_at"
        )
    )
    step_start = start.replace(second=0, microsecond=0)
    step_start -= timedelta(minutes=step_start.minute % 15)
    slots = []
    moment = step_start
    while moment < start + span:
        if shift_end(service, moment) is not None:
            slots.append(moment)
        moment += DUTY_STEP

    def working(person: User, profile, at: datetime) -> bool:
        if any(manager_id == person.pk and begin <= at < end for manager_id, begin, end in away):
            return False
        return shift_end(_schedule(profile, calendars), at) is not None

    duty = {slot: {person.pk for person, profile in managers if working(person, profile, slot)} for slot in slots}
    rows = [Uncovered(manager=None, ranges=_merge([slot for slot in slots if not duty[slot]]))]
    for person, profile in managers:
        if person.pk not in served:
            continue
        team = {person.pk, profile.deputy_id} if profile is not None else {person.pk}
        gaps = [slot for slot in slots if not team & duty[slot]]
        if gaps:
            rows.append(Uncovered(manager=person, ranges=_merge(gaps)))
    return rows
