"""The canned replies a member of staff may insert into a comment on the ticket page."""

from django import template

from accounts.permissions import can

from ..models import Ticket
from ..replies import canned_replies_for

register = template.Library()


@register.simple_tag
def canned_reply_choices(user, ticket: Ticket) -> list:
    """The shared replies and the user's own, for staff working on the ticket; nothing for anyone else."""
    if not can(user, "tickets.act_as_staff", ticket):
        return []
    return list(canned_replies_for(user=user).only("id", "title", "owner_id"))
