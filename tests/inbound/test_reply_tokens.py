"""Signed reply addresses: each ticket e-mail to a person carries its own Reply-To, and a reply from that person to
it answers that ticket without trusting the sender's mail server; nobody else's reply and no altered address does."""

import pytest
from django.db import transaction

from inbound.models import InboundStatus
from inbound.services import inbound_email_ingest
from notifications.models import Kind
from notifications.reply_tokens import reply_address, reply_token_of
from notifications.services import notification_emails_deliver, notify
from tests.factories import AdminFactory, ManagerFactory, UserFactory
from tickets.models import Comment
from tickets.services import project_assign_manager

pytestmark = pytest.mark.django_db

SUPPORT = "support@partner-support.local"


@pytest.fixture(autouse=True)
def _reply_addresses(settings):
    settings.INBOUND_REPLY_ADDRESS = SUPPORT


def reply(*, sender: str, to: str, body: str = "Here are the details you asked for.") -> bytes:
    """A reply with no authentication results at all, no In-Reply-To and no ticket number in the subject."""
    return (
        f"Message-ID: <reply-{abs(hash((sender, to, body)))}@example.net>\r\n"
        f"From: <{sender}>\r\nTo: <{to}>\r\nSubject: Re: your question\r\n"
        'Content-Type: text/plain; charset="UTF-8"\r\n\r\n'
        f"{body}\r\n"
    ).encode()


def test_each_person_gets_their_own_reply_address(ticket_123, anna, mailoutbox):
    colleague = UserFactory(partner=anna.partner)
    with transaction.atomic():
        created = notify(
            kind=Kind.COMMENT,
            key="test:reply-addresses",
            users=[anna, colleague],
            ticket_id=ticket_123.pk,
            compose=lambda user: ("New comment on PS-000123", "The same text for both."),
        )
    assert notification_emails_deliver(notification_ids=[n.pk for n in created]) == 2
    by_person = {message.to[0]: message.extra_headers["Reply-To"] for message in mailoutbox}
    assert set(by_person) == {anna.email, colleague.email}
    token = reply_token_of([by_person[anna.email]], user_id=anna.pk)
    assert (token.ticket_id, token.user_id) == (ticket_123.pk, anna.pk)
    assert reply_token_of([by_person[colleague.email]], user_id=colleague.pk).user_id == colleague.pk
    assert reply_token_of([by_person[colleague.email]], user_id=anna.pk) is None


def test_a_reply_to_the_senders_own_address_answers_the_ticket_without_authentication_results(ticket_123, anna):
    address = reply_address(ticket_id=ticket_123.pk, user_id=anna.pk)
    record = inbound_email_ingest(raw=reply(sender=anna.email, to=address.upper()))
    assert record.status == InboundStatus.PROCESSED and record.ticket_id == ticket_123.pk
    comment = Comment.objects.get(ticket=ticket_123)
    assert comment.author == anna and "details you asked for" in comment.body and not comment.internal


@pytest.mark.parametrize("tamper", ["another sender", "altered signature", "another ticket", "no reply address"])
def test_anything_but_the_senders_own_signed_address_proves_nothing(ticket_123, anna, tamper):
    colleague = UserFactory(partner=anna.partner)
    address = reply_address(ticket_id=ticket_123.pk, user_id=anna.pk)
    sender = anna.email
    if tamper == "another sender":
        sender = colleague.email  # had Anna's e-mail forwarded
    elif tamper == "altered signature":
        local, domain = address.split("@")
        address = f"{local[:-1]}{'0' if local[-1] != '0' else '1'}@{domain}"
    elif tamper == "another ticket":
        address = address.replace(f"+{ticket_123.pk}.", f"+{ticket_123.pk + 1}.")
    else:
        address = SUPPORT
    record = inbound_email_ingest(raw=reply(sender=sender, to=address))
    assert record.status == InboundStatus.UNAUTHENTICATED
    assert not Comment.objects.exists()


def test_a_reply_address_stops_working_for_a_manager_who_no_longer_serves_the_project(ticket_123, project):
    manager = project.manager
    address = reply_address(ticket_id=ticket_123.pk, user_id=manager.pk)
    successor = ManagerFactory()
    with transaction.atomic(durable=True):
        project_assign_manager(project=project, manager=successor, actor=AdminFactory())
    record = inbound_email_ingest(raw=reply(sender=manager.email, to=address))
    assert record.status == InboundStatus.REJECTED and "no longer yours" in record.reason
    assert not Comment.objects.exists()


def test_without_a_reply_address_configured_no_reply_to_is_sent(settings, ticket_123, anna, mailoutbox):
    settings.INBOUND_REPLY_ADDRESS = ""
    with transaction.atomic():
        created = notify(
            kind=Kind.COMMENT,
            key="test:no-reply-addresses",
            users=[anna],
            ticket_id=ticket_123.pk,
            compose=lambda user: ("New comment", "Text."),
        )
    notification_emails_deliver(notification_ids=[n.pk for n in created])
    assert "Reply-To" not in mailoutbox[0].extra_headers
    assert reply_address(ticket_id=ticket_123.pk, user_id=anna.pk) is None


def test_a_reply_all_with_a_colleagues_address_first_still_proves_the_senders_thread(ticket_123, anna):
    colleague = UserFactory(partner=anna.partner)
    theirs = reply_address(ticket_id=ticket_123.pk, user_id=colleague.pk)
    mine = reply_address(ticket_id=ticket_123.pk, user_id=anna.pk)
    raw = reply(sender=anna.email.upper(), to=theirs).replace(b"\r\nSubject:", f"\r\nCc: <{mine}>\r\nSubject:".encode())
    record = inbound_email_ingest(raw=raw)
    assert record.status == InboundStatus.PROCESSED and Comment.objects.get().author == anna
