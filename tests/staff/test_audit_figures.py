"""The SLA audit's stored figures: the worker computes the default period's statistics every minute, per time zone
of the administrators; the page shows them with their time while they are fresh, and computes its own otherwise."""

import functools
from dataclasses import astuple
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from staff.models import AuditFigures
from staff.selectors import audit_stats, default_period
from staff.services import audit_figures_refresh
from staff.tasks import audit_figures_refresh_task
from tests.factories import AdminFactory, ManagerFactory, ProjectFactory, TicketFactory
from tests.helpers import postgres_only, run_concurrently

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=KYIV)


def accepted(project, day: int | datetime, accept_minutes: int, resolve_minutes: int | None = None, **facts):
    """A ticket accepted at 11:00 in Kyiv on that day of November 2026, or at that moment."""
    return TicketFactory(
        project=project,
        status="accepted" if resolve_minutes is None else "resolved",
        accepted_at=day if isinstance(day, datetime) else datetime(2026, 11, day, 11, 0, tzinfo=KYIV),
        accept_working_minutes=accept_minutes,
        resolve_working_minutes=resolve_minutes,
        **facts,
    )


@pytest.fixture
def figures_history(project):
    """Two managers over two weeks, medians of odd and even counts, a breach, and a ticket of a project that had no
    manager when it was accepted."""
    other = ProjectFactory(manager=ManagerFactory(name="Other manager"))
    accepted(project, 10, 30, 120)
    accepted(project, 11, 90, acceptance_breached=True)
    accepted(project, 17, 20, 300, resolution_breached=True)
    accepted(other, 17, 5, 60)
    accepted(other, 18, 15)
    accepted(ProjectFactory(manager=None), 18, 45)
    return project.manager, other.manager


def test_the_worker_stores_the_default_period_once_per_time_zone_of_active_administrators(db):
    new_york = AdminFactory(timezone="America/New_York")
    AdminFactory(timezone="Not/A_Zone")  # shown the service's time zone
    AdminFactory(timezone="Asia/Tokyo", is_active=False)
    with time_machine.travel(NOW, tick=False):
        assert audit_figures_refresh_task() == 2
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert audit_figures_refresh_task() == 2
    rows = {row.time_zone: row for row in AuditFigures.objects.all()}
    assert set(rows) == {"Europe/Kyiv", "America/New_York"}
    assert all(row.computed_at == NOW + timedelta(minutes=1) for row in rows.values())
    assert (rows["Europe/Kyiv"].since, rows["Europe/Kyiv"].until) == (date(2026, 9, 25), date(2026, 11, 20))
    # At 00:30 on the 21st in Kyiv it is still the 20th in New York: each zone ends its period on its own today.
    with time_machine.travel(datetime(2026, 11, 21, 0, 30, tzinfo=KYIV), tick=False):
        audit_figures_refresh(now=datetime(2026, 11, 21, 0, 30, tzinfo=KYIV))
    assert AuditFigures.objects.get(time_zone="Europe/Kyiv").until == date(2026, 11, 21)
    assert AuditFigures.objects.get(time_zone="America/New_York").until == date(2026, 11, 20)
    new_york.is_active = False
    new_york.save(update_fields=["is_active"])
    later = datetime(2026, 11, 21, 0, 31, tzinfo=KYIV)
    with time_machine.travel(later, tick=False):
        audit_figures_refresh(now=later)
    assert list(AuditFigures.objects.values_list("time_zone", flat=True)) == ["Europe/Kyiv"]


def test_a_run_that_started_earlier_and_ends_later_keeps_the_later_figures(db):
    """Two runs overlap at midnight: the one that computed the 20th's period finishes last. It changes nothing, so
    the page keeps reading the 21st's figures instead of computing its own."""
    after_midnight = datetime(2026, 11, 21, 0, 0, 30, tzinfo=KYIV)
    before_midnight = after_midnight - timedelta(minutes=1)
    with time_machine.travel(after_midnight, tick=False):
        assert audit_figures_refresh(now=after_midnight) == 1
        assert audit_figures_refresh(now=before_midnight) == 0
    row = AuditFigures.objects.get()
    assert (row.until, row.computed_at) == (date(2026, 11, 21), after_midnight)


def test_stored_figures_are_the_computed_ones_for_all_managers_and_for_each(figures_history):
    first, second = (manager.pk for manager in figures_history)
    with time_machine.travel(NOW, tick=False):
        since, until = default_period()
        computed = {key: audit_stats(since=since, until=until, manager=key) for key in (None, first, second)}
        audit_figures_refresh(now=NOW)
        stored = {key: audit_stats(since=since, until=until, manager=key) for key in (None, first, second)}
    assert computed[None].totals.accepted == 6 and len(computed[None].managers) == 3  # with the one without manager
    assert [row.manager_id for row in computed[first].managers] == [first]
    for key in (None, first, second):
        live, kept = computed[key], stored[key]
        assert live.as_of is None and kept.as_of == NOW
        assert kept.weeks == live.weeks and kept.managers == live.managers
        assert astuple(kept.totals) == astuple(live.totals)


def test_the_page_shows_the_stored_figures_with_their_time_until_they_are_stale(client, project):
    admin = AdminFactory()
    accepted(project, 17, 30)
    client.force_login(admin)
    with time_machine.travel(NOW, tick=False):
        audit_figures_refresh(now=NOW)
    accepted(project, 18, 40)  # after the worker's run
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        fresh = client.get(reverse("staff:audit"))
    with time_machine.travel(NOW + timedelta(minutes=4), tick=False):
        stale = client.get(reverse("staff:audit"))
    assert fresh.context["totals"].accepted == 1
    assert "Statistics as of 12:00, recomputed by 12:01." in fresh.content.decode()
    assert stale.context["totals"].accepted == 2 and 'id="figures-as-of"' not in stale.content.decode()


def test_a_partner_another_period_or_another_time_zone_is_computed_for_the_page(client, project):
    admin = AdminFactory()
    accepted(project, 17, 30)
    with time_machine.travel(NOW, tick=False):
        audit_figures_refresh(now=NOW)
    accepted(project, 18, 40)
    client.force_login(admin)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        default = client.get(reverse("staff:audit"))
        partner = client.get(reverse("staff:audit"), {"partner": project.partner_id})
        period = client.get(reverse("staff:audit"), {"since": "2026-11-01"})
        admin.timezone = "America/New_York"
        admin.save(update_fields=["timezone"])
        elsewhere = client.get(reverse("staff:audit"))
    assert default.context["totals"].accepted == 1 and default.context["as_of"] == NOW
    for response in (partner, period, elsewhere):
        assert response.context["totals"].accepted == 2 and response.context["as_of"] is None


def test_the_period_chosen_equal_to_the_default_one_reads_the_stored_figures(client, project):
    admin = AdminFactory()
    accepted(project, 17, 30)
    with time_machine.travel(NOW, tick=False):
        audit_figures_refresh(now=NOW)
        since, until = default_period()
    client.force_login(admin)
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        response = client.get(reverse("staff:audit"), {"since": since.isoformat(), "until": until.isoformat()})
    assert response.context["as_of"] == NOW and response.context["totals"].accepted == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_leave_the_figures_of_the_later_one():
    """Runs at different instants in threads of their own, released together: whichever commits last, the row
    holds the figures of the latest instant (each run waits for the rows the other holds)."""
    AdminFactory()
    moments = [NOW + timedelta(seconds=seconds) for seconds in (0, 20, 40, 60)]
    audit_figures_refresh(now=NOW - timedelta(minutes=1))  # the row exists: the runs lock it
    results = run_concurrently([functools.partial(audit_figures_refresh, now=moment) for moment in moments])
    assert all(isinstance(result, int) for result in results), results
    assert list(AuditFigures.objects.values_list("computed_at", flat=True)) == [moments[-1]]


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Kyiv", "Australia/Lord_Howe"])
def test_stored_figures_are_the_computed_ones_across_midnights_and_summer_time(project, zone):
    """Tickets accepted just after and before midnight, in the reader's zone and in New York, through October 2026
    (both ends of summer time in the north, the start of it in Lord Howe, whose clocks move by 30 minutes)."""
    reader = ZoneInfo(zone)
    AdminFactory(timezone=zone)
    other = ProjectFactory(manager=ManagerFactory())
    projects = [project, other, ProjectFactory(manager=None)]
    moments = [
        datetime(2026, 10, day, hour, 30, tzinfo=place)
        for day in range(1, 32)
        for hour in (0, 1, 23)
        for place in (reader, ZoneInfo("America/New_York"))
    ]
    for n, moment in enumerate(moments):
        accepted(projects[n % 3], moment, n % 7, (n * 13) % 101, acceptance_breached=n % 5 == 0)
    managers = (None, project.manager_id, other.manager_id)
    with time_machine.travel(NOW, tick=False), timezone.override(reader):
        since, until = default_period()
        computed = {key: audit_stats(since=since, until=until, manager=key) for key in managers}
        audit_figures_refresh(now=NOW)
        stored = {key: audit_stats(since=since, until=until, manager=key) for key in managers}
    assert len(computed[None].weeks) > 10
    for key in managers:
        assert stored[key].as_of == NOW and computed[key].as_of is None
        assert stored[key].weeks == computed[key].weeks and stored[key].managers == computed[key].managers
        assert astuple(stored[key].totals) == astuple(computed[key].totals)


def test_a_manager_with_nothing_accepted_reads_empty_stored_figures(figures_history):
    idle = ManagerFactory()
    with time_machine.travel(NOW, tick=False):
        since, until = default_period()
        audit_figures_refresh(now=NOW)
        stats = audit_stats(since=since, until=until, manager=idle.pk)
    assert (stats.as_of, stats.weeks, stats.managers, stats.totals) == (NOW, [], [], None)


@pytest.mark.parametrize(
    "levels",
    [
        [[["by_manager"], [1], [1, 0, 0, 0, 0, 5.0, None]]],  # positional, as a first version stored them
        {"groupings": [["by_manager"]], "rows": []},  # other groupings
        {"groupings": [["by_manager", "by_week"], ["by_manager"], []], "rows": [[[], [], {"accepted": 1, "late": 2}]]},
    ],
)
def test_figures_written_by_another_version_are_computed_afresh(client, project, levels):
    accepted(project, 17, 30)
    with time_machine.travel(NOW, tick=False):
        audit_figures_refresh(now=NOW)
    AuditFigures.objects.update(levels=levels)
    client.force_login(AdminFactory())
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        response = client.get(reverse("staff:audit"))
    assert response.status_code == 200
    assert response.context["as_of"] is None and response.context["totals"].accepted == 1


def test_the_stored_figures_cost_the_same_queries_for_few_or_many_managers(
    client, project, django_assert_max_num_queries
):
    client.force_login(AdminFactory())
    for count in (2, 25):
        for _ in range(count):
            accepted(ProjectFactory(manager=ManagerFactory()), 17, 30, 120)
        with time_machine.travel(NOW, tick=False):
            audit_figures_refresh(now=NOW)
            with django_assert_max_num_queries(8):
                response = client.get(reverse("staff:audit"))
        assert response.context["as_of"] == NOW
        assert len(response.context["managers"]) == (2 if count == 2 else 27)
