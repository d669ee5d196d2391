"""One service per lifecycle transition (DESIGN.md section 3). Each locks the ticket, asks the policy, checks the
transition, then moves deadlines and money and writes history in the same database transaction."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from billing import services as billing
from partner_support.errors import InvalidInput

from .. import notes, sla
from ..models import Kind, Status, Ticket, TicketPart
from .activity import comment_create
from .core import resume_effects, ticket_lock, transition_perform, transition_run
from .parts import parts_settle, parts_settle_check

STAFF = "tickets.act_as_staff"
PARTNER = "tickets.act_as_partner"
MAX_PARTS = 50
MAX_ESTIMATE_HOURS = Decimal("1000")
MAX_QUOTE_AHEAD = timedelta(days=366)


def _release_hold(ticket: Ticket, now: datetime) -> None:
    billing.hold_release(ticket=ticket)


def _required_text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, extra={field: [message]})
    return text


def ticket_accept(*, ticket_id: int, actor, parts: int | None = None) -> Ticket:
    """Manager accepts: stops the acceptance clock, starts the resolution clock; a composite states its parts."""

    def prepare(ticket: Ticket) -> None:
        if ticket.kind == Kind.COMPOSITE:
            if not isinstance(parts, int) or isinstance(parts, bool) or not 2 <= parts <= MAX_PARTS:
                message = _("A composite request needs its number of parts, from 2 to %(max)d.") % {"max": MAX_PARTS}
                raise InvalidInput(message, extra={"parts": [message]})
            ticket.parts = parts
        elif parts is not None:
            message = _("Only a composite request has parts.")
            raise InvalidInput(message, extra={"parts": [message]})

    def effects(ticket: Ticket, now: datetime) -> None:
        sla.on_accept(ticket=ticket, now=now)
        if ticket.kind == Kind.COMPOSITE:
            billing.hold_adjust(ticket=ticket, amount=billing.ticket_price(ticket=ticket))
            TicketPart.objects.bulk_create(TicketPart(ticket=ticket, position=n) for n in range(1, parts + 1))

    return transition_run(ticket_id=ticket_id, actor=actor, name="accept", perm=STAFF, prepare=prepare, effects=effects)


def ticket_quote(*, ticket_id: int, actor, estimate_hours, due_at) -> Ticket:
    """Manager quotes an enhancement: programmer hours (priced by the partner's tariff) and a due date."""
    try:
        hours = Decimal(str(estimate_hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        hours = None
    if hours is None or not Decimal("0.25") <= hours <= MAX_ESTIMATE_HOURS:
        message = _("The estimate must be a number of hours from 0.25 to %(max)s.") % {"max": MAX_ESTIMATE_HOURS}
        raise InvalidInput(message, extra={"estimate_hours": [message]})
    due = parse_datetime(due_at) if isinstance(due_at, str) else due_at
    if not isinstance(due, datetime) or timezone.is_naive(due):
        message = _("The due date must be a date and time with a time zone.")
        raise InvalidInput(message, extra={"due_at": [message]})
    try:
        due = due.astimezone(UTC)  # any offset Python accepts; the database keeps UTC
    except OverflowError:
        message = _("The due date is out of range.")
        raise InvalidInput(message, extra={"due_at": [message]}) from None
    if not timezone.now() < due <= timezone.now() + MAX_QUOTE_AHEAD:
        message = _("The due date must be in the future, within a year.")
        raise InvalidInput(message, extra={"due_at": [message]})

    def effects(ticket: Ticket, now: datetime) -> None:
        ticket.estimate_hours = hours
        ticket.amount = billing.quote_amount(partner=ticket.partner, estimate_hours=hours)
        ticket.quote_due_at = due

    return transition_run(ticket_id=ticket_id, actor=actor, name="quote", perm=STAFF, effects=effects)


def ticket_approve(*, ticket_id: int, actor) -> Ticket:
    """Partner approves the quote: the quoted amount is held and the resolution clock runs to the quoted date."""

    def effects(ticket: Ticket, now: datetime) -> None:
        billing.hold_place(ticket=ticket, amount=ticket.amount)
        sla.on_accept(ticket=ticket, now=now)

    return transition_run(ticket_id=ticket_id, actor=actor, name="approve", perm=PARTNER, effects=effects)


def ticket_decline(*, ticket_id: int, actor) -> Ticket:
    return transition_run(ticket_id=ticket_id, actor=actor, name="decline", perm=PARTNER, effects=_release_hold)


def ticket_reject(*, ticket_id: int, actor, reason: str) -> Ticket:
    reason = _required_text(reason, "reason", _("Say why the request is rejected."))

    def effects(ticket: Ticket, now: datetime) -> None:
        ticket.reject_reason = reason
        billing.hold_release(ticket=ticket)

    return transition_run(ticket_id=ticket_id, actor=actor, name="reject", perm=STAFF, note=reason, effects=effects)


def ticket_request_info(*, ticket_id: int, actor, message: str) -> Ticket:
    """Ask the partner: the message is posted as a public comment and the resolution clock pauses."""
    message = _required_text(message, "message", _("Write what the partner should tell you."))
    with transaction.atomic():
        ticket = transition_run(ticket_id=ticket_id, actor=actor, name="request_info", perm=STAFF, note=message)
        comment_create(ticket=ticket, actor=actor, body=message, internal=False, request_info=True)
    return ticket


def ticket_escalate(*, ticket_id: int, actor, note: str = "") -> Ticket:
    """Consult the vendor's production team; the clock pauses until it answers. The partner sees the fact and the
    status; the note to the production team is an internal note, which reaches staff only."""
    note = (note or "").strip()
    with transaction.atomic():
        ticket = transition_run(ticket_id=ticket_id, actor=actor, name="escalate", perm=STAFF)
        if note:
            comment_create(ticket=ticket, actor=actor, body=note, internal=True)
    return ticket


def ticket_resume(*, ticket_id: int, actor) -> Ticket:
    return transition_run(ticket_id=ticket_id, actor=actor, name="resume", perm=STAFF, effects=resume_effects)


def ticket_resolve(*, ticket_id: int, actor, resolution: str, done_parts: list[int] | None = None) -> Ticket:
    """Resolve: the hold becomes the debit (once per ticket, whatever happens later) and the close timer starts.

    A composite's first resolution settles its parts: those in `done_parts` (positions; by default the parts ticked
    done) are done, the others dropped, and the debit is the done parts x price; later resolutions (after a reopen)
    find the parts settled and charge nothing again."""
    resolution = _required_text(resolution, "resolution", _("Describe the resolution."))
    settle: dict = {}

    def prepare(ticket: Ticket) -> None:
        if ticket.kind != Kind.COMPOSITE:
            if done_parts is not None:
                raise InvalidInput(_("Only a composite request has parts."), extra={"done_parts": [_("No parts.")]})
            return
        settle.update(parts_settle_check(ticket=ticket, done_positions=done_parts))

    def effects(ticket: Ticket, now: datetime) -> None:
        ticket.resolution = resolution
        if settle:
            parts_settle(ticket=ticket, actor=actor, done=settle["done"], now=now)
        sla.on_resolve(ticket=ticket, now=now)
        billing.hold_capture(ticket=ticket, actor=actor, allow_overdraft=ticket.kind == Kind.BUG)
        sla.credit_if_late(ticket=ticket, actor=actor)

    return transition_run(
        ticket_id=ticket_id, actor=actor, name="resolve", perm=STAFF, prepare=prepare, effects=effects
    )


def ticket_confirm(*, ticket_id: int, actor) -> Ticket:
    return transition_run(ticket_id=ticket_id, actor=actor, name="confirm", perm=PARTNER)


def ticket_auto_close(*, ticket_id: int) -> Ticket | None:
    """The periodic task's close: the system confirms a resolved ticket whose time has come; safe to run twice."""
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=None)
        if ticket.status != Status.RESOLVED or ticket.auto_close_at is None or ticket.auto_close_at > timezone.now():
            return None
        return transition_perform(ticket=ticket, actor=None, name="confirm", code=notes.AUTO_CLOSED)


def _reopen_effects(ticket: Ticket, now: datetime) -> None:
    """The clock continues; the work goes to the project's current manager (it may have been reassigned)."""
    ticket.assignee_id = ticket.project.manager_id
    sla.on_reopen(ticket=ticket, now=now)


def ticket_reopen(*, ticket_id: int, actor, reason: str) -> Ticket:
    """The partner reopens within 14 days; the clock continues where it stopped and nothing is charged again."""
    reason = _required_text(reason, "reason", _("Say why the request is reopened."))
    return transition_run(
        ticket_id=ticket_id,
        actor=actor,
        name="reopen",
        perm=PARTNER,
        note=reason,
        effects=_reopen_effects,
    )


def ticket_cancel(*, ticket_id: int, actor, reason: str = "") -> Ticket:
    """The partner (or an administrator) withdraws an open request: the hold is released, nothing is charged."""
    return transition_run(
        ticket_id=ticket_id,
        actor=actor,
        name="cancel",
        perm="tickets.cancel_ticket",
        note=(reason or "").strip(),
        effects=_release_hold,
    )
