"""Reading checklists: the state of each step on one ticket, and compliance per manager and week.

A timed step is met when its fact happened within its working minutes of its start (in the partner's calendar):
the "first answer" is the earlier of the first public comment by staff and the resolution. A hand-ticked step is
met when it is ticked. Compliance counts the requests accepted in the period and finished (resolved or closed),
each against the steps of its kind that were in use and defined before it was accepted, for whoever held it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import STAFF_ROLES, User

from .models import ChecklistStep, ChecklistTick, Status, Ticket
from .sla import calendar_for, calendar_values
from .worktime import WorkCalendar, add_working_time

FINISHED = (Status.RESOLVED, Status.CLOSED)
STAFF_ANSWER = Q(comments__internal=False, comments__author__role__in=STAFF_ROLES)


@dataclass(frozen=True)
class StepState:
    step: ChecklistStep
    met: bool
    missed: bool
    due_at: datetime | None = None
    done_at: datetime | None = None
    ticked_by: User | None = None


def ticket_facts(*, created_at, accepted_at, resolved_at, first_comment) -> dict[str, datetime | None]:
    answers = [moment for moment in (first_comment, resolved_at) if moment is not None]
    return {
        ChecklistStep.Start.FILED: created_at,
        ChecklistStep.Fact.ACCEPTED: accepted_at,
        ChecklistStep.Fact.ANSWERED: min(answers) if answers else None,
        ChecklistStep.Fact.RESOLVED: resolved_at,
    }


def timed_outcome(step: ChecklistStep, facts: dict, calendar: WorkCalendar) -> tuple[datetime | None, datetime | None]:
    """(due_at, done_at) of a timed step: None while its start has not happened / its fact has not."""
    start = facts.get(step.start)
    if start is None:
        return None, facts.get(step.fact)
    return add_working_time(start, timedelta(minutes=step.minutes), calendar), facts.get(step.fact)


def steps_for(*, kind: str) -> list[ChecklistStep]:
    return list(ChecklistStep.objects.filter(kind=kind, is_active=True).order_by("position", "id"))


def ticket_checklist(*, ticket: Ticket) -> list[StepState]:
    """Every step of the ticket's kind with its state now (four queries)."""
    steps = steps_for(kind=ticket.kind)
    if not steps:
        return []
    ticks = {tick.step_id: tick for tick in ticket.checklist_ticks.select_related("ticked_by")}
    first_comment = Ticket.objects.filter(pk=ticket.pk).aggregate(
        first=Min("comments__created_at", filter=STAFF_ANSWER)
    )
    facts = ticket_facts(
        created_at=ticket.created_at,
        accepted_at=ticket.accepted_at,
        resolved_at=ticket.resolved_at,
        first_comment=first_comment["first"],
    )
    calendar = calendar_for(ticket) if any(step.is_timed for step in steps) else None
    now = timezone.now()
    states = []
    for step in steps:
        if not step.is_timed:
            tick = ticks.get(step.pk)
            states.append(
                StepState(
                    step,
                    met=tick is not None,
                    missed=False,
                    done_at=tick and tick.ticked_at,
                    ticked_by=tick and tick.ticked_by,
                )
            )
            continue
        due_at, done_at = timed_outcome(step, facts, calendar)
        met = due_at is not None and done_at is not None and done_at <= due_at
        missed = due_at is not None and not met and (done_at is not None or now > due_at)
        states.append(StepState(step, met=met, missed=missed, due_at=due_at, done_at=done_at))
    return states


@dataclass
class Compliance:
    week: date
    manager_id: int | None
    applicable: int = 0
    met: int = 0

    @property
    def rate(self) -> float:
        return self.met / self.applicable if self.applicable else 0.0


def week_of(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def checklist_compliance(*, since: datetime, until: datetime) -> list[Compliance]:
    """Per week of acceptance and manager (who holds the request): steps applicable and met, over the requests
    accepted in [since, until) and finished. Four queries, whatever the number of requests."""
    steps_by_kind: dict[str, list[ChecklistStep]] = defaultdict(list)
    for step in ChecklistStep.objects.filter(is_active=True).order_by("position", "id"):
        steps_by_kind[step.kind].append(step)
    if not steps_by_kind:
        return []
    tickets = (
        Ticket.objects.filter(accepted_at__gte=since, accepted_at__lt=until, status__in=FINISHED)
        .filter(kind__in=list(steps_by_kind))
        .annotate(first_comment=Min("comments__created_at", filter=STAFF_ANSWER))
        .values_list(
            "pk",
            "kind",
            "assignee_id",
            "partner__calendar_id",
            "created_at",
            "accepted_at",
            "resolved_at",
            "first_comment",
        )
    )
    ticked = set(
        ChecklistTick.objects.filter(
            ticket__accepted_at__gte=since, ticket__accepted_at__lt=until, ticket__status__in=FINISHED
        ).values_list("ticket_id", "step_id")
    )
    calendars = calendar_values()
    rows: dict[tuple[date, int | None], Compliance] = {}
    for pk, kind, assignee_id, calendar_id, created_at, accepted_at, resolved_at, first_comment in tickets:
        applicable = [step for step in steps_by_kind[kind] if step.created_at <= accepted_at]
        if not applicable:
            continue
        facts = ticket_facts(
            created_at=created_at, accepted_at=accepted_at, resolved_at=resolved_at, first_comment=first_comment
        )
        calendar = calendars.get(calendar_id, calendars[None])
        key = (week_of(accepted_at), assignee_id)
        row = rows.setdefault(key, Compliance(week=key[0], manager_id=assignee_id))
        for step in applicable:
            row.applicable += 1
            if step.is_timed:
                due_at, done_at = timed_outcome(step, facts, calendar)
                row.met += int(due_at is not None and done_at is not None and done_at <= due_at)
            else:
                row.met += int((pk, step.pk) in ticked)
    return sorted(rows.values(), key=lambda row: (row.week, row.manager_id or 0))
