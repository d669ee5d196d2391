"""The administrators' console: SLA audit with filters, review, weekly statistics, CSV; workload and reassignment."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.factories import ManagerFactory, ProjectFactory, TicketFactory
from tickets import services
from tickets.models import SlaBreach, WorkingCalendar, WorkingInterval
from tickets.services import project_assign_manager

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)


@pytest.fixture
def history(file_ticket, manager, member):
    """Week of 16 Nov: one ticket accepted after 30 min and resolved after 2 h; one accepted late (breach)."""
    with time_machine.travel(at(16, 10), tick=False):
        quick = file_ticket()
    with time_machine.travel(at(16, 10, 30), tick=False):
        services.ticket_accept(ticket_id=quick.pk, actor=manager)
    with time_machine.travel(at(16, 12, 30), tick=False):
        services.ticket_resolve(ticket_id=quick.pk, actor=manager, resolution="Done")
    with time_machine.travel(at(17, 10), tick=False):
        late = file_ticket()
    with time_machine.travel(at(17, 11, 30), tick=False):
        services.ticket_accept(ticket_id=late.pk, actor=manager)
    return quick, late


@pytest.mark.parametrize("url", ["staff:audit", "staff:audit_csv", "staff:workload"])
def test_the_console_is_for_administrators_only(client, url, manager, member):
    for user in (manager, member):
        client.force_login(user)
        assert client.get(reverse(url)).status_code == 404


def test_audit_shows_breaches_weekly_statistics_and_charts(client, admin_user, history, manager):
    client.force_login(admin_user)
    with time_machine.travel(at(20, 12), tick=False):
        response = client.get(reverse("staff:audit"), {"since": "2026-11-16", "until": "2026-11-20"})
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row.week, row.accepted, row.breaches) == (at(16, 0).date(), 2, 1)
    assert row.median_acceptance == 60.0  # 30 and 90 working minutes
    assert row.median_resolution == 120.0
    assert [b.ticket for b in response.context["page"]] == [history[1]]
    assert response.content.count(b"<canvas data-chart=") == 4 and manager.display_name.encode() in response.content


def test_audit_has_a_row_per_manager_linking_to_their_weeks(client, admin_user, history, manager):
    other = ManagerFactory(name="Other manager")
    TicketFactory(
        project=ProjectFactory(manager=other), status="accepted", accepted_at=at(18, 12), accept_working_minutes=10
    )
    client.force_login(admin_user)
    period = {"since": "2026-11-16", "until": "2026-11-20"}
    with time_machine.travel(at(20, 12), tick=False):
        both = client.get(reverse("staff:audit"), period)
        one = client.get(reverse("staff:audit"), {**period, "manager": manager.pk})
    rows = {row.manager: row.stats for row in both.context["managers"]}
    assert (rows[manager.display_name].accepted, rows[manager.display_name].breaches) == (2, 1)
    assert (rows["Other manager"].accepted, rows["Other manager"].median_acceptance) == (1, 10)
    assert both.context["totals"].accepted == 3
    page = both.content.decode()
    assert f"?since=2026-11-16&amp;until=2026-11-20&amp;manager={other.pk}" in page
    assert 'id="per-week"' not in page and "choose a manager for their weeks alone" in page
    assert 'id="per-week"' in one.content.decode()
    assert [row.manager for row in one.context["managers"]] == [manager.display_name]


def test_the_filters_show_the_choice_made_and_escape_names(client, admin_user, manager, project):
    project.partner.name = "<i>Acme</i> & Co"
    project.partner.save(update_fields=["name"])
    client.force_login(admin_user)
    page = client.get(reverse("staff:audit"), {"manager": manager.pk}).content.decode()
    assert '<select id="id_manager" name="manager"><option value="">---------</option>' in page
    assert f'<option value="{manager.pk}" selected>{manager}</option>' in page
    assert f'<option value="{project.partner.pk}">&lt;i&gt;Acme&lt;/i&gt; &amp; Co</option>' in page
    assert '<select id="id_partner" name="partner"><option value="" selected>' in page
    bad = client.get(reverse("staff:audit"), {"manager": "nobody"}).content.decode()
    assert 'aria-invalid="true"' in bad and "Select a valid choice" in bad


def test_filters_and_csv_export(client, admin_user, history):
    client.force_login(admin_user)
    other = ManagerFactory()
    filtered = client.get(reverse("staff:audit"), {"manager": other.pk, "since": "2026-11-01", "until": "2026-11-30"})
    assert filtered.context["page"].paginator.count == 0
    bad = client.get(reverse("staff:audit"), {"since": "2026-11-30", "until": "2026-11-01"})
    assert bad.status_code == 200 and "before its start" in bad.content.decode()
    csv = client.get(reverse("staff:audit_csv"), {"since": "2026-11-01", "until": "2026-11-30"})
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("ticket,partner") and len(lines) == 2 and history[1].number in lines[1]


def test_review_acknowledge_and_excuse_needs_a_note(client, admin_user, history):
    client.force_login(admin_user)
    breach = SlaBreach.objects.get()
    response = client.post(reverse("staff:review", args=[breach.pk]), {"decision": "excused", "note": ""}, follow=True)
    assert "Say why" in response.content.decode()
    assert SlaBreach.objects.get().review == "open"
    client.post(reverse("staff:review", args=[breach.pk]), {"decision": "excused", "note": "Outage", "next": "//evil"})
    assert SlaBreach.objects.get().review_note == "Outage"


def test_audit_costs_the_same_queries_for_few_or_many_breaches(
    client, admin_user, project, django_assert_max_num_queries
):
    """Breaches, weekly statistics and charts over many tickets of many partners (each with its own calendar)."""
    client.force_login(admin_user)
    for count in (3, 40):
        for n in range(count):
            calendar = WorkingCalendar.objects.create(name=f"Calendar {count}-{n}")
            WorkingInterval.objects.create(calendar=calendar, weekday=0, start=time(9), end=time(18))
            other = ProjectFactory(partner__calendar=calendar) if n % 2 else project
            ticket = TicketFactory(
                project=other,
                accept_due_at=at(16, 11),
                accepted_at=at(16, 12),
                resolved_at=at(17, 12),
                acceptance_breached=True,
            )
            SlaBreach.objects.create(ticket=ticket, kind="acceptance", due_at=at(16, 11))
        with django_assert_max_num_queries(14):
            response = client.get(reverse("staff:audit"), {"since": "2026-11-01", "until": "2026-11-30"})
        assert sum(row.accepted for row in response.context["rows"]) == (3 if count == 3 else 43)
        assert response.context["totals"].acceptance_breaches == (3 if count == 3 else 43)


def test_workload_reassigns_and_refuses_beyond_the_cap(client, admin_user, project):
    client.force_login(admin_user)
    busy = ManagerFactory()
    ProjectFactory.create_batch(5, manager=busy)
    response = client.post(reverse("staff:assign", args=[project.pk]), {"manager": busy.pk}, follow=True)
    assert "already serves 5 of 5" in response.content.decode()
    free = ManagerFactory()
    client.post(reverse("staff:assign", args=[project.pk]), {"manager": free.pk})
    project.refresh_from_db()
    assert project.manager == free
    page = client.get(reverse("staff:workload"))
    assert "5 / 5" in page.content.decode()


def test_open_tickets_follow_the_project_to_its_new_manager(admin_user, file_ticket, project, manager):
    ticket = file_ticket()
    new_manager = ManagerFactory()
    project_assign_manager(project=project, manager=new_manager, actor=admin_user)
    ticket.refresh_from_db()
    assert ticket.assignee == new_manager
    assert ticket.events.filter(kind="assigned").exists()


def test_chart_data_is_escaped_json_with_a_colour_per_manager_and_a_table(client, admin_user, history, manager):
    import json
    import re
    from html import unescape

    manager.name = "<b>Ann</b>"
    manager.save(update_fields=["name"])
    client.force_login(admin_user)
    with time_machine.travel(at(20, 12), tick=False):
        page = client.get(reverse("staff:audit"), {"since": "2026-11-16", "until": "2026-11-20"}).content.decode()
    assert "<b>Ann</b>" not in page and "&lt;b&gt;Ann&lt;/b&gt;" in page
    configs = [json.loads(unescape(raw)) for raw in re.findall(r'data-chart="([^"]*)"', page)]
    assert [c["title"] for c in configs] == [
        "Accepted tickets",
        "Breach rate",
        "Median acceptance time",
        "Median resolution time",
    ]
    assert all(c["labels"] == ["16 Nov"] for c in configs)
    assert {c["datasets"][0]["backgroundColor"] for c in configs} == {"#2563eb"}
    assert [c["datasets"][0]["data"] for c in configs] == [[2.0], [50.0], [60.0], [2.0]]
    assert [c["unit"] for c in configs] == ["", "%", "min", "h"]
    assert page.count('class="chart-numbers"') == 4 and "2 h" in page


def test_a_colour_per_manager_beyond_the_palette():
    from staff.charts import PALETTE, colour

    colours = [colour(n) for n in range(20)]
    assert colours[: len(PALETTE)] == PALETTE and len(set(colours)) == 20


def test_a_future_from_alone_says_so_and_keeps_the_other_filters(client, admin_user, history, manager):
    other = ManagerFactory()
    client.force_login(admin_user)
    with time_machine.travel(at(20, 12), tick=False):
        response = client.get(reverse("staff:audit"), {"since": "2026-12-24", "manager": other.pk})
    assert response.status_code == 200
    assert "The start of the period is in the future" in response.text
    assert "The end of the period is before its start" not in response.text
    assert list(response.context["page"]) == [] and response.context["rows"] == []  # still only `other`'s


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"since": "2001-01-01", "until": "2026-11-30"}, "at most five years"),
        ({"since": "2026-11-01", "until": "2027-12-30"}, "more than a year ahead"),
        ({"until": "9999-12-31"}, "less than or equal to 2999-12-31"),
        ({"since": "0001-01-01", "until": "0001-01-02"}, "greater than or equal to 2000-01-01"),
    ],
)
def test_a_period_too_long_or_too_far_says_so_and_shows_the_default(client, admin_user, history, period, message):
    client.force_login(admin_user)
    with time_machine.travel(at(20, 12), tick=False):
        response = client.get(reverse("staff:audit"), period)
    assert response.status_code == 200
    assert message in response.text
    assert [row.week for row in response.context["rows"]] == [at(16, 0).date()]  # the last 8 weeks instead


@pytest.mark.parametrize("period", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_the_changes_log_refuses_dates_at_the_ends_of_the_calendar(client, admin_user, period):
    client.force_login(admin_user)
    response = client.get(reverse("staff:changes"), period)
    assert response.status_code == 400
    assert "Ensure this value is" in response.text
