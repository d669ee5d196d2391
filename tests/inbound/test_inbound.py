"""Inbound e-mail, from real messages (tests/inbound/eml/) through the pipe command and the service."""

# ruff: noqa: RUF001 -- Ukrainian and Russian mail text, Cyrillic on purpose

import io
import logging
import sys

import pytest
from django.core.management import call_command

from inbound.models import InboundMessage, InboundStatus
from inbound.services import inbound_email_ingest
from inbound.tasks import imap_poll_task
from tests.factories import ProjectFactory, TicketFactory
from tests.helpers import mail_authenticated
from tickets import services
from tickets.models import Attachment, Channel, Comment, Kind, Status, Ticket

from .conftest import eml

pytestmark = pytest.mark.django_db


def ingest(name: str) -> InboundMessage:
    return inbound_email_ingest(raw=eml(name))


def test_the_pipe_command_reads_bytes_from_stdin_and_files_a_ticket(funded, anna, project, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(eml("new_request_alternative.eml"))))
    out = io.StringIO()
    call_command("ingest_email", stdout=out)

    ticket = Ticket.objects.get()
    assert (ticket.project, ticket.author, ticket.kind, ticket.channel) == (project, anna, Kind.SIMPLE, Channel.EMAIL)
    assert ticket.title == "Export to Excel stops at 50%"
    assert ticket.description.startswith("Hello,\n\nthe export of the deals list")  # text/plain preferred to HTML
    assert "<div" not in ticket.description
    assert f"processed ticket {ticket.number}" in out.getvalue()


def test_the_same_message_twice_is_stored_once(funded, anna):
    first = ingest("new_request_alternative.eml")
    second = ingest("new_request_alternative.eml")
    assert first.pk == second.pk and first.status == InboundStatus.PROCESSED
    assert Ticket.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_attachments_go_through_the_upload_checks(funded, anna):
    record = ingest("new_request_attachments.eml")
    ticket = record.ticket
    assert ticket.description.startswith("The printed invoice loses its last column.")
    stored = {a.original_name: a.content_type for a in Attachment.objects.filter(ticket=ticket)}
    assert stored == {"screenshot.png": "image/png", "invoice.pdf": "application/pdf"}
    assert record.reason == ""


def test_a_refused_attachment_keeps_the_message_and_logs_why(funded, anna):
    record = ingest("attachment_rejected.eml")
    assert record.status == InboundStatus.PROCESSED
    assert record.ticket.description == "The setup program crashes on start; I attach it so that you can try."
    assert not Attachment.objects.exists()
    assert "setup.pdf" in record.reason


@pytest.mark.parametrize(
    ("name", "title", "text"),
    [
        ("koi8r_body.eml", "Не работает экспорт в Excel", "Экспорт сделок в Excel останавливается на 50%."),
        ("windows1251_body.eml", "Помилка друку рахунку", "Рахунок друкується без останньої колонки."),
        ("encoded_subject_utf8.eml", "Не працює експорт угод", "Експорт угод в Excel зупиняється на 50%."),
        ("html_only.eml", "Report totals differ", "The monthly report totals differ from the deals list."),
    ],
)
def test_charsets_and_encoded_subjects_decode(funded, anna, name, title, text):
    record = ingest(name)
    assert record.subject == title and record.status == InboundStatus.PROCESSED
    assert record.ticket.title == title
    assert text in record.ticket.description


def test_html_is_turned_into_text_without_scripts_or_styles(funded, anna):
    description = ingest("html_only.eml").ticket.description
    assert "Report: 1\xa0200 & list: 1\xa0250" in description
    assert "alert" not in description and "color" not in description


@pytest.mark.parametrize(
    ("name", "new_text", "quoted"),
    [
        ("reply_gmail.eml", "It happens in Chrome 131 and in Firefox too.", "Which browser?"),
        ("reply_outlook.eml", "Thank you, the export works now.\n\nBest regards,\nAnna Koval", "Fixed the export"),
        ("reply_thunderbird.eml", "Yes, the template is the standard one.", "Which export template"),
        ("reply_ukrainian.eml", "Дякую, тепер усе працює.", "Експорт виправлено"),
    ],
)
def test_replies_become_comments_without_the_quoted_message(ticket_123, anna, name, new_text, quoted):
    record = ingest(name)
    assert (record.status, record.ticket) == (InboundStatus.PROCESSED, ticket_123)
    comment = Comment.objects.get(ticket=ticket_123)
    assert comment.body == new_text
    assert (comment.author, comment.internal) == (anna, False)
    assert quoted not in comment.body and "wrote:" not in comment.body and "написав" not in comment.body


def test_a_partner_reply_resumes_a_ticket_waiting_for_the_partner(ticket_123, anna, manager):
    Ticket.objects.filter(pk=ticket_123.pk).update(status=Status.WAITING_PARTNER)
    ingest("reply_gmail.eml")
    assert Ticket.objects.get(pk=ticket_123.pk).status == Status.ACCEPTED


def test_a_reply_to_a_ticket_of_another_partner_files_a_new_ticket_instead(funded, anna, other_partner_project):
    TicketFactory(pk=123, project=other_partner_project)
    record = ingest("reply_outlook.eml")  # the subject names PS-000123, which anna may not see
    assert record.ticket.pk != 123 and record.ticket.partner == anna.partner
    assert not Comment.objects.filter(ticket_id=123).exists()


def test_staff_may_answer_a_ticket_they_see_by_e_mail(ticket_123, anna, manager):
    raw = eml("reply_outlook.eml").replace(b"From: Anna Koval <anna@alpha.example>", f"From: {manager.email}".encode())
    record = inbound_email_ingest(raw=mail_authenticated(raw))
    assert record.status == InboundStatus.PROCESSED
    assert Comment.objects.get(ticket=ticket_123).author == manager


def test_staff_cannot_open_a_new_ticket_by_e_mail(db, manager):
    raw = eml("unknown_sender.eml").replace(b"stranger@nowhere.example", manager.email.encode())
    record = inbound_email_ingest(raw=mail_authenticated(raw))
    assert record.status == InboundStatus.REJECTED and not Ticket.objects.exists()


@pytest.mark.parametrize("name", ["auto_reply.eml", "bounce.eml"])
def test_auto_replies_and_bounces_create_nothing(ticket_123, anna, name):
    record = ingest(name)
    assert record.status == InboundStatus.IGNORED and record.reason
    assert not Comment.objects.exists() and Ticket.objects.count() == 1


def test_an_unknown_sender_creates_nothing_and_is_logged(db, caplog):
    with caplog.at_level(logging.WARNING, logger="inbound.services"):
        record = ingest("unknown_sender.eml")
    assert (record.status, record.sender) == (InboundStatus.UNKNOWN_SENDER, "stranger@nowhere.example")
    assert not Ticket.objects.exists()
    assert "stranger@nowhere.example" in caplog.text


def test_an_inactive_user_is_an_unknown_sender(funded, anna):
    anna.is_active = False
    anna.save()
    assert ingest("new_request_alternative.eml").status == InboundStatus.UNKNOWN_SENDER


def test_a_partner_with_several_projects_is_refused_a_new_ticket(funded, anna, project, mailoutbox):
    ProjectFactory(partner=anna.partner)
    record = ingest("new_request_alternative.eml")
    assert record.status == InboundStatus.REJECTED and "several projects" in record.reason
    assert not Ticket.objects.exists() and mailoutbox == []


def test_an_insufficient_deposit_is_recorded_and_answered_with_nothing(anna, project, mailoutbox):
    record = ingest("new_request_alternative.eml")
    assert record.status == InboundStatus.REJECTED and record.reason
    assert record.ticket is None and not Ticket.objects.exists() and mailoutbox == []


def test_a_message_without_message_id_is_still_stored_once(funded, anna):
    raw = eml("unknown_sender.eml").replace(b"Message-ID: <stranger-0001@nowhere.example>\r\n", b"")
    first, second = inbound_email_ingest(raw=raw), inbound_email_ingest(raw=raw)
    assert first.pk == second.pk and first.message_id.startswith("<sha256-")


def test_the_sender_is_found_case_insensitively(funded, anna):
    record = ingest("new_request_alternative.eml")  # From: Anna@Alpha.Example
    assert record.sender == "anna@alpha.example" and record.status == InboundStatus.PROCESSED


def test_without_imap_host_the_poller_does_nothing(settings):
    settings.IMAP_HOST = ""
    assert imap_poll_task() == 0


def _staff_reply(sender: str, in_reply_to: str, body: str) -> bytes:
    return mail_authenticated(
        f"From: {sender}\r\nTo: support@partner-support.local\r\nSubject: Re: [PS-000123] note\r\n"
        f"Message-ID: <reply-{abs(hash(body))}@mail.example>\r\nIn-Reply-To: {in_reply_to}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n".encode()
    )


def test_staff_replying_to_an_internal_note_mail_write_an_internal_note(ticket_123, anna, manager, admin_user):
    from notifications.models import SentMessage

    note = Comment.objects.create(
        ticket=ticket_123, author=admin_user, body="Check the partner's config", internal=True
    )
    SentMessage.objects.create(message_id="<internal-1@partner-support.local>", ticket=ticket_123, internal=True)
    SentMessage.objects.create(message_id="<public-1@partner-support.local>", ticket=ticket_123)

    inbound_email_ingest(raw=_staff_reply(manager.email, "<internal-1@partner-support.local>", "keep it between us"))
    inbound_email_ingest(raw=_staff_reply(manager.email, "<public-1@partner-support.local>", "We are on it"))

    replies = Comment.objects.filter(ticket=ticket_123, author=manager).order_by("pk")
    assert [(c.body, c.internal) for c in replies] == [("keep it between us", True), ("We are on it", False)]
    assert note.internal


def test_the_mail_of_an_internal_note_is_recorded_as_internal(
    ticket_123, manager, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import SentMessage

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(ticket_id=ticket_123.pk, actor=admin_user, body="internal", internal=True)

    assert [m.to for m in mailoutbox] == [[ticket_123.assignee.email]]
    sent = SentMessage.objects.get(message_id=mailoutbox[0].extra_headers["Message-ID"])
    assert sent.internal
