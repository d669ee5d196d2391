"""A project's manager changes, and its open tickets follow."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Project, User
from accounts.services import project_manager_set

from ..events import TICKET_ASSIGNED, ticket_event
from ..holdings import holding_record
from ..models import OPEN_STATUSES, EventKind, Ticket, TicketHolding
from .core import event_record


def project_assign_manager(*, project: Project, manager: User, actor: User) -> Project:
    """Make `manager` the project's dedicated manager (refused at their cap); its open tickets go to them, each
    with a history line and an event, in the same transaction."""
    with transaction.atomic():
        previous_manager_id = project_manager_set(project=project, manager=manager, actor=actor)
        if previous_manager_id != manager.pk:
            open_tickets_reassign(project=project, manager=manager, actor=actor)
    return project


def open_tickets_reassign(*, project: Project, manager: User, actor: User) -> int:
    moved = list(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("project", "author")
        .filter(project=project, status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    note = _("Assigned to %(manager)s with the project.") % {"manager": manager.display_name}
    for ticket in moved:
        ticket.assignee = manager
        ticket.save(update_fields=["assignee"])
        holding_record(ticket=ticket, holder_id=manager.pk, reason=TicketHolding.Reason.PROJECT, at=timezone.now())
        event_record(ticket=ticket, actor=actor, kind=EventKind.ASSIGNED, note=note)
        ticket_event(ticket=ticket, type=TICKET_ASSIGNED, actor=actor, data={})
    return len(moved)
