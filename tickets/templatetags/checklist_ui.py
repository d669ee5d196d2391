"""The checklist on the ticket page, for staff working on the ticket only."""

from django import template

from accounts.permissions import can

from ..checklists import ticket_checklist
from ..models import Ticket

register = template.Library()


@register.simple_tag
def checklist_for(user, ticket: Ticket) -> list:
    if not (user.is_support_staff and can(user, "tickets.act_as_staff", ticket)):
        return []
    return ticket_checklist(ticket=ticket)
