"""The SLA statistics (tickets.sla_stats): every level of grouping from one query on PostgreSQL, equal to the same
figures grouped in Python and to a count by hand; weeks in the reader's time zone across a clock change; the
breach flags they count are set with every breach and filled for the breaches recorded before them."""

import importlib
import random
import statistics
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ManagerFactory, ProjectFactory, TicketFactory
from tests.helpers import postgres_only
from tickets import services, sla_stats
from tickets.models import SlaBreach, Ticket
from tickets.sla_stats import MANAGER, WEEK, SlaStats, sla_stats_levels
from tickets.sweep import sla_sweep

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")
LEVELS = ((MANAGER, WEEK), (MANAGER,), ())
START, END = datetime(2026, 10, 1, tzinfo=KYIV), datetime(2026, 12, 1, tzinfo=KYIV)


@pytest.fixture
def accepted_tickets():
    """120 tickets of 3 managers accepted over two months (across the end of summer time), some resolved, some
    with breaches of either clock; a few outside the period."""
    rng = random.Random(15)
    managers = [ManagerFactory() for _ in range(3)]
    projects = [ProjectFactory(manager=manager) for manager in managers]
    tickets = []
    for n in range(120):
        accepted = START + timedelta(minutes=rng.randrange(-3 * 24 * 60, 64 * 24 * 60))
        resolved = rng.random() < 0.7
        tickets.append(
            TicketFactory(
                project=projects[n % 3],
                status="resolved" if resolved else "accepted",
                accepted_at=accepted,
                accept_working_minutes=rng.choice([None, rng.randrange(1, 120) + rng.random()]),
                resolve_working_minutes=rng.randrange(10, 900) / 2 if resolved else None,
                acceptance_breached=rng.random() < 0.2,
                resolution_breached=rng.random() < 0.15,
            )
        )
    return tickets


def by_hand(tickets, *, grouping, zone) -> dict[tuple, SlaStats]:
    """The figures counted ticket by ticket, the week taken from the local date."""
    groups: dict[tuple, list[Ticket]] = {}
    for ticket in tickets:
        if not START <= ticket.accepted_at < END:
            continue
        local = ticket.accepted_at.astimezone(zone).date()
        values = {WEEK: local - timedelta(days=local.weekday()), MANAGER: ticket.assignee_id}
        groups.setdefault(tuple(values[name] for name in grouping), []).append(ticket)

    def median(numbers):
        present = [number for number in numbers if number is not None]
        return statistics.median(present) if present else None

    return {
        key: SlaStats(
            accepted=len(group),
            resolved=sum(t.resolve_working_minutes is not None for t in group),
            acceptance_breaches=sum(t.acceptance_breached for t in group),
            resolution_breaches=sum(t.resolution_breached for t in group),
            resolved_late=sum(t.resolution_breached and t.resolve_working_minutes is not None for t in group),
            median_acceptance=median([t.accept_working_minutes for t in group]),
            median_resolution=median([t.resolve_working_minutes for t in group]),
        )
        for key, group in groups.items()
    }


def assert_same(found: dict[tuple, SlaStats], expected: dict[tuple, SlaStats]) -> None:
    assert found.keys() == expected.keys()
    counts = ("accepted", "resolved", "acceptance_breaches", "resolution_breaches", "resolved_late")
    for key, stats in expected.items():
        assert [getattr(found[key], name) for name in counts] == [getattr(stats, name) for name in counts], key
        for median in ("median_acceptance", "median_resolution"):
            wanted = getattr(stats, median)
            assert getattr(found[key], median) == (None if wanted is None else pytest.approx(wanted)), (key, median)


@pytest.mark.parametrize("zone", [KYIV, NEW_YORK])
def test_every_level_equals_the_count_by_hand(accepted_tickets, zone):
    with timezone.override(zone):
        levels = sla_stats_levels(start=START, end=END, groupings=LEVELS)
    for grouping in LEVELS:
        assert_same(levels[grouping], by_hand(accepted_tickets, grouping=grouping, zone=zone))
    assert levels[()][()].accepted == sum(stats.accepted for stats in levels[(MANAGER,)].values())


@postgres_only
def test_postgresql_answers_every_level_in_one_query_as_python_does(accepted_tickets):
    manager = accepted_tickets[0].assignee_id
    for filters in ({}, {"manager": manager}, {"partner": accepted_tickets[1].partner_id}):
        with CaptureQueriesContext(connection) as queries:
            in_sql = sla_stats_levels(start=START, end=END, groupings=LEVELS, **filters)
        [statistics] = [query["sql"] for query in queries if "GROUPING SETS" in query["sql"]]
        # Every manager's range of the per-manager index, unless one manager's or one partner's tickets are read.
        assert ("ANY(ARRAY(SELECT id" in statistics) == (not filters)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(connection, "vendor", "sqlite")
            in_python = sla_stats_levels(start=START, end=END, groupings=LEVELS, **filters)
        for grouping in LEVELS:
            assert_same(in_sql[grouping], in_python[grouping])


@postgres_only
def test_a_ticket_accepted_without_a_manager_is_counted(accepted_tickets):
    """The statistics read every user's range of the per-manager index in turn, which has no place for a ticket
    without a manager (its project had none): with such a ticket in the period they read the period whole."""

    def statistics_sql() -> str:
        with CaptureQueriesContext(connection) as queries:
            levels = sla_stats_levels(start=START, end=END, groupings=LEVELS)
        [sql] = [query["sql"] for query in queries if "GROUPING SETS" in query["sql"]]
        return sql, levels

    sql, _levels = statistics_sql()
    assert "ANY(ARRAY(SELECT id" in sql
    unassigned = accepted_tickets[5]
    Ticket.objects.filter(pk=unassigned.pk).update(assignee=None)
    unassigned.assignee_id = None
    sql, levels = statistics_sql()
    assert "ANY(ARRAY(SELECT id" not in sql
    zone = timezone.get_current_timezone()
    for grouping in LEVELS:
        assert_same(levels[grouping], by_hand(accepted_tickets, grouping=grouping, zone=zone))
    assert levels[(MANAGER,)][(None,)].accepted == 1


def test_a_week_is_the_readers_across_the_end_of_summer_time():
    """Kyiv leaves summer time on Sunday 25 October 2026: the week of 26 October starts at 00:00 +02:00."""
    project = ProjectFactory()
    sunday_night = datetime(2026, 10, 25, 23, 30, tzinfo=KYIV)
    monday_morning = datetime(2026, 10, 26, 0, 30, tzinfo=KYIV)
    for accepted in (sunday_night, monday_morning):
        TicketFactory(project=project, status="accepted", accepted_at=accepted, accept_working_minutes=5)
    with timezone.override(KYIV):
        weeks = sla_stats.sla_stats(start=START, end=END, by=(WEEK,))
    assert {week.isoformat(): stats.accepted for (week,), stats in weeks.items()} == {
        "2026-10-19": 1,
        "2026-10-26": 1,
    }
    with timezone.override(NEW_YORK):  # 16:30 and 17:30 on Sunday there
        weeks = sla_stats.sla_stats(start=START, end=END, by=(WEEK,))
    assert {week.isoformat(): stats.accepted for (week,), stats in weeks.items()} == {"2026-10-19": 2}


def test_nothing_accepted_is_no_group(accepted_tickets):
    empty = sla_stats_levels(start=END + timedelta(days=30), end=END + timedelta(days=60), groupings=LEVELS)
    assert empty == {grouping: {} for grouping in LEVELS}


def test_the_sweep_and_a_late_transition_set_the_breach_flags(file_ticket, manager):
    filed = datetime(2026, 11, 23, 10, tzinfo=KYIV)  # a Monday
    with time_machine.travel(filed, tick=False):
        swept, transitioned = file_ticket(), file_ticket()
    with time_machine.travel(filed + timedelta(hours=2), tick=False):
        sla_sweep(now=timezone.now())
        services.ticket_accept(ticket_id=transitioned.pk, actor=manager)
    swept.refresh_from_db()
    assert (swept.acceptance_breached, swept.resolution_breached) == (True, False)
    transitioned.refresh_from_db()
    assert transitioned.acceptance_breached  # recorded by the sweep before the late acceptance
    assert SlaBreach.objects.filter(kind="acceptance").count() == 2
    with time_machine.travel(filed + timedelta(days=2), tick=False):
        services.ticket_resolve(ticket_id=transitioned.pk, actor=manager, resolution="Done")
    transitioned.refresh_from_db()
    assert transitioned.resolution_breached  # its resolution clock ran out unswept: the transition recorded it
    assert SlaBreach.objects.filter(ticket=transitioned, kind="resolution").exists()


def test_the_migration_flags_the_tickets_of_earlier_breaches(file_ticket):
    ticket, clean = file_ticket(), file_ticket()
    SlaBreach.objects.create(ticket=ticket, kind="resolution", due_at=ticket.created_at)
    Ticket.objects.update(acceptance_breached=False, resolution_breached=False)  # as before the migration
    importlib.import_module("tickets.migrations.0015_breach_flags").mark_breached_tickets(apps, None)
    assert Ticket.objects.values_list("acceptance_breached", "resolution_breached").get(pk=ticket.pk) == (False, True)
    assert Ticket.objects.values_list("acceptance_breached", "resolution_breached").get(pk=clean.pk) == (False, False)


@postgres_only
def test_the_database_flags_the_ticket_of_any_breach_inserted(file_ticket):
    """Whatever code records a breach (a worker still running older code, a script), its ticket is counted."""
    ticket = file_ticket()
    SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=ticket.created_at)
    assert Ticket.objects.values_list("acceptance_breached", "resolution_breached").get(pk=ticket.pk) == (True, False)
    SlaBreach.objects.create(ticket=ticket, kind="resolution", due_at=ticket.created_at)
    assert Ticket.objects.values_list("acceptance_breached", "resolution_breached").get(pk=ticket.pk) == (True, True)
