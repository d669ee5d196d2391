"""The ticket page: what each role sees, the actions offered now, and every form's success and error paths."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from billing.selectors import account_summary
from tests.tickets.conftest import drive
from tickets import services
from tickets.models import Kind, Status

pytestmark = pytest.mark.django_db


def _detail(ticket):
    return reverse("tickets:detail", args=[ticket.pk])


def _action(ticket, name):
    return reverse("tickets:action", args=[ticket.pk, name])


def test_partner_sees_deadline_manager_line_and_partner_actions_only(client, member, manager, file_ticket):
    ticket = file_ticket()
    client.force_login(member)
    response = client.get(_detail(ticket))
    assert response.status_code == 200
    assert f'href="tel:{manager.phone}"' in response.text
    assert f'href="mailto:{manager.email}"' in response.text
    assert "data-due=" in response.text
    assert 'id="action-cancel"' in response.text
    assert 'id="action-accept"' not in response.text
    assert 'id="time-form"' not in response.text


def test_another_partners_ticket_answers_404_everywhere(client, outsider, file_ticket):
    ticket = file_ticket()
    client.force_login(outsider)
    assert client.get(_detail(ticket)).status_code == 404
    assert client.post(_action(ticket, "cancel"), {}).status_code == 404
    assert client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "hi"}).status_code == 404
    assert client.post(reverse("tickets:rating", args=[ticket.pk]), {"score": "5"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_another_managers_ticket_answers_404(client, other_manager, file_ticket):
    ticket = file_ticket()
    client.force_login(other_manager)
    assert client.get(_detail(ticket)).status_code == 404
    assert client.post(_action(ticket, "accept"), {}).status_code == 404


def test_unknown_action_answers_404(client, manager, file_ticket):
    ticket = file_ticket()
    client.force_login(manager)
    assert client.post(_action(ticket, "explode"), {}).status_code == 404


def test_manager_accepts_and_partner_sees_status_and_deadline(client, manager, member, file_ticket):
    ticket = file_ticket()
    client.force_login(manager)
    page = client.get(_detail(ticket)).text
    assert 'id="action-accept"' in page
    assert 'id="action-cancel"' not in page
    response = client.post(_action(ticket, "accept"), {})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED
    client.force_login(member)
    page = client.get(_detail(ticket)).text
    assert "Accepted" in page
    assert 'id="resolve-due"' in page


def test_composite_accept_without_parts_shows_the_error_next_to_parts(client, manager, file_ticket):
    ticket = file_ticket(kind=Kind.COMPOSITE)
    client.force_login(manager)
    response = client.post(_action(ticket, "accept"), {"accept-parts": ""})
    assert response.status_code == 400
    next_step = response.text.split('id="next-step"')[1].split("</section>")[0]
    assert 'id="action-accept"' in next_step and "This field is required." in next_step
    response = client.post(_action(ticket, "accept"), {"accept-parts": "3"})
    assert response.status_code == 302
    assert ticket.part_rows.count() == 3


def test_reject_without_reason_is_refused_next_to_the_field(client, manager, file_ticket):
    ticket = file_ticket()
    client.force_login(manager)
    response = client.post(_action(ticket, "reject"), {"reject-reason": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.text
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_transition_not_allowed_now_is_a_message_not_a_server_error(client, manager, file_ticket):
    ticket = file_ticket()
    client.force_login(manager)
    response = client.post(_action(ticket, "resolve"), {"resolve-resolution": "Done"})
    assert response.status_code == 409
    assert "not possible now" in response.text


def test_partner_cannot_act_as_staff(client, member, file_ticket):
    ticket = file_ticket()
    client.force_login(member)
    response = client.post(_action(ticket, "accept"), {})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_quote_approve_flow(client, manager, member, file_ticket):
    ticket = file_ticket(kind=Kind.ENHANCEMENT)
    client.force_login(manager)
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(_action(ticket, "quote"), {"quote-estimate_hours": "0.1", "quote-due_at": due})
    assert bad.status_code == 400
    assert "from 0.25" in bad.text
    assert client.post(_action(ticket, "quote"), {"quote-estimate_hours": "2", "quote-due_at": due}).status_code == 302
    client.force_login(member)
    page = client.get(_detail(ticket)).text
    assert 'id="action-approve"' in page
    assert 'id="action-decline"' in page
    assert client.post(_action(ticket, "approve"), {}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("request_info", {"request_info-message": "Which browser?"}, Status.WAITING_PARTNER),
        ("escalate", {"escalate-note": "Core fix"}, Status.WAITING_PRODUCTION),
        ("resolve", {"resolve-resolution": "Fixed."}, Status.RESOLVED),
    ],
)
def test_staff_actions_on_an_accepted_ticket(client, manager, member, file_ticket, name, data, status):
    ticket = drive(file_ticket(), Status.ACCEPTED, manager=manager, partner_user=member)
    client.force_login(manager)
    assert client.post(_action(ticket, name), data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == status


def test_resume_after_escalation(client, manager, member, file_ticket):
    ticket = drive(file_ticket(), Status.WAITING_PRODUCTION, manager=manager, partner_user=member)
    client.force_login(manager)
    assert 'id="action-resume"' in client.get(_detail(ticket)).text
    assert client.post(_action(ticket, "resume"), {}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


def test_partner_reopens_with_reason_then_confirms_and_rates(client, manager, member, file_ticket):
    ticket = drive(file_ticket(), Status.RESOLVED, manager=manager, partner_user=member)
    client.force_login(member)
    page = client.get(_detail(ticket)).text
    assert 'id="action-confirm"' in page
    assert 'id="rating"' in page
    missing = client.post(_action(ticket, "reopen"), {"reopen-reason": ""})
    assert missing.status_code == 400
    assert client.post(_action(ticket, "reopen"), {"reopen-reason": "Still fails"}).status_code == 302
    services.ticket_resolve(ticket_id=ticket.pk, actor=manager, resolution="Really fixed.")
    assert client.post(_action(ticket, "confirm"), {}).status_code == 302
    bad = client.post(reverse("tickets:rating", args=[ticket.pk]), {"score": "9"})
    assert bad.status_code == 400
    assert (
        client.post(reverse("tickets:rating", args=[ticket.pk]), {"score": "5", "comment": "Thanks"}).status_code == 302
    )
    page = client.get(_detail(ticket)).text
    assert 'id="rating"' not in page
    assert client.post(reverse("tickets:rating", args=[ticket.pk]), {"score": "4"}).status_code == 409


def test_partner_cancels_and_the_hold_is_released(client, member, partner, file_ticket):
    ticket = file_ticket()
    client.force_login(member)
    assert client.post(_action(ticket, "cancel"), {"cancel-reason": "Not needed"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CANCELLED
    assert account_summary(partner=partner).held == 0


def test_partner_reply_with_attachment_resumes_a_waiting_ticket(client, manager, member, file_ticket):
    ticket = drive(file_ticket(), Status.WAITING_PARTNER, manager=manager, partner_user=member)
    client.force_login(member)
    response = client.post(
        reverse("tickets:comment", args=[ticket.pk]),
        {"body": "Chrome 120", "files": [SimpleUploadedFile("log.txt", b"trace")]},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED
    page = client.get(_detail(ticket)).text
    assert "Chrome 120" in page
    assert reverse("tickets:attachment", args=[ticket.pk, ticket.attachments.get().pk]) in page


def test_empty_comment_shows_the_error_next_to_the_field(client, member, file_ticket):
    ticket = file_ticket()
    client.force_login(member)
    response = client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": ""})
    assert response.status_code == 400
    assert 'id="comment-form"' in response.text
    assert "This field is required." in response.text


def test_internal_notes_are_for_staff_only(client, manager, member, file_ticket):
    ticket = file_ticket()
    client.force_login(manager)
    assert 'name="internal"' in client.get(_detail(ticket)).text
    client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "Partner is grumpy", "internal": "on"})
    assert "Partner is grumpy" in client.get(_detail(ticket)).text
    client.force_login(member)
    page = client.get(_detail(ticket)).text
    assert "Partner is grumpy" not in page
    assert 'name="internal"' not in page
    client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "Sneaky", "internal": "on"})
    assert ticket.comments.get(body="Sneaky").internal is False


def test_time_log_and_parts(client, manager, member, file_ticket):
    ticket = drive(file_ticket(kind=Kind.COMPOSITE), Status.ACCEPTED, manager=manager, partner_user=member)
    part = ticket.part_rows.first()
    client.force_login(manager)
    bad = client.post(reverse("tickets:time", args=[ticket.pk]), {"minutes": "0"})
    assert bad.status_code == 400
    assert 'id="time-form"' in bad.text
    ok = client.post(reverse("tickets:time", args=[ticket.pk]), {"minutes": "45", "note": "Mapping", "part": part.pk})
    assert ok.status_code == 302
    response = client.post(
        reverse("tickets:part", args=[ticket.pk, part.pk]),
        {f"part-{part.pk}-title": "Export", f"part-{part.pk}-done": "on"},
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.title == "Export"
    assert part.is_done
    blank = client.post(reverse("tickets:part", args=[ticket.pk, part.pk]), {f"part-{part.pk}-title": ""})
    assert blank.status_code == 400
    client.force_login(member)
    page = client.get(_detail(ticket)).text
    assert "45 min" in page
    assert "1 of 2 done" in page
    assert client.post(reverse("tickets:time", args=[ticket.pk]), {"minutes": "5"}).status_code == 403


def test_detail_query_count_is_constant(client, manager, member, file_ticket, django_assert_max_num_queries):
    ticket = drive(file_ticket(kind=Kind.COMPOSITE), Status.ACCEPTED, manager=manager, partner_user=member)

    def add(count):
        for n in range(count):
            services.comment_add(
                ticket_id=ticket.pk, actor=member, body=f"note {n}", files=[SimpleUploadedFile(f"{n}.txt", b"x")]
            )
            services.time_entry_add(ticket_id=ticket.pk, actor=manager, minutes=5)

    client.force_login(manager)
    add(5)
    with django_assert_max_num_queries(25) as few:
        client.get(_detail(ticket))
    add(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_detail(ticket))
    assert response.status_code == 200
