"""Reads of the administrators' console: breaches with filters, weekly SLA statistics per manager, workload."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from tickets.models import SlaBreach
from tickets.sla_stats import MANAGER, WEEK, Grouping, SlaStats, levels_from_json, sla_stats_levels

from .models import AuditFigures

# The audit's period when none is chosen: the eight weeks up to today.
DEFAULT_PERIOD = timedelta(weeks=8)
# Per manager and week, per manager, in all.
AUDIT_GROUPINGS: tuple[Grouping, ...] = ((MANAGER, WEEK), (MANAGER,), ())
# The worker stores the default period's figures every AUDIT_FIGURES_MINUTES (staff.tasks); figures that missed
# two runs mean that it is down, and the page computes its own.
FIGURES_FRESH_FOR = timedelta(minutes=3 * settings.AUDIT_FIGURES_MINUTES)


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


@dataclass
class ManagerStats:
    """One manager's figures for the whole period."""

    manager_id: int | None
    manager: str
    stats: SlaStats


@dataclass
class AuditStats:
    weeks: list[WeekStats]  # per manager and week, by week then name
    managers: list[ManagerStats]  # per manager, by name
    totals: SlaStats | None  # the whole period (None when nothing was accepted)
    as_of: datetime | None = None  # when the worker computed them (None: computed for this page)


def default_period(now: datetime | None = None) -> tuple[date, date]:
    """The eight weeks up to the day of `now` (by default today) in the current time zone."""
    today = timezone.localdate(now)
    return today - DEFAULT_PERIOD, today


def _period(since: date, until: date) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until` in the current time zone: a range an index answers (the
    `__date` lookups cast every row)."""
    return (
        timezone.make_aware(datetime.combine(since, time.min)),
        timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min)),
    )


def audit_levels(*, since: date, until: date, manager: int | None = None, partner: int | None = None) -> dict:
    """tickets.sla_stats of the tickets accepted in the period, at the audit's levels (AUDIT_GROUPINGS)."""
    start, end = _period(since, until)
    return sla_stats_levels(start=start, end=end, groupings=AUDIT_GROUPINGS, manager=manager, partner=partner)


def stored_figures(*, since: date, until: date) -> AuditFigures | None:
    """The worker's figures of this period in the current time zone, unless they are older than FIGURES_FRESH_FOR."""
    return AuditFigures.objects.filter(
        time_zone=timezone.get_current_timezone_name(),
        since=since,
        until=until,
        computed_at__gte=timezone.now() - FIGURES_FRESH_FOR,
    ).first()


def _stored_levels(stored: AuditFigures) -> dict | None:
    """The stored figures' levels, or None when another version of the code wrote them (right after a deploy)."""
    try:
        return levels_from_json(stored.levels, AUDIT_GROUPINGS)
    except ValueError:
        return None


def _of_manager(levels: dict, manager: int) -> dict:
    """All managers' levels narrowed to one, as audit_levels(manager=...) computes them: their period is the
    total."""
    mine = levels[(MANAGER,)].get((manager,))
    return {
        (MANAGER, WEEK): {key: row for key, row in levels[(MANAGER, WEEK)].items() if key[0] == manager},
        (MANAGER,): {(manager,): mine} if mine else {},
        (): {(): mine} if mine else {},
    }


def audit_stats(*, since: date, until: date, manager: int | None = None, partner: int | None = None) -> AuditStats:
    """Tickets accepted in the period, per manager and week of acceptance, per manager and in all: how many,
    their breaches, the median working minutes to accept and to resolve (tickets.sla_stats, the computation the
    partners' monthly reports share; the totals are the figures such a report shows). The worker's stored figures
    answer for the period they hold, for all managers or one; a partner's are computed here."""
    stored = None if partner else stored_figures(since=since, until=until)
    levels = _stored_levels(stored) if stored else None
    if levels is None:
        stored, levels = None, audit_levels(since=since, until=until, manager=manager, partner=partner)
    elif manager:
        levels = _of_manager(levels, manager)
    per_manager = levels[(MANAGER,)]
    names = {user.pk: user.display_name for user in User.objects.filter(pk__in={key[0] for key in per_manager})}
    weeks = [
        WeekStats(
            week=week,
            manager=names.get(manager_id, "—"),
            accepted=row.accepted,
            breaches=row.breaches,
            median_acceptance=row.median_acceptance,
            median_resolution=row.median_resolution,
        )
        for (manager_id, week), row in levels[(MANAGER, WEEK)].items()
    ]
    managers = [
        ManagerStats(manager_id=manager_id, manager=names.get(manager_id, "—"), stats=row)
        for (manager_id,), row in per_manager.items()
    ]
    return AuditStats(
        weeks=sorted(weeks, key=lambda row: (row.week, row.manager)),
        managers=sorted(managers, key=lambda row: row.manager),
        totals=levels[()].get(()),
        as_of=stored.computed_at if stored else None,
    )


def weekly_series(rows: list[WeekStats]) -> dict[str, list[tuple[date, WeekStats]]]:
    """The same rows grouped per manager, for the charts."""
    series: dict[str, list[tuple[date, WeekStats]]] = defaultdict(list)
    for row in rows:
        series[row.manager].append((row.week, row))
    return dict(series)
