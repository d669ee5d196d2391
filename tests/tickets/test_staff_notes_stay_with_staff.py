"""An escalation: the partner sees the fact and the status, never the note to the production team, by any path."""

import pytest
from django.core import mail

from notifications.models import Notification
from outbox.models import OutboxEvent
from outbox.relay import relay_run
from tickets import services
from tickets.models import Comment, Status, TicketEvent

pytestmark = pytest.mark.django_db

SECRET = "prod: the customer DB is on fire"


@pytest.fixture
def escalated(file_ticket, manager, django_capture_on_commit_callbacks):
    ticket = file_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_accept(ticket_id=ticket.pk, actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_escalate(ticket_id=ticket.pk, actor=manager, note=SECRET)
    relay_run()
    return ticket


def test_the_note_is_an_internal_note_and_the_history_row_carries_none(escalated, manager):
    comment = Comment.objects.get(ticket=escalated)
    assert (comment.body, comment.internal, comment.author) == (SECRET, True, manager)
    row = TicketEvent.objects.get(ticket=escalated, transition="escalate")
    assert (row.note, row.internal, row.to_status) == ("", False, Status.WAITING_PRODUCTION)


def test_the_partner_page_shows_the_status_not_the_note(client, escalated, member, owner, manager):
    for person in (member, owner):
        client.force_login(person)
        page = client.get(f"/tickets/{escalated.pk}/").text
        assert "Waiting for production" in page
        assert "on fire" not in page
    client.force_login(manager)
    assert SECRET in client.get(f"/tickets/{escalated.pk}/").text


def test_the_api_shows_the_partner_no_note(api, escalated, member, manager):
    for path in ("", "history/", "comments/"):
        body = api(member).get(f"/api/v1/tickets/{escalated.pk}/{path}").content.decode()
        assert "on fire" not in body, path
    assert SECRET in api(manager).get(f"/api/v1/tickets/{escalated.pk}/comments/").content.decode()


def test_no_e_mail_or_notification_of_a_partner_carries_it(escalated, member, owner):
    for message in mail.outbox:
        assert "on fire" not in message.body and "on fire" not in message.subject
    assert not Notification.objects.filter(user__partner__isnull=False, body__contains="on fire").exists()


def test_no_public_event_carries_it_so_neither_webhooks_nor_the_feed_do(api, escalated, owner):
    for event in OutboxEvent.objects.filter(public=True):
        assert "on fire" not in str(event.payload)
    feed = api(owner).get("/api/v1/events/").content.decode()
    assert "Waiting for production" not in feed and "waiting_production" in feed
    assert "on fire" not in feed


def test_the_statement_export_carries_no_note(client, escalated, owner, manager):
    services.ticket_resume(ticket_id=escalated.pk, actor=manager)
    services.ticket_resolve(ticket_id=escalated.pk, actor=manager, resolution="Fixed")
    client.force_login(owner)
    export = client.get("/billing/statement.csv")
    assert export.status_code == 200
    assert "on fire" not in export.content.decode()
