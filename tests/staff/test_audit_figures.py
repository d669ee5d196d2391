"""The SLA audit's stored figures: the worker computes the default period's statistics every minute, per time zone
of the administrators; the page shows them with their time while they are fresh, and computes its own otherwise."""

from dataclasses import astuple
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from staff.models import AuditFigures
from staff.selectors import audit_stats, default_period
from staff.services import audit_figures_refresh
from staff.tasks import audit_figures_refresh_task
from tests.factories import AdminFactory, ManagerFactory, ProjectFactory, TicketFactory

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=KYIV)


def accepted(project, day: int, accept_minutes: int, resolve_minutes: int | None = None, **facts):
    return TicketFactory(
        project=project,
        status="accepted" if resolve_minutes is None else "resolved",
        accepted_at=datetime(2026, 11, day, 11, 0, tzinfo=KYIV),
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
    audit_figures_refresh(now=NOW)
    assert list(AuditFigures.objects.values_list("time_zone", flat=True)) == ["Europe/Kyiv"]


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
    assert "Statistics as of 12:00" in fresh.content.decode()
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
