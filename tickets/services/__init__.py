"""Every write on tickets goes through these functions (views, API, admin, commands and tasks call them)."""

from .activity import attachment_add, comment_add, rating_add, time_entry_add
from .assignment import project_assign_manager
from .checklists import checklist_tick
from .cover import tickets_hand_over
from .filing import ticket_file
from .parts import part_update
from .sla import breach_review
from .transitions import (
    ticket_accept,
    ticket_approve,
    ticket_auto_close,
    ticket_cancel,
    ticket_confirm,
    ticket_decline,
    ticket_escalate,
    ticket_quote,
    ticket_reject,
    ticket_reopen,
    ticket_request_info,
    ticket_resolve,
    ticket_resume,
)

__all__ = [
    "attachment_add",
    "breach_review",
    "checklist_tick",
    "comment_add",
    "part_update",
    "project_assign_manager",
    "rating_add",
    "ticket_accept",
    "ticket_approve",
    "ticket_auto_close",
    "ticket_cancel",
    "ticket_confirm",
    "ticket_decline",
    "ticket_escalate",
    "ticket_file",
    "ticket_quote",
    "ticket_reject",
    "ticket_reopen",
    "ticket_request_info",
    "ticket_resolve",
    "ticket_resume",
    "tickets_hand_over",
    "time_entry_add",
]
