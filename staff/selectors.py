"""Reads of the administrators' console: breaches with filters, weekly SLA statistics per manager, workload."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DateField, F, FloatField, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import User
from tickets.models import SlaBreach, Ticket


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
        breaches = breaches.filter(detected_at__gte=_period(since, since)[0])
    if until:
        breaches = breaches.filter(detected_at__lt=_period(until, until)[1])
    return breaches.order_by("-detected_at", "-id")


@dataclass
class WeekStats:
    week: date
    manager: str
    accepted: int = 0
    breaches: int = 0
    median_acceptance: float | None = None
    median_resolution: float | None = None

    @property
    def breach_rate(self) -> float:
        return self.breaches / self.accepted if self.accepted else 0.0


class Median(Aggregate):
    """PostgreSQL's median (the mean of the two middle values for an even count, as statistics.median)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _period(since: date, until: date) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until` in the current time zone: a range an index answers (the
    `__date` lookups cast every row)."""
    return (
        timezone.make_aware(datetime.combine(since, time.min)),
        timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)),
    )


def weekly_stats(
    *, since: date, until: date, manager: int | None = None, partner: int | None = None
) -> list[WeekStats]:
    """Per manager and week of acceptance: tickets accepted, breaches, median working minutes to accept and to
    resolve, aggregated in SQL from the working minutes each ticket stored when its clocks stopped (tickets/sla.py)
    over the index `ticket_accepted`. SQLite has no median: there the medians of the same stored numbers are taken
    in Python."""
    start, end = _period(since, until)
    tickets = Ticket.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    if manager:
        tickets = tickets.filter(assignee_id=manager)
    if partner:
        tickets = tickets.filter(partner_id=partner)
    groups = tickets.order_by().values(
        week=TruncWeek("accepted_at", output_field=DateField()), manager=F("assignee_id")
    )
    if connection.vendor == "postgresql":
        rows = list(
            groups.annotate(
                accepted=Count("*"),  # not "id": the index ticket_accepted covers the rest
                median_acceptance=Median("accept_working_minutes"),
                median_resolution=Median("resolve_working_minutes"),
            )
        )
    else:
        rows = _medians_in_python(
            groups.values_list("week", "manager", "accept_working_minutes", "resolve_working_minutes")
        )
    breached = SlaBreach.objects.filter(ticket__accepted_at__gte=start, ticket__accepted_at__lt=end).order_by()
    if manager:
        breached = breached.filter(ticket__assignee_id=manager)
    if partner:
        breached = breached.filter(ticket__partner_id=partner)
    breaches = {
        (row["week"], row["assignee"]): row["count"]
        for row in breached.values(
            week=TruncWeek("ticket__accepted_at", output_field=DateField()), assignee=F("ticket__assignee_id")
        ).annotate(count=Count("id"))
    }
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in={row["manager"] for row in rows})}
    stats = [
        WeekStats(
            week=row["week"],
            manager=names.get(row["manager"], "—"),
            accepted=row["accepted"],
            breaches=breaches.get((row["week"], row["manager"]), 0),
            median_acceptance=row["median_acceptance"],
            median_resolution=row["median_resolution"],
        )
        for row in rows
    ]
    return sorted(stats, key=lambda row: (row.week, row.manager))


def _medians_in_python(values) -> list[dict]:
    """The aggregate of weekly_stats where the database has no median (SQLite, the embedded default)."""
    grouped: dict[tuple, list[tuple]] = defaultdict(list)
    for week, manager, accept_minutes, resolve_minutes in values:
        grouped[(week, manager)].append((accept_minutes, resolve_minutes))

    def median(numbers: list) -> float | None:
        present = [number for number in numbers if number is not None]
        return statistics.median(present) if present else None

    return [
        {
            "week": week,
            "manager": manager,
            "accepted": len(minutes),
            "median_acceptance": median([accept for accept, _resolve in minutes]),
            "median_resolution": median([resolve for _accept, resolve in minutes]),
        }
        for (week, manager), minutes in grouped.items()
    ]


def weekly_series(rows: list[WeekStats]) -> dict[str, list[tuple[date, WeekStats]]]:
    """The same rows grouped per manager, for the charts."""
    series: dict[str, list[tuple[date, WeekStats]]] = defaultdict(list)
    for row in rows:
        series[row.manager].append((row.week, row))
    return dict(series)
