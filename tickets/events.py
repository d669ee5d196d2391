"""The events of tickets, stored in the outbox by the ticket services inside the transaction of each change.

Each carries the ticket as it was at that moment (public fields only: what the partner may see) and what
happened; staff-only facts (internal notes, among them the note to the production team of an escalation) never go
into a public event.
"""

from outbox.services import event_emit

from .models import Ticket

TICKET_CREATED = "ticket.created"
TICKET_STATUS_CHANGED = "ticket.status_changed"
TICKET_COMMENTED = "ticket.commented"
TICKET_TIME_LOGGED = "ticket.time_logged"
TICKET_PART_CHANGED = "ticket.part_changed"
TICKET_ASSIGNED = "ticket.assigned"
SLA_WARNING = "sla.warning"
SLA_BREACHED = "sla.breached"
# Staff-only: a ticket was filed while its manager is away and nobody covers them (administrators are told).
COVER_MISSING = "cover.missing"

# Events partners may subscribe to with webhooks (and read in the events feed).
PUBLIC_TYPES = (
    TICKET_CREATED,
    TICKET_STATUS_CHANGED,
    TICKET_COMMENTED,
    TICKET_TIME_LOGGED,
    TICKET_PART_CHANGED,
    TICKET_ASSIGNED,
)


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.display_name, "email": user.email, "phone": user.phone}


def ticket_snapshot(ticket: Ticket) -> dict:
    """The ticket's public state now: what a partner's CRM stores for this event."""
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "project": {"id": ticket.project_id, "name": ticket.project.name},
        "partner": ticket.partner_id,
        "kind": ticket.kind,
        "status": ticket.status,
        "channel": ticket.channel,
        "title": ticket.title,
        "parts": ticket.parts,
        "parts_done": ticket.parts_done,
        "estimate_hours": ticket.estimate_hours,
        "amount": ticket.amount,
        "quote_due_at": ticket.quote_due_at,
        "created_at": ticket.created_at,
        "accept_due_at": ticket.accept_due_at,
        "accepted_at": ticket.accepted_at,
        "resolve_due_at": ticket.resolve_due_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "cancelled_at": ticket.cancelled_at,
        "resolution": ticket.resolution,
        "reject_reason": ticket.reject_reason,
        "author": {"id": ticket.author_id, "name": ticket.author.display_name},
        "assignee": person(ticket.assignee),
    }


def ticket_event(*, ticket: Ticket, type: str, actor, data: dict, public: bool = True) -> None:
    """Store one event of `ticket` in its stream (`ticket:<id>`), numbered in the order the changes commit."""
    event_emit(
        type=type,
        stream=f"ticket:{ticket.pk}",
        partner_id=ticket.partner_id,
        ticket_id=ticket.pk,
        actor=actor,
        public=public,
        payload={"ticket": ticket_snapshot(ticket), "data": data},
    )
