"""Cover during managers' absences: who takes a new ticket, and handing a person's open tickets over to another
in one action."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.cover import Cover, handler_at
from accounts.models import Project, Role, User
from accounts.permissions import can
from partner_support.errors import InvalidInput, PermissionDenied

from ..events import COVER_MISSING, TICKET_ASSIGNED, ticket_event
from ..holdings import holding_record
from ..models import OPEN_STATUSES, EventKind, Ticket, TicketHolding
from .core import event_record

MAX_HANDOVER_NOTE = 2000


def filing_handler(*, project: Project, at: datetime) -> tuple[int | None, Cover | None]:
    """Who takes a ticket filed now on the project: its manager, or whoever covers them while they are away."""
    return handler_at(manager_id=project.manager_id, at=at)


def filing_hold(*, ticket: Ticket, actor, cover: Cover | None, at: datetime) -> None:
    """Record who holds the new ticket; when its manager is away and nobody covers, the administrators are told at
    once (a staff-only event)."""
    reason = TicketHolding.Reason.FILED if cover is None else TicketHolding.Reason.COVER
    holding_record(ticket=ticket, holder_id=ticket.assignee_id, reason=reason, at=at)
    if cover is not None and cover.covered_by_id is None:
        ticket_event(
            ticket=ticket,
            type=COVER_MISSING,
            actor=actor,
            public=False,
            data={"manager": cover.manager_id, "until": cover.until, "absence": cover.absence_id},
        )


def tickets_hand_over(*, actor: User, holder: User, to: User, note: str) -> list[Ticket]:
    """Hand every open ticket `holder` holds over to `to`, with a note for them: one history row (staff only) and
    one `ticket.assigned` event per ticket, all in one transaction. The holder themselves or an administrator does
    it; `to` is another active manager."""
    if not can(actor, "accounts.manage_absences", holder):
        raise PermissionDenied(_("Only the holder or an administrator hands tickets over."))
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Write a handover note."), extra={"note": [_("Write a handover note.")]})
    if len(note) > MAX_HANDOVER_NOTE:
        message = _("The note is limited to %(max)d characters.") % {"max": MAX_HANDOVER_NOTE}
        raise InvalidInput(message, extra={"note": [message]})
    if to.role != Role.MANAGER or not to.is_active or to.pk == holder.pk:
        message = _("Choose another active manager.")
        raise InvalidInput(message, extra={"to": [message]})
    with transaction.atomic(durable=True):
        now = timezone.now()
        tickets = list(
            Ticket.objects.select_for_update(of=("self",))
            .select_related("project", "author")
            .filter(assignee=holder, status__in=OPEN_STATUSES)
            .order_by("pk")
        )
        line = _("Handed over by %(holder)s to %(to)s: %(note)s") % {
            "holder": holder.display_name,
            "to": to.display_name,
            "note": note,
        }
        for ticket in tickets:
            ticket.assignee = to
            ticket.save(update_fields=["assignee"])
            holding_record(ticket=ticket, holder_id=to.pk, reason=TicketHolding.Reason.HANDOVER, at=now)
            event_record(ticket=ticket, actor=actor, kind=EventKind.ASSIGNED, note=line, internal=True, at=now)
            ticket_event(ticket=ticket, type=TICKET_ASSIGNED, actor=actor, data={})
    return tickets
