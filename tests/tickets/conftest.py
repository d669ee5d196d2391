from datetime import timedelta

from django.utils import timezone

from tickets import services
from tickets.models import Kind, Status


def _quote(ticket_id: int, manager):
    return services.ticket_quote(
        ticket_id=ticket_id, actor=manager, estimate_hours="2", due_at=timezone.now() + timedelta(days=7)
    )


def drive(ticket, status: str, *, manager, partner_user):
    """Take a freshly filed ticket to `status` through the services, the way people would."""
    tid = ticket.pk
    if status == Status.NEW:
        return ticket
    if status == Status.QUOTED:
        return _quote(tid, manager)
    if status == Status.REJECTED:
        return services.ticket_reject(ticket_id=tid, actor=manager, reason="Out of scope")
    if status == Status.CANCELLED:
        return services.ticket_cancel(ticket_id=tid, actor=partner_user)
    if ticket.kind == Kind.ENHANCEMENT:
        _quote(tid, manager)
        ticket = services.ticket_approve(ticket_id=tid, actor=partner_user)
    else:
        parts = 2 if ticket.kind == Kind.COMPOSITE else None
        ticket = services.ticket_accept(ticket_id=tid, actor=manager, parts=parts)
    if status == Status.WAITING_PARTNER:
        return services.ticket_request_info(ticket_id=tid, actor=manager, message="Which browser?")
    if status == Status.WAITING_PRODUCTION:
        return services.ticket_escalate(ticket_id=tid, actor=manager, note="Needs a core fix")
    if status in (Status.RESOLVED, Status.CLOSED):
        ticket = services.ticket_resolve(ticket_id=tid, actor=manager, resolution="Fixed the export template.")
    if status == Status.CLOSED:
        ticket = services.ticket_confirm(ticket_id=tid, actor=partner_user)
    return ticket
