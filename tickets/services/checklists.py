"""Ticking the hand-ticked steps of a ticket's checklist (staff working on the ticket)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_support.errors import InvalidInput, NotFound, TransitionNotAllowed

from ..models import ChecklistStep, ChecklistTick, Status, Ticket
from .core import ticket_lock

NO_TICKING = (Status.CLOSED, Status.REJECTED, Status.CANCELLED)


def checklist_tick(*, actor, ticket_id: int, step_id: int, done: bool) -> Ticket:
    """Tick (or untick) a step of the ticket's checklist; timed steps are measured, never ticked. A closed,
    rejected or cancelled ticket's checklist is final."""
    with transaction.atomic(durable=True):
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm="tickets.act_as_staff")
        step = ChecklistStep.objects.filter(pk=step_id, kind=ticket.kind, is_active=True).first()
        if step is None:
            raise NotFound(_("No such step."))
        if step.is_timed:
            raise InvalidInput(_("A timed step is measured from the ticket's history, not ticked."))
        if ticket.status in NO_TICKING:
            raise TransitionNotAllowed(
                _("Ticket %(number)s is %(status)s: its checklist is final.")
                % {"number": ticket.number, "status": Status(ticket.status).label.lower()}
            )
        if done:
            ChecklistTick.objects.get_or_create(
                ticket=ticket, step=step, defaults={"ticked_by": actor, "ticked_at": timezone.now()}
            )
        else:
            ChecklistTick.objects.filter(ticket=ticket, step=step).delete()
    return ticket
