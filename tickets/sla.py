"""SLA clocks of a ticket, computed inside each transition's transaction (DESIGN.md section 4).

The ticket stores its deadlines (`accept_due_at`, `resolve_due_at`) and the instants at which 80% of each clock
has run (`*_warn_at`). A pause (waiting for the partner or for production) moves the resolution deadline by the
working time spent paused; at resolution the working time left is kept, so that a reopen continues from there.
A transition made after a running clock's deadline records the breach itself, so a stopped sweeper loses nothing.
"""

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from accounts.models import User
from audit.models import AuditAction
from audit.services import audit_record
from billing import services as billing

from .events import SLA_BREACHED, ticket_event
from .holdings import holder_at
from .models import Kind, SlaBreach, SlaPolicy, Status, Ticket, WorkingCalendar
from .worktime import WorkCalendar, add_working_time, default_calendar, working_time_between

logger = logging.getLogger(__name__)

DEFAULT_ACCEPT_MINUTES = 60
DEFAULT_RESOLVE_MINUTES = {Kind.SIMPLE: 480, Kind.BUG: 180, Kind.COMPOSITE: 480}
WARN_SHARE = 0.8
AUTO_CLOSE_WORKING_DAYS = 3


def calendar_for(ticket: Ticket) -> WorkCalendar:
    """The partner's contract calendar, else the default calendar, else Mon-Fri 09:00-18:00 Europe/Kyiv."""
    calendars = WorkingCalendar.objects.prefetch_related("intervals", "days")
    calendar = calendars.filter(partners__pk=ticket.partner_id).first() or calendars.filter(is_default=True).first()
    if calendar is None:
        return default_calendar()
    try:
        return calendar.to_value()
    except ValueError:
        logger.exception("Calendar %s is unusable; the built-in default applies", calendar.pk)
        return default_calendar()


def calendar_values() -> dict[int | None, WorkCalendar]:
    """Every calendar's value by id, the default one also under None, in two queries (for reports over many
    partners; a transition uses calendar_for)."""
    values: dict[int | None, WorkCalendar] = {None: default_calendar()}
    for calendar in WorkingCalendar.objects.prefetch_related("intervals", "days"):
        try:
            values[calendar.pk] = calendar.to_value()
        except ValueError:
            logger.exception("Calendar %s is unusable; the built-in default applies", calendar.pk)
            continue
        if calendar.is_default:
            values[None] = values[calendar.pk]
    return values


def policy_minutes(*, partner_id: int, kind: str) -> tuple[int, int | None]:
    """(acceptance minutes, resolution minutes) for a kind: the partner's override or the default policy."""
    policy = (
        SlaPolicy.objects.filter(Q(partner_id=partner_id) | Q(partner__isnull=True), kind=kind)
        .order_by(F("partner_id").asc(nulls_last=True))
        .first()
    )
    if policy is None:
        return DEFAULT_ACCEPT_MINUTES, DEFAULT_RESOLVE_MINUTES.get(kind)
    return policy.accept_minutes, policy.resolve_minutes


def policy_for(ticket: Ticket) -> tuple[int, int | None]:
    return policy_minutes(partner_id=ticket.partner_id, kind=ticket.kind)


def add_working_days(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    """The same local time of day on the `days`-th working day after `start`'s day."""
    local = start.astimezone(calendar.tz)
    day = local.date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.intervals_on(day):
            counted += 1
    return datetime.combine(day, local.time(), tzinfo=calendar.tz)


def breach_event(*, ticket: Ticket, breach: SlaBreach) -> None:
    """The staff-only event of a breach: the responsible manager and the administrators are told of it."""
    ticket_event(
        ticket=ticket,
        type=SLA_BREACHED,
        actor=None,
        public=False,
        data={"breach": breach.pk, "clock": breach.kind, "due_at": breach.due_at, "manager": breach.manager_id},
    )


def breach_record(*, ticket: Ticket, clock: str, due_at: datetime, now: datetime) -> None:
    """Record a breach once per ticket and clock, on a ticket the caller has locked (the sweep skips locked
    tickets, and the unique constraint backs this up). It is the fault of whoever held the ticket at the deadline
    (a cover, or the manager a ticket was handed over from), not of whoever holds it when the breach is seen."""
    breach, created = SlaBreach.objects.get_or_create(
        ticket=ticket,
        kind=clock,
        defaults={"due_at": due_at, "detected_at": now, "manager_id": holder_at(ticket=ticket, at=due_at)},
    )
    if created:
        setattr(ticket, breach_flag(clock), True)  # the instance in hand says so too
        tickets_flag_breached(ticket_ids=[ticket.pk], clock=clock)
        breach_event(ticket=ticket, breach=breach)


def breach_flag(clock: str) -> str:
    """The Ticket field that says `clock` ran out (acceptance_breached, resolution_breached): the SLA statistics
    count it, so that they need not join the breaches."""
    return f"{clock}_breached"


def tickets_flag_breached(*, ticket_ids: list[int], clock: str) -> None:
    """Flag the tickets of breaches just recorded. On PostgreSQL the breach's own trigger (SlaBreach.Meta.triggers)
    has done it, whatever code inserted the breach; SQLite has no trigger, so it is done here."""
    if connection.vendor != "postgresql":
        Ticket.objects.filter(pk__in=ticket_ids).update(**{breach_flag(clock): True})


def breach_flag_mismatches() -> dict[str, list[int]]:
    """Per clock, the tickets whose breach flag disagrees with their breach rows (flagged without a breach, or a
    breach without the flag): what the SLA statistics would count wrong. Empty lists when all agree."""
    mismatches = {}
    for clock in SlaBreach.Clock.values:
        breached = Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"), kind=clock))
        flagged = Q(**{breach_flag(clock): True})
        wrong = Ticket.objects.filter((flagged & ~breached) | (~flagged & breached)).order_by("pk")
        mismatches[clock] = list(wrong.values_list("pk", flat=True))
    return mismatches


def breach_flags_repair(*, ticket_ids: list[int], clock: str, actor: User | None = None) -> int:
    """Set the `clock` flag of these tickets from their breach rows, under their row locks, with an audit row per
    ticket changed; returns how many changed."""
    flag = breach_flag(clock)
    breached = Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"), kind=clock))
    changed = 0
    with transaction.atomic(durable=True):
        tickets = Ticket.objects.select_for_update(of=("self",)).filter(pk__in=ticket_ids).order_by("pk")
        for ticket in tickets.annotate(breached=breached):
            if getattr(ticket, flag) == ticket.breached:
                continue
            Ticket.objects.filter(pk=ticket.pk).update(**{flag: ticket.breached})
            audit_record(
                actor=actor,
                action=AuditAction.CHANGED,
                instance=ticket,
                before={flag: getattr(ticket, flag)},
                after={flag: ticket.breached},
                note="reconcile_sla_flags --fix",
            )
            changed += 1
    return changed


def credit_if_late(*, ticket: Ticket, actor) -> None:
    """A request resolved after its resolution deadline (its breach is recorded, and not excused) is credited back
    when the partner's contract has SLA credits. Runs under the ticket's lock, as does excusing its breach."""
    breach = SlaBreach.objects.filter(ticket=ticket, kind=SlaBreach.Clock.RESOLUTION).first()
    if breach is not None and breach.review != SlaBreach.Review.EXCUSED:
        billing.sla_credit_post(ticket=ticket, actor=actor)


def on_transition(*, ticket: Ticket, from_status: str, now: datetime) -> None:
    """Any transition out of a running clock's state after its deadline stops that clock late: a breach."""
    if from_status == Status.NEW and ticket.accept_due_at and now > ticket.accept_due_at:
        breach_record(ticket=ticket, clock=SlaBreach.Clock.ACCEPTANCE, due_at=ticket.accept_due_at, now=now)
    if from_status == Status.ACCEPTED and ticket.resolve_due_at and now > ticket.resolve_due_at:
        breach_record(ticket=ticket, clock=SlaBreach.Clock.RESOLUTION, due_at=ticket.resolve_due_at, now=now)


def on_file(*, ticket: Ticket, now: datetime) -> None:
    accept_minutes, _resolve = policy_for(ticket)
    calendar = calendar_for(ticket)
    ticket.accept_due_at = add_working_time(now, timedelta(minutes=accept_minutes), calendar)
    ticket.accept_warn_at = add_working_time(now, timedelta(minutes=accept_minutes * WARN_SHARE), calendar)


def working_minutes(start: datetime, end: datetime, calendar: WorkCalendar) -> float:
    return working_time_between(start, end, calendar).total_seconds() / 60


def on_accept(*, ticket: Ticket, now: datetime) -> None:
    """Accepted (or a quote approved): the resolution clock starts; an enhancement runs to its quoted date. The
    working time the acceptance took is stored for the SLA audit."""
    calendar = calendar_for(ticket)
    ticket.accept_working_minutes = working_minutes(ticket.created_at, now, calendar)
    if ticket.kind == Kind.ENHANCEMENT:
        ticket.resolve_due_at = ticket.quote_due_at
        if ticket.quote_due_at <= now:
            # Approved after the quoted date: the manager gets the working time the quote allowed, from now,
            # rather than a breach caused by the partner's delay.
            quoted = ticket.events.filter(transition="quote").order_by("-created_at").first()
            quoted_at = quoted.created_at if quoted else ticket.created_at
            ticket.resolve_due_at = add_working_time(
                now, working_time_between(quoted_at, ticket.quote_due_at, calendar), calendar
            )
        budget = working_time_between(now, ticket.resolve_due_at, calendar)
    else:
        _accept, minutes = policy_for(ticket)
        budget = timedelta(minutes=minutes * (ticket.parts or 1))
        ticket.resolve_due_at = add_working_time(now, budget, calendar)
    ticket.resolve_budget = budget
    ticket.resolve_warn_at = add_working_time(now, budget * WARN_SHARE, calendar)
    ticket.resolve_warned = False


def on_resume(*, ticket: Ticket, now: datetime) -> None:
    """The working time spent paused is added to the resolution deadline and to its warning instant."""
    if ticket.paused_at is not None and ticket.resolve_due_at is not None:
        calendar = calendar_for(ticket)
        paused = working_time_between(ticket.paused_at, now, calendar)
        ticket.resolve_due_at = add_working_time(ticket.resolve_due_at, paused, calendar)
        ticket.resolve_warn_at = add_working_time(ticket.resolve_warn_at, paused, calendar)
    ticket.paused_at = None


def on_resolve(*, ticket: Ticket, now: datetime) -> None:
    """The working time left is kept for a reopen; the working time the resolution took, for the SLA audit."""
    calendar = calendar_for(ticket)
    ticket.resolve_working_minutes = working_minutes(ticket.accepted_at, now, calendar)
    ticket.resolve_clock_left = working_time_between(now, ticket.resolve_due_at, calendar)
    ticket.auto_close_at = add_working_days(now, AUTO_CLOSE_WORKING_DAYS, calendar)


def on_reopen(*, ticket: Ticket, now: datetime) -> None:
    """The resolution clock continues from where it stopped at resolution (its warning too, if not yet sent)."""
    calendar = calendar_for(ticket)
    left = ticket.resolve_clock_left or timedelta(0)
    budget = ticket.resolve_budget or left
    ticket.resolve_due_at = add_working_time(now, left, calendar)
    ticket.resolve_warn_at = add_working_time(now, max(left - budget * (1 - WARN_SHARE), timedelta(0)), calendar)
    ticket.resolve_clock_left = None
