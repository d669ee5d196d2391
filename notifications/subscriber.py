"""The outbox subscriber of notifications: who is told of which event, in their language, from the payload the
event recorded (the ticket as it was then). Each notification's key is the event's id, so an event handed out
twice notifies once. The actor is never told of their own action; internal notes reach staff only."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import ABSENCE_UNCOVERED, USER_INVITED, USER_INVITED_ELSEWHERE, Partner, User
from accounts.permissions import can
from billing.models import DEPOSIT_LOW, INVOICE_ISSUED, INVOICE_PAID, DepositAccount, Tariff
from documents.models import ACT_ISSUED
from integrations.models import WEBHOOK_DISABLED
from outbox.models import OutboxEvent
from tickets import events as ticket_events
from tickets.models import Ticket

from . import messages
from .documents import document_email
from .invitations import invitation_elsewhere_email, invitation_email
from .models import Kind
from .selectors import administrators, partner_owners, ticket_partner_side
from .services import notify
from .tasks import notification_emails_send

TicketFacts = messages.TicketFacts


def _others(users, event: OutboxEvent) -> list[User]:
    return [user for user in users if user is not None and user.pk != event.actor_id]


def _ticket_notify(event: OutboxEvent, kind: str, users, compose: Callable[[TicketFacts], tuple[str, str]], **kw):
    facts = TicketFacts.of(event.payload["ticket"])
    return notify(
        kind=kind,
        key=f"event:{event.event_id}",
        users=_others(users, event),
        compose=lambda user: compose(facts),
        ticket_id=facts.id,
        url=messages.ticket_url(facts),
        **kw,
    )


def _ticket(event: OutboxEvent) -> Ticket | None:
    return Ticket.objects.select_related("author", "project__manager", "partner").filter(pk=event.ticket_id).first()


def _staff_side(ticket: Ticket, snapshot: dict) -> list[User]:
    """The manager who held the ticket at the event, if they may still see it; else whoever serves it now."""
    assignee_id = (snapshot.get("assignee") or {}).get("id")
    people = [user for user in User.objects.filter(pk=assignee_id) if can(user, "tickets.view_ticket", ticket)]
    return people or [ticket.project.manager]


def _created(event: OutboxEvent) -> list:
    ticket = _ticket(event)
    snapshot = event.payload["ticket"]
    description = event.payload["data"].get("description", "")
    return _ticket_notify(
        event, Kind.TICKET_NEW, _staff_side(ticket, snapshot), lambda f: messages.ticket_new(f, description)
    )


def _status_changed(event: OutboxEvent) -> list:
    data, snapshot = event.payload["data"], event.payload["ticket"]
    transition, note = data["transition"], data.get("note", "")
    ticket = _ticket(event)
    partner_side = ticket_partner_side(ticket=ticket)
    if transition in ("accept", "approve"):
        return _ticket_notify(event, Kind.TICKET_ACCEPTED, partner_side, messages.ticket_accepted)
    if transition == "request_info":
        return _ticket_notify(event, Kind.INFO_REQUESTED, partner_side, lambda f: messages.info_requested(f, note))
    if transition == "quote":
        currency = Tariff.objects.filter(partner_id=ticket.partner_id).values_list("currency", flat=True).first()
        return _ticket_notify(
            event, Kind.TICKET_QUOTED, partner_side, lambda f: messages.ticket_quoted(f, currency or "UAH")
        )
    if transition == "resolve":
        return _ticket_notify(event, Kind.TICKET_RESOLVED, partner_side, messages.ticket_resolved)
    if transition == "reopen":
        actor = User.objects.filter(pk=event.actor_id).first()
        name = actor.display_name if actor else ""
        return _ticket_notify(
            event,
            Kind.TICKET_REOPENED,
            _staff_side(ticket, snapshot),
            lambda f: messages.ticket_reopened(f, name, note),
        )
    return []


def _commented(event: OutboxEvent) -> list:
    data = event.payload["data"]
    comment = data["comment"]
    if data.get("request_info"):
        return []  # the question is told by the status change that asked it
    ticket = _ticket(event)
    if comment["internal"] or not comment["author"]["staff"]:
        recipients = _staff_side(ticket, event.payload["ticket"])
    else:
        recipients = [ticket.author] if ticket.author.is_partner else []
    author, body, internal = comment["author"]["name"], comment["body"], comment["internal"]
    return _ticket_notify(
        event,
        Kind.COMMENT,
        recipients,
        lambda f: messages.comment_added(f, author, body, internal),
        internal=internal,
    )


def _sla_warning(event: OutboxEvent) -> list:
    data = event.payload["data"]
    due = messages.parse_moment(data["due_at"])
    snapshot = event.payload["ticket"]
    assignee = User.objects.filter(pk=(snapshot.get("assignee") or {}).get("id")).first()
    return _ticket_notify(
        event, Kind.SLA_WARNING, [assignee], lambda f: messages.sla_warning(f, data["clock"], due), internal=True
    )


def _sla_breached(event: OutboxEvent) -> list:
    data = event.payload["data"]
    due = messages.parse_moment(data["due_at"])
    manager = User.objects.filter(pk=data.get("manager")).first()
    return _ticket_notify(
        event,
        Kind.SLA_BREACH,
        [manager, *administrators()],
        lambda f: messages.sla_breach(f, data["clock"], due),
        internal=True,
    )


def _cover_missing(event: OutboxEvent) -> list:
    data = event.payload["data"]
    absent = User.objects.filter(pk=data.get("manager")).first()
    name = absent.display_name if absent else ""
    until = messages.parse_moment(data.get("until"))
    return _ticket_notify(
        event,
        Kind.COVER_MISSING,
        administrators(),
        lambda f: messages.cover_missing(f, name, until),
        internal=True,
    )


def _absence_uncovered(event: OutboxEvent) -> list:
    absence = event.payload["absence"]
    starts_at, ends_at = messages.parse_moment(absence["starts_at"]), messages.parse_moment(absence["ends_at"])
    return notify(
        kind=Kind.COVER_MISSING,
        key=f"event:{event.event_id}",
        users=_others(administrators(), event),
        compose=lambda user: messages.absence_uncovered(absence["manager"]["name"], starts_at, ends_at),
        url=settings.SITE_URL + reverse("tickets:absences") + f"?manager={absence['manager']['id']}",
        internal=True,
    )


def _partner_notify(event: OutboxEvent, kind: str, compose, url: str) -> list:
    return notify(
        kind=kind,
        key=f"event:{event.event_id}",
        users=_others(partner_owners(partner_id=event.partner_id), event),
        compose=lambda user: compose(),
        url=url,
    )


def _deposit_low(event: OutboxEvent) -> list:
    if not DepositAccount.objects.filter(pk=event.account_id, low_balance_alerted=True).exists():
        return []  # it recovered before anyone was told: an alert now would be wrong
    account = event.payload["account"]
    partner = Partner.objects.get(pk=event.partner_id).name
    link = settings.SITE_URL + reverse("billing:account")
    return _partner_notify(
        event,
        Kind.LOW_BALANCE,
        lambda: messages.low_balance(
            partner=partner, available=account["available"], currency=account["currency"], link=link
        ),
        link,
    )


def _invoice_paid(event: OutboxEvent) -> list:
    invoice = event.payload["data"]["invoice"]
    partner = Partner.objects.get(pk=event.partner_id).name
    available = event.payload["account"]["available"]
    return _partner_notify(
        event,
        Kind.INVOICE_PAID,
        lambda: messages.invoice_paid(invoice, partner, available),
        settings.SITE_URL + reverse("billing:invoice", args=[invoice["id"]]),
    )


def _webhook_disabled(event: OutboxEvent) -> list:
    endpoint, failures = event.payload["endpoint"], event.payload["data"]["failures"]
    return _partner_notify(
        event,
        Kind.WEBHOOK_DISABLED,
        lambda: messages.webhook_disabled(endpoint["url"], failures),
        settings.SITE_URL + reverse("integrations:index"),
    )


def _invited(event: OutboxEvent) -> list:
    invitation_email(event=event)
    return []


def _invited_elsewhere(event: OutboxEvent) -> list:
    invitation_elsewhere_email(event=event)
    return []


def _document_issued(event: OutboxEvent) -> list:
    document_email(event=event)
    return []


HANDLERS = {
    ticket_events.TICKET_CREATED: _created,
    ticket_events.TICKET_STATUS_CHANGED: _status_changed,
    ticket_events.TICKET_COMMENTED: _commented,
    ticket_events.SLA_WARNING: _sla_warning,
    ticket_events.SLA_BREACHED: _sla_breached,
    ticket_events.COVER_MISSING: _cover_missing,
    ABSENCE_UNCOVERED: _absence_uncovered,
    DEPOSIT_LOW: _deposit_low,
    INVOICE_ISSUED: _document_issued,
    INVOICE_PAID: _invoice_paid,
    ACT_ISSUED: _document_issued,
    WEBHOOK_DISABLED: _webhook_disabled,
    USER_INVITED: _invited,
    USER_INVITED_ELSEWHERE: _invited_elsewhere,
}


def handle_event(event: OutboxEvent) -> None:
    handler = HANDLERS.get(event.type)
    created = handler(event) if handler else []
    owed = [n.pk for n in created if n.email_wanted]
    if owed:
        transaction.on_commit(lambda: _kick(owed))


def _kick(notification_ids: list[int]) -> None:
    try:
        notification_emails_send.apply_async((notification_ids,), retry=False)
    except Exception:  # the broker is down: the periodic sender finds the e-mails still owed
        return
