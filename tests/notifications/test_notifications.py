"""Who is told what about tickets, in which language and time zone, and by e-mail unless muted."""

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from billing.services import deposit_top_up, invoice_issue, invoice_mark_paid
from inbound.services import inbound_email_ingest
from notifications import messages
from notifications.models import Kind, Notification, SentMessage
from notifications.services import email_mute
from notifications.subscriber import handle_event
from outbox.models import OutboxEvent
from outbox.relay import relay_run
from tests.factories import AdminFactory, PartnerOwnerFactory
from tests.helpers import mail_authenticated
from tickets import services
from tickets.models import Comment
from tickets.models import Kind as TicketKind
from tickets.services.core import ticket_lock
from tickets.sla import breach_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """run(fn, ...) calls a service and lets its after-commit work (events, notifications, e-mails) happen."""

    def run(function, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def filed(run, funded, member, project):
    return run(
        services.ticket_file,
        actor=member,
        project_id=project.pk,
        kind=TicketKind.SIMPLE,
        title="Export fails",
        description="Export to Excel stops at 50%.",
    )


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_a_new_ticket_tells_its_manager_by_e_mail_with_number_link_and_message_id(filed, manager, member, mailoutbox):
    [notification] = Notification.objects.all()
    assert (notification.user, notification.kind, notification.ticket) == (manager, Kind.TICKET_NEW, filed)
    [mail] = mailoutbox
    assert mail.to == [manager.email]
    assert mail.subject.startswith(f"[{filed.number}] ")
    assert f"http://127.0.0.1:8000/tickets/{filed.pk}/" in mail.body
    assert mail.extra_headers["Auto-Submitted"] == "auto-generated"
    assert SentMessage.objects.get(message_id=mail.extra_headers["Message-ID"]).ticket == filed
    assert kinds_of(member) == []  # nobody is told of their own action


def test_a_reply_to_the_notification_e_mail_threads_to_its_ticket(filed, manager, mailoutbox):
    message_id = mailoutbox[0].extra_headers["Message-ID"]
    raw = (
        f"From: {manager.email}\r\nTo: support@partner-support.local\r\nSubject: Re: New request\r\n"
        f"Message-ID: <reply-1@example.com>\r\nIn-Reply-To: {message_id}\r\n\r\nOn it.\r\n\r\n"
        "On Mon, 23 Nov 2026 at 10:00, Partner Support wrote:\r\n> New request\r\n"
    ).encode()
    record = inbound_email_ingest(raw=mail_authenticated(raw))
    assert record.ticket == filed
    assert Comment.objects.get(ticket=filed).body == "On it."


def test_acceptance_tells_the_author_and_the_owners_the_due_time_in_their_own_zone(
    run, filed, manager, member, owner, mailoutbox
):
    owner.timezone = "America/New_York"
    owner.save()
    mailoutbox.clear()
    ticket = run(services.ticket_accept, ticket_id=filed.pk, actor=manager)

    assert kinds_of(member) == [Kind.TICKET_ACCEPTED] and kinds_of(owner) == [Kind.TICKET_ACCEPTED]
    assert kinds_of(manager) == [Kind.TICKET_NEW]
    kyiv = ticket.resolve_due_at.astimezone(ZoneInfo("Europe/Kyiv"))
    new_york = ticket.resolve_due_at.astimezone(ZoneInfo("America/New_York"))
    assert date_format(kyiv, "DATETIME_FORMAT") in Notification.objects.get(user=member).body
    assert date_format(new_york, "DATETIME_FORMAT") in Notification.objects.get(user=owner).body
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted([(member.email,), (owner.email,)])


def test_the_mail_is_composed_in_the_recipients_language_and_time_zone(
    run, funded, member, project, manager, mailoutbox
):
    manager.language, manager.timezone = "uk", "Asia/Tokyo"
    manager.save()
    seen = []
    original = messages.ticket_new

    def spy(ticket, description):
        seen.append((translation.get_language(), timezone.get_current_timezone_name()))
        return original(ticket, description)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "ticket_new", spy)
        ticket = run(
            services.ticket_file, actor=member, project_id=project.pk, kind="simple", title="T", description="D"
        )
    assert seen == [("uk", "Asia/Tokyo")]
    [mail] = mailoutbox
    assert mail.to == [manager.email] and mail.subject.startswith(f"[{ticket.number}] ")


def test_request_for_information_tells_the_partner_once(run, filed, manager, member, owner):
    run(services.ticket_accept, ticket_id=filed.pk, actor=manager)
    run(services.ticket_request_info, ticket_id=filed.pk, actor=manager, message="Which browser?")
    assert kinds_of(member) == [Kind.TICKET_ACCEPTED, Kind.INFO_REQUESTED]
    assert "Which browser?" in Notification.objects.get(user=member, kind=Kind.INFO_REQUESTED).body

    run(services.comment_add, ticket_id=filed.pk, actor=member, body="Chrome 131")  # resumes the ticket
    assert kinds_of(manager) == [Kind.TICKET_NEW, Kind.COMMENT]


def test_resolution_tells_the_partner_and_reopening_tells_the_manager(run, filed, manager, member, owner):
    run(services.ticket_accept, ticket_id=filed.pk, actor=manager)
    run(services.ticket_resolve, ticket_id=filed.pk, actor=manager, resolution="Fixed the template.")
    assert kinds_of(owner)[-1] == Kind.TICKET_RESOLVED
    run(services.ticket_reopen, ticket_id=filed.pk, actor=member, reason="Still stops at 50%.")
    assert kinds_of(manager)[-1] == Kind.TICKET_REOPENED
    assert "Still stops at 50%." in Notification.objects.filter(user=manager).first().body
    assert Kind.TICKET_REOPENED not in kinds_of(member)


def test_a_quote_tells_the_partner(run, funded, member, owner, manager, project):
    ticket = run(
        services.ticket_file,
        actor=member,
        project_id=project.pk,
        kind="enhancement",
        title="New report",
        description="D",
    )
    run(
        services.ticket_quote,
        ticket_id=ticket.pk,
        actor=manager,
        estimate_hours="2",
        due_at=timezone.now() + timedelta(days=7),
    )
    assert kinds_of(owner) == [Kind.TICKET_QUOTED]
    assert "1200.00 UAH" in Notification.objects.get(user=owner).body


def test_comments_go_to_the_other_side_and_internal_notes_never_to_partners(
    run, filed, manager, member, owner, admin_user
):
    run(services.comment_add, ticket_id=filed.pk, actor=manager, body="Public answer")
    assert kinds_of(member) == [Kind.COMMENT] and kinds_of(owner) == []  # the author, not every owner

    run(services.comment_add, ticket_id=filed.pk, actor=manager, body="Internal", internal=True)
    run(services.comment_add, ticket_id=filed.pk, actor=admin_user, body="Admin note", internal=True)
    assert kinds_of(member) == [Kind.COMMENT] and kinds_of(owner) == []
    assert Notification.objects.filter(user=manager, kind=Kind.COMMENT).get().body.endswith("Admin note")

    run(services.comment_add, ticket_id=filed.pk, actor=owner, body="Partner side")
    assert Notification.objects.filter(user=manager, kind=Kind.COMMENT).count() == 2
    assert not Notification.objects.filter(user__partner__isnull=False, body__contains="nternal").exists()


def test_an_event_delivered_twice_notifies_once(filed, manager, mailoutbox, django_capture_on_commit_callbacks):
    event = OutboxEvent.objects.get(type="ticket.created")
    with django_capture_on_commit_callbacks(execute=True):
        handle_event(event)  # handed out again, e.g. by a relay killed before it recorded the delivery
        OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None, done_by=[])
        relay_run()
    assert Notification.objects.filter(user=manager).count() == 1 and len(mailoutbox) == 1
    assert Notification.objects.get(user=manager).key == f"event:{event.event_id}"


def test_a_muted_kind_is_stored_but_not_e_mailed(run, funded, member, project, manager, mailoutbox):
    email_mute(user=manager, kind=Kind.TICKET_NEW)
    ticket = run(services.ticket_file, actor=member, project_id=project.pk, kind="simple", title="T", description="D")
    assert kinds_of(manager) == [Kind.TICKET_NEW] and mailoutbox == []

    run(services.comment_add, ticket_id=ticket.pk, actor=member, body="More details")
    assert [m.to for m in mailoutbox] == [[manager.email]]  # other kinds still arrive


def test_people_who_read_the_same_text_get_one_message(run, filed, manager, admin_user, mailoutbox):
    uk_admin = AdminFactory(language="uk", timezone="Asia/Tokyo")  # another text whatever the catalogue
    mailoutbox.clear()

    def breach():
        with transaction.atomic():
            ticket = ticket_lock(ticket_id=filed.pk, actor=None)
            breach_record(ticket=ticket, clock="acceptance", due_at=ticket.accept_due_at, now=timezone.now())

    run(breach)
    assert {n.user for n in Notification.objects.filter(kind=Kind.SLA_BREACH)} == {manager, admin_user, uk_admin}
    grouped = sorted(sorted(m.to) for m in mailoutbox)
    assert grouped == sorted([sorted([manager.email, admin_user.email]), [uk_admin.email]])
    assert all(m.subject.startswith(f"[{filed.number}]") for m in mailoutbox)
    run(breach)  # a second late transition finds the breach recorded: no second event
    assert Notification.objects.filter(kind=Kind.SLA_BREACH).count() == 3


def test_invoice_paid_tells_the_owners(run, partner, owner, member, admin_user, mailoutbox):
    second_owner = PartnerOwnerFactory(partner=partner)
    invoice = run(invoice_issue, partner=partner, requests=5, actor=owner)
    assert Notification.objects.count() == 0  # issued: an event for the partner's CRM, nobody to tell
    run(invoice_mark_paid, invoice=invoice, actor=admin_user)
    run(invoice_mark_paid, invoice=invoice, actor=admin_user)  # marked again: the same entry, no second event
    assert kinds_of(member) == [] and kinds_of(second_owner) == [Kind.INVOICE_PAID]
    assert kinds_of(owner) == [Kind.INVOICE_PAID]
    assert invoice.number in Notification.objects.get(user=owner).title


def test_a_low_balance_tells_the_owners_in_the_app_too(run, partner, owner, member, admin_user, mailoutbox):
    run(deposit_top_up, partner=partner, amount=Decimal("100.00"), actor=admin_user, memo="t", idempotency_key="low:1")
    assert kinds_of(owner) == [Kind.LOW_BALANCE] and kinds_of(member) == []
    assert Notification.objects.get(user=owner).url == "http://127.0.0.1:8000/billing/"
    assert [m.subject for m in mailoutbox] == ["Low deposit balance"]


def test_marking_an_invoice_paid_notifies_after_commit(
    partner, owner, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = invoice_issue(partner=partner, requests=5, actor=owner)  # 900.00: above the low-balance line
    with django_capture_on_commit_callbacks(execute=True):
        invoice_mark_paid(invoice=invoice, actor=admin_user)
    assert kinds_of(owner) == [Kind.INVOICE_PAID]
    assert [m.to for m in mailoutbox] == [[owner.email]]
