"""The manager's side: the queue, phone bugs, project passports; and everyone's preferences."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProjectFactory, TicketFactory
from tests.tickets.conftest import drive
from tickets.models import Channel, Kind, Status, Ticket

pytestmark = pytest.mark.django_db


def test_queue_is_for_staff_only(client, member):
    client.force_login(member)
    assert client.get(reverse("tickets:queue")).status_code == 404


def test_queue_shows_own_open_tickets_by_nearest_deadline_with_counts_and_cap(
    client, manager, member, file_ticket, other_project
):
    later = file_ticket(title="Filed later")
    accepted = drive(file_ticket(title="Accepted one"), Status.ACCEPTED, manager=manager, partner_user=member)
    TicketFactory(project=other_project, title="Not mine")
    Ticket.objects.filter(pk=later.pk).update(accept_due_at=timezone.now() + timedelta(minutes=5))
    Ticket.objects.filter(pk=accepted.pk).update(resolve_due_at=timezone.now() + timedelta(minutes=1))
    client.force_login(manager)
    response = client.get(reverse("tickets:queue"))
    assert response.status_code == 200
    text = response.text
    assert "Not mine" not in text
    assert text.index("Accepted one") < text.index("Filed later")
    assert "1 / 5 projects" in text
    assert '<span class="badge new">1</span> New</a>' in text
    assert '<span class="badge accepted">1</span> Accepted</a>' in text


def test_queue_marks_breached_and_at_risk_rows(client, manager, file_ticket):
    breached = file_ticket(title="Late one")
    at_risk = file_ticket(title="Risky one")
    now = timezone.now()
    Ticket.objects.filter(pk=breached.pk).update(accept_due_at=now - timedelta(minutes=1))
    Ticket.objects.filter(pk=at_risk.pk).update(
        accept_due_at=now + timedelta(minutes=10), accept_warn_at=now - timedelta(minutes=1)
    )
    client.force_login(manager)
    text = client.get(reverse("tickets:queue")).text
    assert '<tr class="breached">' in text
    assert '<tr class="at-risk">' in text


def test_queue_after_hours_keeps_working(client, manager, file_ticket):
    file_ticket()
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        client.force_login(manager)  # four days idle would have ended an earlier session
        response = client.get(reverse("tickets:queue"))
    assert "Breached" in response.text


def test_admin_queue_has_every_open_ticket_and_no_cap(client, admin_user, file_ticket, other_project):
    file_ticket(title="Alpha one")
    TicketFactory(project=other_project, title="Beta one")
    client.force_login(admin_user)
    text = client.get(reverse("tickets:queue")).text
    assert "Alpha one" in text
    assert "Beta one" in text
    assert 'id="capacity"' not in text


def test_queue_query_count_is_constant(client, manager, project, django_assert_max_num_queries):
    client.force_login(manager)
    TicketFactory.create_batch(5, project=project)
    # 12 for the tickets, the filters' choices, the status counts and the cap; 6 more for whom the manager covers
    # and who is on duty now (absences, the calendars with their hours and days, the managers); 2 for the ids of
    # the projects the manager serves or covers (accounts.permissions.scope_tickets), once per list.
    with django_assert_max_num_queries(20):
        client.get(reverse("tickets:queue"))
    TicketFactory.create_batch(45, project=project)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("tickets:queue"))
    assert response.status_code == 200


def test_phone_bug_registration(client, manager, project, funded, other_project):
    client.force_login(manager)
    page = client.get(reverse("tickets:phone")).text
    assert project.name in page
    assert other_project.name not in page
    response = client.post(reverse("tickets:phone"), {"project": project.pk, "title": "Down", "description": "500s"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.channel, ticket.kind, ticket.author) == (Channel.PHONE, Kind.BUG, manager)


def test_phone_bug_on_a_project_not_served_is_refused_next_to_the_field(client, manager, other_project):
    client.force_login(manager)
    data = {"project": other_project.pk, "title": "Down", "description": "500s"}
    response = client.post(reverse("tickets:phone"), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Ticket.objects.exists()


def test_phone_bug_form_is_for_staff_only(client, member):
    client.force_login(member)
    assert client.get(reverse("tickets:phone")).status_code == 404


def test_passports_for_the_projects_a_manager_serves(client, manager, other_project):
    mine = ProjectFactory(manager=manager, passport="VPN: ask Petro")
    client.force_login(manager)
    text = client.get(reverse("passports")).text
    assert "VPN: ask Petro" in text
    assert mine.name in text
    assert "Other secret passport" not in text


def test_passports_are_not_for_partners(client, member):
    client.force_login(member)
    assert client.get(reverse("passports")).status_code == 404


def test_nav_by_role(client, member, manager, admin_user, owner_user):
    client.force_login(member)
    text = client.get(reverse("home")).text
    assert reverse("tickets:new") in text
    assert reverse("team") not in text
    client.force_login(owner_user)
    assert reverse("team") in client.get(reverse("home")).text
    client.force_login(manager)
    text = client.get(reverse("home"), follow=True).text
    assert reverse("tickets:queue") in text
    assert 'href="/staff/"' not in text
    client.force_login(admin_user)
    assert 'href="/staff/"' in client.get(reverse("home")).text


def test_preferences_store_language_and_time_zone(client, member):
    client.force_login(member)
    response = client.post(reverse("preferences"), {"language": "uk", "timezone": "America/New_York"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.language, member.timezone) == ("uk", "America/New_York")
    assert '<html lang="uk">' in client.get(reverse("home")).text


def test_preferences_refuse_an_unknown_time_zone_next_to_the_field(client, member):
    client.force_login(member)
    response = client.post(reverse("preferences"), {"language": "en", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_language_switcher_saves_and_goes_back(client, member):
    client.force_login(member)
    response = client.post(reverse("language"), {"language": "ru", "next": reverse("tickets:list")})
    assert response.url == reverse("tickets:list")
    member.refresh_from_db()
    assert member.language == "ru"
    evil = client.post(reverse("language"), {"language": "en", "next": "https://evil.example/"})
    assert evil.url == "/"


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_pages_are_translated(client, member, manager, file_ticket, language):
    ticket = file_ticket()
    member.language = language
    member.save()
    client.force_login(member)
    english = ["New request", "Deposit", "Open requests", "Log out"]
    for url in (reverse("home"), reverse("tickets:list"), reverse("tickets:detail", args=[ticket.pk])):
        text = client.get(url).text
        assert not [phrase for phrase in english if phrase in text], url
