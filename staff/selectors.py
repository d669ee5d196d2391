"""Reads of the administrators' console: breaches with filters, weekly SLA statistics per manager, workload."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from tickets.models import SlaBreach, Ticket
from tickets.sla import calendar_values
from tickets.worktime import working_time_between


def breach_list(
    *,
    manager: int | None = None,
    partner: int | None = None,
    kind: str | None = None,
    review: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SlaBreach]:
    breaches = SlaBreach.objects.select_related("ticket__partner", "ticket__project", "manager", "reviewed_by")
    if manager:
        breaches = breaches.filter(manager_id=manager)
    if partner:
        breaches = breaches.filter(ticket__partner_id=partner)
    if kind:
        breaches = breaches.filter(kind=kind)
    if review:
        breaches = breaches.filter(review=review)
    if since:
        breaches = breaches.filter(detected_at__date__gte=since)
    if until:
        breaches = breaches.filter(detected_at__date__lte=until)
    return breaches.order_by("-detected_at", "-id")


@dataclass
class WeekStats:
    week: date
    manager: str
    accepted: int = 0
    breaches: int = 0
    acceptance_minutes: list[float] = field(default_factory=list)
    resolution_minutes: list[float] = field(default_factory=list)

    @property
    def breach_rate(self) -> float:
        return self.breaches / self.accepted if self.accepted else 0.0

    @property
    def median_acceptance(self) -> float | None:
        return statistics.median(self.acceptance_minutes) if self.acceptance_minutes else None

    @property
    def median_resolution(self) -> float | None:
        return statistics.median(self.resolution_minutes) if self.resolution_minutes else None


def _monday(moment: datetime) -> date:
    local = timezone.localtime(moment).date()
    return local - timedelta(days=local.weekday())


def weekly_stats(
    *, since: date, until: date, manager: int | None = None, partner: int | None = None
) -> list[WeekStats]:
    """Per manager and week of acceptance: tickets accepted, breaches, median working minutes to accept and to
    resolve (first resolution), from the tickets' stored timestamps and each partner's calendar."""
    tickets = Ticket.objects.filter(accepted_at__date__gte=since, accepted_at__date__lte=until).select_related(
        "assignee"
    )
    if manager:
        tickets = tickets.filter(assignee_id=manager)
    if partner:
        tickets = tickets.filter(partner_id=partner)
    breached = set(SlaBreach.objects.filter(ticket__in=tickets.values("pk")).values_list("ticket_id", "kind"))
    calendars = calendar_values()
    stats: dict[tuple[date, str], WeekStats] = {}
    for ticket in tickets.select_related("partner").only(
        # status too: the lifecycle mixin reads it on load, a deferred status would cost a query per row
        "pk",
        "status",
        "partner__calendar_id",
        "assignee",
        "created_at",
        "accepted_at",
        "resolved_at",
    ):
        name = ticket.assignee.display_name if ticket.assignee else "—"
        key = (_monday(ticket.accepted_at), name)
        row = stats.setdefault(key, WeekStats(week=key[0], manager=name))
        calendar = calendars.get(ticket.partner.calendar_id) or calendars[None]
        row.accepted += 1
        row.breaches += sum(1 for clock in ("acceptance", "resolution") if (ticket.pk, clock) in breached)
        row.acceptance_minutes.append(
            working_time_between(ticket.created_at, ticket.accepted_at, calendar).total_seconds() / 60
        )
        if ticket.resolved_at:
            row.resolution_minutes.append(
                working_time_between(ticket.accepted_at, ticket.resolved_at, calendar).total_seconds() / 60
            )
    return sorted(stats.values(), key=lambda row: (row.week, row.manager))


def weekly_series(rows: list[WeekStats]) -> dict[str, list[tuple[date, WeekStats]]]:
    """The same rows grouped per manager, for the charts."""
    series: dict[str, list[tuple[date, WeekStats]]] = defaultdict(list)
    for row in rows:
        series[row.manager].append((row.week, row))
    return dict(series)
