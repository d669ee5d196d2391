"""The viewer's next step is the first thing on the ticket page: a banner saying what the ticket waits for, the
actions that answer it open (not folded away), and for a quote the deposit does not cover, where to order more."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.conftest import drive
from tickets import services
from tickets.models import Kind, Status

pytestmark = pytest.mark.django_db


def _before(page: str, first: str, second: str) -> bool:
    return page.index(first) < page.index(second)


def _next_step(page: str) -> str:
    return page.split('id="next-step"')[1].split("</section>")[0]


def _quote(ticket, manager, hours: str):
    return services.ticket_quote(
        ticket_id=ticket.pk, actor=manager, estimate_hours=hours, due_at=timezone.now() + timedelta(days=7)
    )


def test_a_question_puts_waiting_for_your_reply_first(client, file_ticket, manager, member):
    ticket = file_ticket()
    services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    services.ticket_request_info(ticket_id=ticket.pk, actor=manager, message="Which browser do you use?")
    client.force_login(member)
    page = client.get(f"/tickets/{ticket.pk}/").text
    step = _next_step(page)
    assert "Waiting for your reply" in step and "Which browser do you use?" in step
    assert 'href="#comment-form"' in step
    assert _before(page, 'id="next-step"', 'id="thread"') and _before(page, 'id="next-step"', 'id="manager"')
    client.force_login(manager)
    assert "Waiting for your reply" not in client.get(f"/tickets/{ticket.pk}/").text


def test_approving_a_quote_is_open_at_the_top(client, file_ticket, manager, member):
    ticket = file_ticket(Kind.ENHANCEMENT)
    _quote(ticket, manager, "2")
    client.force_login(member)
    page = client.get(f"/tickets/{ticket.pk}/").text
    step = _next_step(page)
    assert 'id="action-approve"' in step and 'id="action-decline"' in step
    assert "<details" not in step and "1,200.00\u00a0UAH" in step
    assert 'id="deposit-short"' not in step
    assert 'id="action-cancel"' in page.split('id="actions"')[1]  # the rest under "More actions"


def test_a_quote_the_deposit_does_not_cover_offers_to_order_consultations(client, file_ticket, manager, owner, member):
    ticket = file_ticket(Kind.ENHANCEMENT)
    _quote(ticket, manager, "5")  # 3000.00 UAH against 1800.00 available (an enhancement holds nothing until approved)
    client.force_login(owner)
    step = _next_step(client.get(f"/tickets/{ticket.pk}/").text)
    assert "1,200.00\u00a0UAH more is needed" in step
    assert 'href="/billing/invoices/?requests=7#order"' in step  # 1200 / 180 = 6.67: 7 requests
    refused = client.post(f"/tickets/{ticket.pk}/actions/approve/", {})
    assert refused.status_code == 402
    step = _next_step(refused.text)
    assert "does not cover this request" in step and 'id="order-consultations"' in step
    order = client.get("/billing/invoices/?requests=8")
    assert 'value="8"' in order.text and 'id="order"' in order.text

    client.force_login(member)
    step = _next_step(client.get(f"/tickets/{ticket.pk}/").text)
    assert 'id="order-consultations"' not in step and "owner" in step


def test_a_resolution_asks_the_partner_to_confirm_or_reopen(client, file_ticket, manager, member):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    client.force_login(member)
    step = _next_step(client.get(f"/tickets/{ticket.pk}/").text)
    assert 'id="action-confirm"' in step and 'id="action-reopen"' in step


def test_the_manager_sees_the_next_step_and_the_requesters_contact(client, file_ticket, manager, member):
    member.phone = "+380441234567"
    member.save(update_fields=["phone"])
    ticket = file_ticket()
    client.force_login(manager)
    page = client.get(f"/tickets/{ticket.pk}/").text
    assert 'id="action-accept"' in _next_step(page)
    requester = page.split('id="requester"')[1].split("</section>")[0]
    assert member.display_name in requester and member.email in requester and "+380441234567" in requester
    assert manager.email not in requester


def test_a_destructive_ticket_action_says_what_it_breaks(client, file_ticket, member):
    ticket = file_ticket()
    client.force_login(member)
    cancel = client.get(f"/tickets/{ticket.pk}/").text.split('id="action-cancel"')[1].split("</details>")[0]
    assert "withdrawn for good" in cancel and "cannot be reopened" in cancel
    done = client.post(f"/tickets/{ticket.pk}/actions/cancel/", {"cancel-reason": ""}, follow=True)
    assert f"Ticket {ticket.number}: Cancelled." in done.text
