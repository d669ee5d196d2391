"""The machinery every ticket write shares: lock the row, ask the policy, run a transition, record history."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.permissions import can
from partner_support.errors import NotFound, PermissionDenied, TransitionNotAllowed

from .. import sla
from ..events import TICKET_STATUS_CHANGED, ticket_event
from ..models import EventKind, Status, Ticket, TicketEvent

# What the user is told when a transition's source state fits but a condition does not.
CONDITION_MESSAGES = {
    "accept": _("An enhancement is not accepted directly: quote it, and the partner approves the quote."),
    "quote": _("Only enhancements are quoted."),
    "reopen": _("A ticket can be reopened only within 14 days of its resolution."),
}


def ticket_lock(*, ticket_id: int, actor, perm: str | None = None) -> Ticket:
    """Take the ticket's row lock, then check that `actor` may see it (else NotFound) and hold `perm` on it.

    `actor=None` is the system itself (periodic tasks), which the policy does not restrict.
    """
    try:
        ticket = Ticket.objects.select_for_update(of=("self",)).select_related("project").get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Ticket not found.")) from None
    if actor is not None:
        if not can(actor, "tickets.view_ticket", ticket):
            raise NotFound(_("Ticket not found."))
        if perm and not can(actor, perm, ticket):
            raise PermissionDenied(
                _("You are not allowed to do this on ticket %(number)s.") % {"number": ticket.number}
            )
    return ticket


def event_record(
    *,
    ticket: Ticket,
    actor,
    kind: str,
    note: str = "",
    code: str = "",
    params: dict | None = None,
    internal: bool = False,
    transition: str = "",
    from_status: str = "",
    to_status: str = "",
    at: datetime | None = None,
) -> TicketEvent:
    """One history row; `note` is a person's text, `code` and `params` a note of the system (tickets/notes.py)."""
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        note=note,
        note_code=code,
        note_params=params or {},
        internal=internal,
        transition=transition,
        from_status=from_status,
        to_status=to_status,
        created_at=at or timezone.now(),
    )


def transition_check(*, ticket: Ticket, name: str) -> None:
    """Raise TransitionNotAllowed, with the reason, unless transition `name` may run on the ticket now."""
    method = getattr(ticket, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionNotAllowed(
            _("Ticket %(number)s is %(status)s: “%(action)s” is not possible now.")
            % {"number": ticket.number, "status": Status(ticket.status).label.lower(), "action": name.replace("_", " ")}
        )
    if not can_proceed(method):
        raise TransitionNotAllowed(CONDITION_MESSAGES.get(name, _("This action is not possible now.")))


def transition_perform(
    *,
    ticket: Ticket,
    actor,
    name: str,
    note: str = "",
    code: str = "",
    effects: Callable[[Ticket, datetime], None] | None = None,
) -> Ticket:
    """Run transition `name` on a ticket locked by the caller, then its effects, save and write the history row.

    Must run inside the caller's transaction.atomic(); `effects(ticket, now)` computes deadlines and moves money
    in the same transaction, so that all of it commits or none does.
    """
    transition_check(ticket=ticket, name=name)
    now = timezone.now()
    from_status = ticket.status
    sla.on_transition(ticket=ticket, from_status=from_status, now=now)
    getattr(ticket, name)(now=now)
    if effects is not None:
        effects(ticket, now)
    ticket.save()
    event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.TRANSITION,
        transition=name,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        code=code,
        at=now,
    )
    ticket_event(
        ticket=ticket,
        type=TICKET_STATUS_CHANGED,
        actor=actor,
        data={"transition": name, "from": from_status, "to": ticket.status, "note": note},
    )
    return ticket


def resume_effects(ticket: Ticket, now: datetime) -> None:
    """The paused working time moves the deadline (a manager's resume, or the partner's reply)."""
    sla.on_resume(ticket=ticket, now=now)


def transition_run(
    *,
    ticket_id: int,
    actor,
    name: str,
    perm: str | None,
    note: str = "",
    prepare: Callable[[Ticket], None] | None = None,
    effects: Callable[[Ticket, datetime], None] | None = None,
) -> Ticket:
    """Lock, check the policy, let `prepare` validate the input against the locked ticket, perform, commit."""
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm=perm)
        if prepare is not None:
            transition_check(ticket=ticket, name=name)
            prepare(ticket)
        return transition_perform(ticket=ticket, actor=actor, name=name, note=note, effects=effects)
