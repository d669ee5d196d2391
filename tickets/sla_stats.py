"""SLA statistics of the tickets accepted in a period: the one computation behind the administrators' SLA audit
(per manager and week, and its totals) and the partner's monthly service report.

Aggregated in SQL from the working minutes each ticket stored when its clocks stopped (tickets/sla.py), over the
index `ticket_accepted`. SQLite has no median: there the medians of the same stored numbers are taken in Python.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Aggregate, Count, DateField, F, FloatField, Q
from django.db.models.functions import TruncWeek

from .models import SlaBreach, Ticket

# Group keys (named apart from any field of Ticket or SlaBreach, e.g. SlaBreach.manager).
WEEK, MANAGER = "by_week", "by_manager"


class Median(Aggregate):
    """PostgreSQL's median (the mean of the two middle values for an even count, as statistics.median)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class SlaStats:
    """Tickets accepted in the period: how many, how many of them are resolved, their breaches by clock (of the
    resolved ones for resolution), and the median working minutes to accept and to resolve."""

    accepted: int = 0
    resolved: int = 0
    acceptance_breaches: int = 0
    resolution_breaches: int = 0
    resolved_late: int = 0
    median_acceptance: float | None = None
    median_resolution: float | None = None

    @property
    def breaches(self) -> int:
        return self.acceptance_breaches + self.resolution_breaches

    @property
    def breach_rate(self) -> float:
        return self.breaches / self.accepted if self.accepted else 0.0

    @property
    def accepted_in_time_share(self) -> float | None:
        return (self.accepted - self.acceptance_breaches) / self.accepted if self.accepted else None

    @property
    def resolved_in_time_share(self) -> float | None:
        return (self.resolved - self.resolved_late) / self.resolved if self.resolved else None


def _groups(by: tuple[str, ...], prefix: str = "") -> dict:
    keys = {WEEK: TruncWeek(f"{prefix}accepted_at", output_field=DateField()), MANAGER: F(f"{prefix}assignee_id")}
    return {name: keys[name] for name in by}


def _medians_in_python(rows, by: tuple[str, ...]) -> list[dict]:
    """The aggregate where the database has no median (SQLite, the embedded default)."""
    grouped: dict[tuple, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[tuple(row[name] for name in by)].append((row["accept_working_minutes"], row["resolve_working_minutes"]))

    def median(numbers: list) -> float | None:
        present = [number for number in numbers if number is not None]
        return statistics.median(present) if present else None

    return [
        {
            **dict(zip(by, key, strict=True)),
            "accepted": len(minutes),
            "resolved": sum(1 for _accept, resolve in minutes if resolve is not None),
            "median_acceptance": median([accept for accept, _resolve in minutes]),
            "median_resolution": median([resolve for _accept, resolve in minutes]),
        }
        for key, minutes in grouped.items()
    ]


def sla_stats(
    *,
    start: datetime,
    end: datetime,
    by: tuple[str, ...] = (),
    manager: int | None = None,
    partner: int | None = None,
) -> dict[tuple, SlaStats]:
    """SlaStats of the tickets accepted from `start` (included) to `end` (excluded), per group of `by` (WEEK,
    MANAGER: the week of acceptance, the ticket's manager); with `by=()` one total under the key `()` (absent
    when nothing was accepted)."""
    tickets = Ticket.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    breaches = SlaBreach.objects.filter(ticket__accepted_at__gte=start, ticket__accepted_at__lt=end)
    if manager:
        tickets, breaches = tickets.filter(assignee_id=manager), breaches.filter(ticket__assignee_id=manager)
    if partner:
        tickets, breaches = tickets.filter(partner_id=partner), breaches.filter(ticket__partner_id=partner)
    groups = tickets.order_by().values(**_groups(by)) if by else tickets.order_by()
    if connection.vendor == "postgresql":
        aggregates = {
            "accepted": Count("*"),  # not "id": the index ticket_accepted covers the rest
            "resolved": Count("resolve_working_minutes"),
            "median_acceptance": Median("accept_working_minutes"),
            "median_resolution": Median("resolve_working_minutes"),
        }
        rows = list(groups.annotate(**aggregates)) if by else [groups.aggregate(**aggregates)]
    else:
        rows = _medians_in_python(
            groups.values(*by, "accept_working_minutes", "resolve_working_minutes")
            if by
            else tickets.order_by().values("accept_working_minutes", "resolve_working_minutes"),
            by,
        )
    late = {
        "acceptance_breaches": Count("id", filter=Q(kind=SlaBreach.Clock.ACCEPTANCE)),
        "resolution_breaches": Count("id", filter=Q(kind=SlaBreach.Clock.RESOLUTION)),
        "resolved_late": Count(
            "id", filter=Q(kind=SlaBreach.Clock.RESOLUTION, ticket__resolve_working_minutes__isnull=False)
        ),
    }
    breached = breaches.order_by()
    breach_rows = (
        list(breached.values(**_groups(by, "ticket__")).annotate(**late)) if by else [breached.aggregate(**late)]
    )
    counted = {tuple(row[name] for name in by): row for row in breach_rows}
    stats = {}
    for row in rows:
        if not row["accepted"]:
            continue
        key = tuple(row[name] for name in by)
        late_row = counted.get(key, {})
        stats[key] = SlaStats(
            accepted=row["accepted"],
            resolved=row["resolved"],
            acceptance_breaches=late_row.get("acceptance_breaches", 0),
            resolution_breaches=late_row.get("resolution_breaches", 0),
            resolved_late=late_row.get("resolved_late", 0),
            median_acceptance=row["median_acceptance"],
            median_resolution=row["median_resolution"],
        )
    return stats
