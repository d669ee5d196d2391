"""What the viewer of a ticket page should do next, shown first on the page: a banner saying what the ticket waits
for (and from whom), with the actions that answer it open at once rather than folded away among the others."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can
from billing.selectors import account_summary

from ..models import Status, Ticket
from .actions import PARTNER, STAFF

# Per status and side, the actions that are the next step (in this order); the others stay in "More actions".
PRIMARY = {
    PARTNER: {
        Status.QUOTED: ("approve", "decline"),
        Status.RESOLVED: ("confirm", "reopen"),
    },
    STAFF: {
        Status.NEW: ("accept", "quote"),
        Status.ACCEPTED: ("resolve",),
        Status.WAITING_PRODUCTION: ("resume",),
    },
}
MESSAGES = {
    PARTNER: {
        Status.NEW: _("Your request is filed: the manager accepts it by the time below."),
        Status.QUOTED: _("The quote waits for your decision: approve it to start the work, or decline it."),
        Status.ACCEPTED: _("The manager is working on your request."),
        Status.WAITING_PARTNER: _("The manager asked a question; the deadline waits until you answer."),
        Status.WAITING_PRODUCTION: _("The manager consulted the vendor's production team; the deadline waits."),
        Status.RESOLVED: _("Resolved: confirm that it works, or reopen it saying what is still wrong."),
    },
    STAFF: {
        Status.NEW: _("New: accept it before the acceptance deadline."),
        Status.QUOTED: _("Quoted: waiting for the partner to approve or decline."),
        Status.ACCEPTED: _("In work: resolve it before the deadline."),
        Status.WAITING_PARTNER: _("Waiting for the partner's reply; their reply resumes the clock."),
        Status.WAITING_PRODUCTION: _("Waiting for production: resume when it answers."),
        Status.RESOLVED: _("Resolved: waiting for the partner's confirmation."),
    },
}
WAITING_FOR_VIEWER = {PARTNER: (Status.QUOTED, Status.WAITING_PARTNER, Status.RESOLVED), STAFF: (Status.NEW,)}


@dataclass
class NextStep:
    message: str | Promise
    waiting_for_you: bool = False
    question: str = ""
    reply_anchor: bool = False
    primary: list = field(default_factory=list)
    deposit_short: Decimal | None = None
    available: Decimal | None = None
    currency: str = ""
    order_url: str = ""


def _side(user, ticket: Ticket) -> str | None:
    if can(user, STAFF, ticket):
        return STAFF
    if can(user, PARTNER, ticket):
        return PARTNER
    return None


def next_step_for(user, ticket: Ticket, *, actions: list, events: list) -> tuple[NextStep | None, list]:
    """The next step for `user` and the actions left for "More actions". `actions` are the (action, form) pairs
    allowed now; `events` the history the user sees (the latest question of the manager is in it)."""
    side = _side(user, ticket)
    message = MESSAGES.get(side, {}).get(ticket.status)
    if message is None:
        return None, actions
    names = PRIMARY[side].get(ticket.status, ())
    primary = sorted((item for item in actions if item[0].name in names), key=lambda item: names.index(item[0].name))
    rest = [item for item in actions if item[0].name not in names]
    step = NextStep(message=message, waiting_for_you=ticket.status in WAITING_FOR_VIEWER[side], primary=primary)
    if side == PARTNER and ticket.status == Status.WAITING_PARTNER:
        questions = [event.note for event in events if event.transition == "request_info"]
        step.question = questions[-1] if questions else ""
        step.reply_anchor = True
    if side == PARTNER and ticket.status == Status.QUOTED and ticket.amount:
        _deposit_check(step, user, ticket)
    return step, rest


def _deposit_check(step: NextStep, user, ticket: Ticket) -> None:
    """A quote the available deposit does not cover cannot be approved: say by how much, and where to order."""
    summary = account_summary(partner=ticket.partner)
    if summary.available >= ticket.amount:
        return
    step.deposit_short = ticket.amount - summary.available
    step.available = summary.available
    step.currency = summary.currency
    if can(user, "billing.order_consultations", ticket.partner):
        requests = max(1, math.ceil(step.deposit_short / summary.price_per_request))
        step.order_url = f"{reverse('billing:invoices')}?requests={requests}#order"
