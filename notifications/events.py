"""Who is told about which ticket event (tickets.outbox): the listener registered in tickets.tasks.EVENT_LISTENERS.

The actor is never told about their own action, and internal notes never reach partner people.
"""

from datetime import timedelta

from accounts.models import User
from billing.models import Tariff
from tickets.models import Comment, EventKind, Ticket, TicketEvent
from tickets.outbox import TICKET_COMMENTED, TICKET_CREATED, TICKET_STATUS_CHANGED

from . import messages
from .models import Kind
from .selectors import ticket_partner_side
from .services import notify

# A request for information is also posted as a public comment; that comment is told by the request itself.
REQUEST_INFO_WINDOW = timedelta(minutes=1)


def _without(users, actor_id: int | None) -> list[User]:
    return [user for user in users if user is not None and user.pk != actor_id]


def _currency(ticket: Ticket) -> str:
    return Tariff.objects.filter(partner_id=ticket.partner_id).values_list("currency", flat=True).first() or "UAH"


def _transition_key(ticket: Ticket, data: dict) -> str:
    """The history row the event stands for: a repeated delivery finds the same row, a later transition another."""
    row = (
        TicketEvent.objects.filter(
            ticket=ticket,
            kind=EventKind.TRANSITION,
            transition=data.get("transition", ""),
            from_status=data.get("from", ""),
            to_status=data.get("to", ""),
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"transition:{ticket.pk}:{row}"


def _status_changed(ticket: Ticket, actor_id: int | None, data: dict) -> None:
    transition = data.get("transition")
    partner_side = _without(ticket_partner_side(ticket=ticket), actor_id)
    key = _transition_key(ticket, data)
    common = {"key": key, "ticket": ticket, "url": messages.ticket_url(ticket)}
    if transition in ("accept", "approve"):
        notify(
            kind=Kind.TICKET_ACCEPTED, users=partner_side, compose=lambda u: messages.ticket_accepted(ticket), **common
        )
    elif transition == "request_info":
        note = data.get("note", "")
        notify(
            kind=Kind.INFO_REQUESTED,
            users=partner_side,
            compose=lambda u: messages.info_requested(ticket, note),
            **common,
        )
    elif transition == "quote":
        currency = _currency(ticket)
        notify(
            kind=Kind.TICKET_QUOTED,
            users=partner_side,
            compose=lambda u: messages.ticket_quoted(ticket, currency),
            **common,
        )
    elif transition == "resolve":
        notify(
            kind=Kind.TICKET_RESOLVED, users=partner_side, compose=lambda u: messages.ticket_resolved(ticket), **common
        )
    elif transition == "reopen":
        actor = User.objects.filter(pk=actor_id).first()
        name = actor.display_name if actor else ""
        reason = data.get("note", "")
        notify(
            kind=Kind.TICKET_REOPENED,
            users=_without([ticket.assignee], actor_id),
            compose=lambda u: messages.ticket_reopened(ticket, name, reason),
            **common,
        )


def _is_request_for_information(comment: Comment) -> bool:
    return TicketEvent.objects.filter(
        ticket_id=comment.ticket_id,
        kind=EventKind.TRANSITION,
        transition="request_info",
        note=comment.body,
        created_at__gte=comment.created_at - REQUEST_INFO_WINDOW,
        created_at__lte=comment.created_at,
    ).exists()


def _commented(ticket: Ticket, comment_id: int | None) -> None:
    comment = Comment.objects.select_related("author", "ticket").filter(pk=comment_id, ticket=ticket).first()
    if comment is None:
        return
    author = comment.author
    if author.is_partner or comment.internal:
        recipients = [ticket.assignee]
    elif _is_request_for_information(comment):
        return
    else:
        recipients = [ticket.author] if ticket.author.is_partner else []
    notify(
        kind=Kind.COMMENT,
        key=f"comment:{comment.pk}",
        users=_without(recipients, author.pk),
        compose=lambda u: messages.comment_added(comment),
        ticket=ticket,
        url=messages.ticket_url(ticket),
    )


def handle_ticket_event(*, event: str, ticket_id: int, actor_id: int | None, data: dict) -> None:
    """Notify the people concerned by one ticket event; safe to run twice (each notification has an event key)."""
    ticket = Ticket.objects.select_related("author", "assignee", "project", "partner").filter(pk=ticket_id).first()
    if ticket is None:
        return
    if event == TICKET_CREATED:
        notify(
            kind=Kind.TICKET_NEW,
            key=f"created:{ticket.pk}",
            users=_without([ticket.assignee], actor_id),
            compose=lambda u: messages.ticket_new(ticket),
            ticket=ticket,
            url=messages.ticket_url(ticket),
        )
    elif event == TICKET_STATUS_CHANGED:
        _status_changed(ticket, actor_id, data)
    elif event == TICKET_COMMENTED:
        _commented(ticket, data.get("comment_id"))
