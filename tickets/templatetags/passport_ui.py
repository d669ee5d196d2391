"""The project's passport beside a ticket, for staff only."""

from django import template

from accounts.models import Project
from accounts.permissions import can

from ..models import Ticket

register = template.Library()


@register.simple_tag
def ticket_passport(user, ticket: Ticket) -> Project | None:
    """The ticket's project when `user` is staff who may read its passport; None for anyone else (partners)."""
    project = ticket.project
    if user.is_support_staff and can(user, "accounts.view_passport", project):
        return project
    return None
