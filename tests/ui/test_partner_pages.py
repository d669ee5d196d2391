"""The partner's cabinet: dashboard, request list, filing form, team."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets.models import Kind, Status, Ticket

pytestmark = pytest.mark.django_db


def test_dashboard_shows_open_requests_with_due_time_and_available_deposit(client, member, file_ticket):
    ticket = file_ticket()
    client.force_login(member)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert ticket.number in response.text
    assert "data-due=" in response.text
    assert "1,620.00\u00a0UAH" in response.text  # 1800.00 minus the hold for the open request


def test_a_manager_lands_on_the_queue_and_an_administrator_has_no_deposit(client, manager, admin_user, project):
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("tickets:queue")
    client.force_login(admin_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'id="deposit"' not in response.text


def test_list_shows_only_own_partners_tickets(client, member, file_ticket, outsider):
    ticket = file_ticket(title="Ours")
    client.force_login(outsider)
    assert ticket.number not in client.get(reverse("tickets:list")).text
    client.force_login(member)
    assert ticket.number in client.get(reverse("tickets:list")).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"search": "invoice"}, {"Invoice totals"}),
        ({"kind": Kind.BUG}, {"Crash on save"}),
        ({"status": Status.CANCELLED}, {"Withdrawn"}),
        ({"status": "nonsense"}, {"Invoice totals", "Crash on save", "Withdrawn"}),
    ],
)
def test_list_filters_and_search(client, member, file_ticket, query, expected):
    file_ticket(title="Invoice totals")
    file_ticket(kind=Kind.BUG, title="Crash on save")
    withdrawn = file_ticket(title="Withdrawn")
    from tickets import services

    services.ticket_cancel(ticket_id=withdrawn.pk, actor=member)
    client.force_login(member)
    response = client.get(reverse("tickets:list"), query)
    assert response.status_code == 200
    text = response.text.replace("<mark>", "").replace("</mark>", "")  # a search highlights the words it matched
    shown = {title for title in ("Invoice totals", "Crash on save", "Withdrawn") if title in text}
    assert shown == expected


def test_list_filter_by_project(client, member, file_ticket, partner):
    from tests.factories import ProjectFactory

    second = ProjectFactory(partner=partner)
    file_ticket(title="On the first")
    file_ticket(title="On the second", project_id=second.pk)
    client.force_login(member)
    response = client.get(reverse("tickets:list"), {"project": second.pk})
    assert "On the second" in response.text
    assert "On the first" not in response.text


def test_list_is_paginated(client, member, project, partner):
    from tests.factories import TicketFactory

    TicketFactory.create_batch(30, project=project)
    client.force_login(member)
    response = client.get(reverse("tickets:list"), {"kind": Kind.SIMPLE})
    assert "Page 1 of 2" in response.text
    assert "kind=simple&amp;page=2" in response.text
    assert client.get(reverse("tickets:list"), {"page": "999"}).status_code == 200


def test_list_query_count_is_constant(client, member, project, django_assert_max_num_queries):
    from tests.factories import TicketFactory

    client.force_login(member)
    TicketFactory.create_batch(5, project=project)
    with django_assert_max_num_queries(8):
        client.get(reverse("tickets:list"))
    TicketFactory.create_batch(45, project=project)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("tickets:list"))
    assert response.status_code == 200


def test_dashboard_query_count_is_constant(client, member, project, funded, django_assert_max_num_queries):
    from tests.factories import TicketFactory

    client.force_login(member)
    TicketFactory.create_batch(5, project=project)
    with django_assert_max_num_queries(10):
        client.get(reverse("home"))
    TicketFactory.create_batch(45, project=project)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_filing_form_explains_kinds_with_prices(client, member, project, funded):
    client.force_login(member)
    response = client.get(reverse("tickets:new"))
    assert response.status_code == 200
    assert project.name in response.text
    assert "180.00 UAH" in response.text
    assert "600.00 UAH per hour" in response.text
    assert "3 working hours" in response.text


def test_filing_creates_the_ticket_with_attachments(client, member, project, funded):
    client.force_login(member)
    files = [SimpleUploadedFile("a.txt", b"first"), SimpleUploadedFile("b.txt", b"second")]
    response = client.post(
        reverse("tickets:new"),
        {
            "project": project.pk,
            "kind": Kind.SIMPLE,
            "title": "Export fails",
            "description": "Stops at 50%",
            "files": files,
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.attachments.count() == 2
    page = client.get(response.url)
    assert f"Request {ticket.number} is filed." in page.text
    assert "a.txt" in page.text


def test_filing_with_missing_title_shows_the_error_next_to_the_field(client, member, project, funded):
    client.force_login(member)
    response = client.post(reverse("tickets:new"), {"project": project.pk, "kind": Kind.SIMPLE, "description": "x"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert "This field is required." in response.text
    assert not Ticket.objects.exists()


def test_filing_a_bad_file_shows_the_services_message_under_the_files_field(client, member, project, funded):
    client.force_login(member)
    fake = SimpleUploadedFile("photo.png", b"not an image at all")
    response = client.post(
        reverse("tickets:new"),
        {"project": project.pk, "kind": Kind.SIMPLE, "title": "T", "description": "D", "files": [fake]},
    )
    assert response.status_code == 400
    assert "photo.png is not an accepted file" in response.text
    assert not Ticket.objects.exists()


def test_filing_on_another_partners_project_is_refused(client, member, funded, other_partner_project):
    client.force_login(member)
    data = {"project": other_partner_project.pk, "kind": Kind.SIMPLE, "title": "T", "description": "D"}
    response = client.post(reverse("tickets:new"), data)
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_filing_without_deposit_says_so_and_links_owners_to_invoices(client, member, owner_user, project):
    data = {"project": project.pk, "kind": Kind.SIMPLE, "title": "T", "description": "D"}
    client.force_login(owner_user)
    response = client.post(reverse("tickets:new"), data)
    assert response.status_code == 402
    assert "does not cover" in response.text
    assert reverse("billing:invoices") in response.text
    assert 'id="insufficient-deposit"' in response.text
    client.force_login(member)  # members cannot order: they are told who does
    response = client.post(reverse("tickets:new"), data)
    assert response.status_code == 402 and "owner orders consultations" in response.text
    assert reverse("billing:invoices") not in response.text


def test_filing_form_is_for_partners_only(client, manager):
    client.force_login(manager)
    assert client.get(reverse("tickets:new")).status_code == 404


def test_team_page_for_owners_only(client, owner_user, member):
    client.force_login(owner_user)
    response = client.get(reverse("team"))
    assert response.status_code == 200
    assert member.email in response.text
    client.force_login(member)
    assert client.get(reverse("team")).status_code == 404


def test_team_page_lists_no_other_partners_people(client, owner_user, outsider):
    client.force_login(owner_user)
    assert outsider.email not in client.get(reverse("team")).text


def test_the_filing_form_states_this_partners_deadlines_and_prices(client, member, partner):
    from billing.services import tariff_for
    from tickets.models import SlaPolicy

    SlaPolicy.objects.create(partner=partner, kind=Kind.BUG, accept_minutes=30, resolve_minutes=90)
    tariff = tariff_for(partner=partner)
    tariff.bill_bugs = False
    tariff.save()
    client.force_login(member)
    explanations = {kind: text for kind, _label, text in client.get(reverse("tickets:new")).context["kinds"]}
    assert "within 1.5 working hours" in explanations["bug"] and "(0.00 UAH)" in explanations["bug"]
    assert "within 8 working hours" in explanations["simple"]
