"""A reopened ticket shows no "Resolved" row; a rating shows its score and what each score means."""

import pytest

from tests.tickets.conftest import drive
from tickets import services
from tickets.models import Status

pytestmark = pytest.mark.django_db


def test_a_reopened_ticket_shows_no_resolved_row(client, file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    client.force_login(member)
    assert '<th scope="row">Resolved</th>' in client.get(f"/tickets/{ticket.pk}/").text
    services.ticket_reopen(ticket_id=ticket.pk, actor=member, reason="Still failing")
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert '<th scope="row">Resolved</th>' not in page
    assert 'id="ticket-status">Accepted<' in page


def test_the_rating_form_explains_the_scale_and_says_optional_once(client, file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    client.force_login(member)
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert "5 · excellent" in page and "1 · very poor" in page
    assert "(optional) <small>(optional)" not in page and "(optional)</small>" in page
    assert page.count("(optional)") == page.count("<small>(optional)</small>")


def test_a_given_rating_is_shown_with_its_meaning(client, file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    client.force_login(member)
    assert client.post(f"/tickets/{ticket.pk}/rating/", {"score": "4", "comment": "Quick"}).status_code == 302
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert 'id="rating-score">4/5 · good<' in page and "Quick" in page
    assert f'action="/tickets/{ticket.pk}/rating/"' not in page
    client.force_login(manager)
    assert 'id="rating-score">4/5 · good<' in client.get(f"/tickets/{ticket.pk}/").text
