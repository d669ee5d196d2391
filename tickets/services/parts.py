"""The parts of a composite ticket: titled and ticked off while the work goes on, settled by the first resolution
(each part done or dropped: the debit is the done parts x price) and frozen from then on."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_support.errors import InvalidInput, NotFound, TransitionNotAllowed

from .. import notes
from ..events import TICKET_PART_CHANGED, ticket_event
from ..models import EventKind, Status, Ticket, TicketPart
from .core import event_record, ticket_lock

PART_TITLE_MAX = 200
# While the work goes on, its parts change; a resolution (even one reopened since) has settled them for good.
PARTS_OPEN_STATUSES = (Status.ACCEPTED, Status.WAITING_PARTNER, Status.WAITING_PRODUCTION)


def parts_editable(ticket: Ticket) -> bool:
    return ticket.status in PARTS_OPEN_STATUSES and ticket.parts_done is None


def _part_event(*, ticket: Ticket, actor, part: TicketPart, code: str, params: dict) -> None:
    ticket_event(
        ticket=ticket,
        type=TICKET_PART_CHANGED,
        actor=actor,
        data={
            "part": {
                "id": part.pk,
                "position": part.position,
                "title": part.label,
                "done": part.is_done,
                "dropped": part.is_dropped,
            }
        },
    )
    event_record(
        ticket=ticket, actor=actor, kind=EventKind.PART, code=code, params={"position": part.position, **params}
    )


def part_update(*, part_id: int, actor, title: str | None = None, done: bool | None = None) -> TicketPart:
    """The manager titles a part of a composite ticket or ticks it off (or back), until the ticket is resolved."""
    part = TicketPart.objects.filter(pk=part_id).only("ticket_id").first()
    if part is None:
        raise NotFound(_("Part not found."))
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=part.ticket_id, actor=actor, perm="tickets.act_as_staff")
        if not parts_editable(ticket):
            raise TransitionNotAllowed(_("The parts were settled at the resolution; they no longer change."))
        part = TicketPart.objects.select_for_update().get(pk=part_id)
        changes = {}
        if title is not None:
            title = title.strip()
            if not title or len(title) > PART_TITLE_MAX:
                raise InvalidInput(
                    _("A part's title is 1 to 200 characters."), extra={"title": [_("1 to 200 characters.")]}
                )
            if title != part.label:
                part.title = changes["title"] = title
        if done is not None and done != part.is_done:
            part.done_at = timezone.now() if done else None
            changes["done"] = done
        if changes:
            part.save(update_fields=["title", "done_at"])
            _part_event(ticket=ticket, actor=actor, part=part, code=notes.PART_CHANGED, params=changes)
    return part


def parts_settle_check(*, ticket: Ticket, done_positions: list[int] | None) -> dict:
    """Validate the parts a resolution settles, on the locked ticket; {} when they were settled before (a resolution
    after a reopen), else {"done": set of positions}. Without `done_positions`, the parts ticked done."""
    if ticket.parts_done is not None:
        settled = set(ticket.part_rows.filter(done_at__isnull=False).values_list("position", flat=True))
        if done_positions is not None and set(done_positions) != settled:
            message = _("The parts were settled at the resolution; they no longer change.")
            raise InvalidInput(message, extra={"done_parts": [message]})
        return {}
    parts = list(TicketPart.objects.select_for_update().filter(ticket=ticket).order_by("position"))
    positions = {part.position for part in parts}
    if done_positions is None:
        return {"done": {part.position for part in parts if part.is_done}}
    unknown = sorted(set(done_positions) - positions)
    if unknown:
        message = _("No such part: %(positions)s.") % {"positions": ", ".join(str(n) for n in unknown)}
        raise InvalidInput(message, extra={"done_parts": [message]})
    return {"done": set(done_positions)}


def parts_settle(*, ticket: Ticket, actor, done: set[int], now: datetime) -> None:
    """Each part done or dropped, in the resolving transaction; `ticket.parts_done` is what the debit charges for."""
    for part in TicketPart.objects.filter(ticket=ticket).order_by("position"):
        if part.position in done:
            if part.is_done:
                continue
            part.done_at, part.dropped_at = now, None
            code = notes.PART_DONE
        else:
            part.done_at, part.dropped_at = None, now
            code = notes.PART_DROPPED
        part.save(update_fields=["done_at", "dropped_at"])
        _part_event(ticket=ticket, actor=actor, part=part, code=code, params={})
    ticket.parts_done = len(done)
