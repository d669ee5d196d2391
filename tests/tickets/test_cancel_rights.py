"""A partner member cancels the requests they filed; an owner any of the partner's (DESIGN.md section 9)."""

import pytest

from accounts.permissions import can
from partner_support.errors import PermissionDenied
from tests.factories import UserFactory
from tickets import services
from tickets.models import Kind, Status

from .conftest import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(partner):
    return UserFactory(partner=partner)


@pytest.fixture
def owners_enhancement(file_ticket, owner, manager):
    """The owner's approved enhancement, 1,200 UAH held."""
    ticket = file_ticket(Kind.ENHANCEMENT, actor=owner)
    return drive(ticket, Status.ACCEPTED, manager=manager, partner_user=owner)


def test_the_policy(file_ticket, member, colleague, owner, manager, admin_user, outsider):
    ticket = file_ticket(actor=member)
    assert can(member, "tickets.cancel_ticket", ticket)
    assert can(owner, "tickets.cancel_ticket", ticket)
    assert can(admin_user, "tickets.cancel_ticket", ticket)
    assert not can(colleague, "tickets.cancel_ticket", ticket)
    assert not can(manager, "tickets.cancel_ticket", ticket)
    assert not can(outsider, "tickets.cancel_ticket", ticket)


def test_a_member_cannot_cancel_the_owners_approved_enhancement(owners_enhancement, member):
    with pytest.raises(PermissionDenied):
        services.ticket_cancel(ticket_id=owners_enhancement.pk, actor=member)
    owners_enhancement.refresh_from_db()
    assert owners_enhancement.status == Status.ACCEPTED


def test_a_member_cancels_their_own_and_an_owner_anyones(file_ticket, member, colleague, owner):
    mine = file_ticket(actor=member)
    assert services.ticket_cancel(ticket_id=mine.pk, actor=member).status == Status.CANCELLED
    theirs = file_ticket(actor=colleague)
    assert services.ticket_cancel(ticket_id=theirs.pk, actor=owner).status == Status.CANCELLED


def test_the_page_offers_cancel_only_to_who_may_and_refuses_the_others(client, owners_enhancement, member, owner):
    url = f"/tickets/{owners_enhancement.pk}/"
    client.force_login(member)
    assert 'id="action-cancel"' not in client.get(url).text
    assert client.post(url + "actions/cancel/", {"cancel-reason": ""}).status_code == 403
    owners_enhancement.refresh_from_db()
    assert owners_enhancement.status == Status.ACCEPTED
    client.force_login(owner)
    assert 'id="action-cancel"' in client.get(url).text


def test_the_api_refuses_a_member_and_lets_the_owner(api, owners_enhancement, member, owner):
    url = f"/api/v1/tickets/{owners_enhancement.pk}/cancel/"
    assert api(member).post(url, {}, format="json").status_code == 403
    answer = api(owner).post(url, {}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
