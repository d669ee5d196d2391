"""Ticket pages: the home page, lists and the queue, filing, the ticket page and its actions, attachments."""

from .attachments import attachment_download
from .bulk import queue_accept
from .detail import comment_add, part_update, rating_add, ticket_action, ticket_detail, time_add
from .filing import phone_bug, ticket_new
from .home import home
from .lists import queue, ticket_list

__all__ = [
    "attachment_download",
    "comment_add",
    "home",
    "part_update",
    "phone_bug",
    "queue",
    "queue_accept",
    "rating_add",
    "ticket_action",
    "ticket_detail",
    "ticket_list",
    "ticket_new",
    "time_add",
]
