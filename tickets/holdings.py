"""Who held a ticket at an instant, from the record of holdings (tickets.models.TicketHolding)."""

from datetime import datetime

from .models import Ticket, TicketHolding


def holding_record(*, ticket: Ticket, holder_id: int | None, reason: str, at: datetime) -> TicketHolding:
    return TicketHolding.objects.create(ticket=ticket, holder_id=holder_id, reason=reason, since=at)


def holders_at(moments: dict[int, datetime], *, fallback: dict[int, int | None]) -> dict[int, int | None]:
    """For each ticket id, who held it at its instant (one query). A ticket with no holding that early (filed
    before holdings were recorded) falls back to `fallback`, its assignee now."""
    found: dict[int, int | None] = {}
    rows = TicketHolding.objects.filter(ticket_id__in=list(moments)).order_by("ticket_id", "since", "id")
    for ticket_id, holder_id, since in rows.values_list("ticket_id", "holder_id", "since"):
        if since <= moments[ticket_id]:
            found[ticket_id] = holder_id
    return {ticket_id: found.get(ticket_id, fallback.get(ticket_id)) for ticket_id in moments}


def holder_at(*, ticket: Ticket, at: datetime) -> int | None:
    return holders_at({ticket.pk: at}, fallback={ticket.pk: ticket.assignee_id})[ticket.pk]
