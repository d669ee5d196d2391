"""Ticket pages: lists and the staff queue, filing, the ticket page with its actions, attachment downloads."""

from .attachments import attachment_download
from .detail import comment_add, part_update, rating_add, ticket_action, ticket_detail, time_add
from .filing import phone_bug, ticket_new
from .lists import queue, ticket_list

__all__ = [
    "attachment_download",
    "comment_add",
    "part_update",
    "phone_bug",
    "queue",
    "rating_add",
    "ticket_action",
    "ticket_detail",
    "ticket_list",
    "ticket_new",
    "time_add",
]
