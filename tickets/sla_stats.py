"""SLA statistics of the tickets accepted in a period: the one computation behind the administrators' SLA audit
(per manager and week, per manager, and the period's totals) and the partner's monthly service report.

Read from what each ticket stored when its clocks stopped or ran out (tickets/sla.py): the working minutes and
the breach flags. On PostgreSQL every level of grouping comes from one pass over the index `ticket_accepted`
(GROUPING SETS: a median does not add up from the medians of parts, so each level is aggregated, but the rows are
read once); weeks are buckets between the Mondays of the current time zone (width_bucket), a comparison per row
where `date_trunc(... AT TIME ZONE ...)` converts every row. SQLite (the embedded default) has neither GROUPING
SETS nor a median: there the same stored numbers are grouped in Python.
"""

import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from .models import Ticket

# Group keys: the week of acceptance (its Monday) and the ticket's manager.
WEEK, MANAGER = "by_week", "by_manager"
Grouping = tuple[str, ...]


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


def week_starts(start: datetime, end: datetime) -> list[datetime]:
    """Monday 00:00 (current time zone) of every week from the one holding `start` to the one before `end`."""
    zone = timezone.get_current_timezone()
    monday = timezone.localtime(start, zone).date()
    monday -= timedelta(days=monday.weekday())
    starts = []
    while (moment := timezone.make_aware(datetime.combine(monday, time.min), zone)) < end:
        starts.append(moment)
        monday += timedelta(weeks=1)
    return starts


def sla_stats(
    *, start: datetime, end: datetime, by: Grouping = (), manager: int | None = None, partner: int | None = None
) -> dict[tuple, SlaStats]:
    """SlaStats of the tickets accepted from `start` (included) to `end` (excluded), per group of `by` (WEEK: the
    Monday of the week of acceptance, MANAGER: the ticket's manager); with `by=()` one total under the key `()`
    (absent when nothing was accepted)."""
    return sla_stats_levels(start=start, end=end, groupings=(by,), manager=manager, partner=partner)[by]


def sla_stats_levels(
    *,
    start: datetime,
    end: datetime,
    groupings: tuple[Grouping, ...],
    manager: int | None = None,
    partner: int | None = None,
) -> dict[Grouping, dict[tuple, SlaStats]]:
    """sla_stats for several groupings at once (e.g. per week and manager, per manager, in all), each a subset of
    the first one, from one reading of the tickets: grouping -> key -> SlaStats."""
    assert all(set(grouping) <= set(groupings[0]) for grouping in groupings), groupings
    weeks = week_starts(start, end) if WEEK in groupings[0] else []
    window = _Window(start=start, end=end, weeks=weeks, manager=manager, partner=partner)
    grouped = _in_sql(window, groupings) if connection.vendor == "postgresql" else _in_python(window, groupings)
    return {
        grouping: {key: SlaStats(*figures) for key, figures in groups.items() if figures[0]}
        for grouping, groups in grouped.items()
    }


@dataclass
class _Window:
    start: datetime
    end: datetime
    weeks: list[datetime]
    manager: int | None
    partner: int | None
    mondays: list[date] = field(init=False)  # the local date of each week's start

    def __post_init__(self):
        self.mondays = [timezone.localtime(start).date() for start in self.weeks]

    def week_of(self, bucket: int) -> date:
        """The Monday of a bucket of width_bucket or bisect_right (1 for the first week)."""
        return self.mondays[bucket - 1]

    def key(self, names: Grouping, values) -> tuple:
        return tuple(self.week_of(value) if name == WEEK else value for name, value in zip(names, values, strict=True))


# The figures of a group, in the order of SlaStats' fields.
FIGURES_SQL = """COUNT(*), COUNT(resolve_working_minutes),
    COUNT(*) FILTER (WHERE acceptance_breached), COUNT(*) FILTER (WHERE resolution_breached),
    COUNT(*) FILTER (WHERE resolution_breached AND resolve_working_minutes IS NOT NULL),
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY accept_working_minutes),
    PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY resolve_working_minutes)"""


def _in_sql(window: _Window, groupings: tuple[Grouping, ...]) -> dict[Grouping, dict[tuple, tuple]]:
    """grouping -> key -> figures, in one query: GROUPING(...) tells which grouping a row belongs to."""
    finest = groupings[0]
    keys = {WEEK: "width_bucket(accepted_at, %s::timestamptz[])", MANAGER: "assignee_id"}
    params: list = [window.weeks] if WEEK in finest else []
    where = ["accepted_at >= %s", "accepted_at < %s"]
    params += [window.start, window.end]
    for column, value in (("assignee_id", window.manager), ("partner_id", window.partner)):
        if value:
            where.append(f"{column} = %s")
            params.append(value)
    if MANAGER in finest and not window.manager and not window.partner and not _accepted_unassigned(window):
        # Every user's range of ticket_assignee_accepted in turn: the rows come ordered by manager, and only each
        # manager's few hundred are sorted by week, where the whole period's would be (a fifth less time). Not
        # for one partner: ticket_accepted holds the partner, this index does not.
        users = Ticket._meta.get_field("assignee").related_model._meta.db_table
        where.append(f"assignee_id = ANY(ARRAY(SELECT id FROM {users} ORDER BY id))")  # noqa: S608 (our table)
    level = f"GROUPING({', '.join(finest)})" if finest else "0"
    sets = ", ".join(f"({', '.join(grouping)})" for grouping in groupings)
    sql = f"""
        SELECT {"".join(f"{name}, " for name in finest)}{level}, {FIGURES_SQL}
        FROM (
            SELECT {"".join(f"{keys[name]} AS {name}, " for name in finest)}accept_working_minutes,
                   resolve_working_minutes, acceptance_breached, resolution_breached
            FROM {Ticket._meta.db_table} WHERE {" AND ".join(where)}
        ) AS accepted
        GROUP BY GROUPING SETS ({sets})"""  # noqa: S608 (the names are ours; the values are parameters)
    levels = {_grouping_bits(finest, grouping): grouping for grouping in groupings}
    grouped: dict[Grouping, dict[tuple, tuple]] = {grouping: {} for grouping in groupings}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            values, (bits, *figures) = row[: len(finest)], row[len(finest) :]
            grouping = levels[bits]
            named = dict(zip(finest, values, strict=True))
            grouped[grouping][window.key(grouping, [named[name] for name in grouping])] = tuple(figures)
    return grouped


def _accepted_unassigned(window: _Window) -> bool:
    """Whether a ticket accepted in the period has no manager (its project had none): `assignee_id = ANY(...)`
    would leave it out, so the period is then read whole."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {Ticket._meta.db_table} "  # noqa: S608 (our table; values are parameters)
            "WHERE assignee_id IS NULL AND accepted_at >= %s AND accepted_at < %s)",
            [window.start, window.end],
        )
        return cursor.fetchone()[0]


def _grouping_bits(finest: Grouping, grouping: Grouping) -> int:
    """What PostgreSQL's GROUPING(finest...) answers for the rows of `grouping`: a bit per key left out, the
    first key the highest bit."""
    return sum(1 << (len(finest) - 1 - index) for index, name in enumerate(finest) if name not in grouping)


def _in_python(window: _Window, groupings: tuple[Grouping, ...]) -> dict[Grouping, dict[tuple, tuple]]:
    """The same figures from the same stored columns, grouped in Python (the embedded default, small data)."""
    tickets = Ticket.objects.filter(accepted_at__gte=window.start, accepted_at__lt=window.end)
    if window.manager:
        tickets = tickets.filter(assignee_id=window.manager)
    if window.partner:
        tickets = tickets.filter(partner_id=window.partner)
    rows: dict[Grouping, dict[tuple, list]] = {grouping: defaultdict(list) for grouping in groupings}
    for accepted_at, manager_id, *facts in tickets.values_list(
        "accepted_at",
        "assignee_id",
        "accept_working_minutes",
        "resolve_working_minutes",
        "acceptance_breached",
        "resolution_breached",
    ):
        values = {WEEK: bisect_right(window.weeks, accepted_at), MANAGER: manager_id}
        for grouping in groupings:
            rows[grouping][window.key(grouping, [values[name] for name in grouping])].append(facts)
    return {grouping: {key: _figures(facts) for key, facts in groups.items()} for grouping, groups in rows.items()}


def _figures(rows: list[tuple]) -> tuple:
    """FIGURES_SQL of (accept minutes, resolve minutes, acceptance breached, resolution breached) rows."""

    def median(numbers: list) -> float | None:
        present = [number for number in numbers if number is not None]
        return statistics.median(present) if present else None

    return (
        len(rows),
        sum(1 for _accept, resolve, _a, _r in rows if resolve is not None),
        sum(1 for _accept, _resolve, acceptance, _r in rows if acceptance),
        sum(1 for _accept, _resolve, _a, resolution in rows if resolution),
        sum(1 for _accept, resolve, _a, resolution in rows if resolution and resolve is not None),
        median([accept for accept, *_rest in rows]),
        median([resolve for _accept, resolve, *_rest in rows]),
    )


def levels_to_json(levels: dict[Grouping, dict[tuple, SlaStats]]) -> dict:
    """sla_stats_levels' answer as JSON: its groupings, and a [grouping, key, figures by name] row per group, weeks
    as ISO dates. Named, so that a reader of another version of SlaStats refuses it rather than misreads it."""
    return {
        "groupings": [list(grouping) for grouping in levels],
        "rows": [
            [
                list(grouping),
                [value.isoformat() if name == WEEK else value for name, value in zip(grouping, key, strict=True)],
                asdict(stats),
            ]
            for grouping, groups in levels.items()
            for key, stats in groups.items()
        ],
    }


def levels_from_json(stored: dict, groupings: tuple[Grouping, ...]) -> dict[Grouping, dict[tuple, SlaStats]]:
    """The inverse of levels_to_json, for these groupings. ValueError when `stored` was written for other
    groupings or other figures (by another version of this code)."""
    try:
        if [tuple(grouping) for grouping in stored["groupings"]] != list(groupings):
            raise ValueError(f"stored for the groupings {stored['groupings']}, not {groupings}")
        levels: dict[Grouping, dict[tuple, SlaStats]] = {grouping: {} for grouping in groupings}
        for names, key, figures in stored["rows"]:
            grouping = tuple(names)
            values = (
                date.fromisoformat(value) if name == WEEK else value for name, value in zip(grouping, key, strict=True)
            )
            levels[grouping][tuple(values)] = SlaStats(**figures)
    except (KeyError, TypeError) as error:
        raise ValueError(f"not stored by levels_to_json: {error!r}") from error
    return levels
