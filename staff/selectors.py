"""Reads of the administrators' console: breaches with filters, weekly SLA statistics per manager, workload."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from tickets.models import SlaBreach
from tickets.sla_stats import MANAGER, WEEK, SlaStats, sla_stats


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
    resolve (tickets.sla_stats, the computation the partners' monthly reports share)."""
    start, end = _period(since, until)
    groups = sla_stats(start=start, end=end, by=(WEEK, MANAGER), manager=manager, partner=partner)
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in={key[1] for key in groups})}
    stats = [
        WeekStats(
            week=week,
            manager=names.get(manager_id, "—"),
            accepted=row.accepted,
            breaches=row.breaches,
            median_acceptance=row.median_acceptance,
            median_resolution=row.median_resolution,
        )
        for (week, manager_id), row in groups.items()
    ]
    return sorted(stats, key=lambda row: (row.week, row.manager))


def period_totals(
    *, since: date, until: date, manager: int | None = None, partner: int | None = None
) -> SlaStats | None:
    """The audit's totals for the whole period (the same figures a partner's monthly report shows)."""
    start, end = _period(since, until)
    return sla_stats(start=start, end=end, manager=manager, partner=partner).get(())


def weekly_series(rows: list[WeekStats]) -> dict[str, list[tuple[date, WeekStats]]]:
    """The same rows grouped per manager, for the charts."""
    series: dict[str, list[tuple[date, WeekStats]]] = defaultdict(list)
    for row in rows:
        series[row.manager].append((row.week, row))
    return dict(series)
