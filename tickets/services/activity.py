"""Writes beside the lifecycle: comments (with the automatic resume), attachments, time log, ratings."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import can
from partner_support.errors import InvalidInput, PermissionDenied, TransitionNotAllowed

from .. import notes
from ..attachments import CheckedUpload, uploads_check
from ..events import TICKET_COMMENTED, TICKET_TIME_LOGGED, person, ticket_event
from ..models import Attachment, Comment, EventKind, Rating, Status, Ticket, TicketPart, TimeEntry
from .core import event_record, resume_effects, ticket_lock, transition_perform

MAX_COMMENT = 50_000
MAX_MINUTES = 24 * 60
CLOSED_FOR_WORK = (Status.REJECTED, Status.CANCELLED)


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, extra={field: [message]})


def attachments_store(*, ticket: Ticket, actor, checked: list[CheckedUpload], comment: Comment | None = None) -> list:
    """Store already checked uploads on a ticket (inside the caller's transaction) and note each in the history."""
    stored = []
    for item in checked:
        attachment = Attachment(
            ticket=ticket,
            comment=comment,
            uploaded_by=actor,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
        )
        attachment.file.save(item.name, item.upload, save=False)
        attachment.save()
        stored.append(attachment)
        event_record(
            ticket=ticket,
            actor=actor,
            kind=EventKind.ATTACHMENT,
            note=item.name,
            internal=bool(comment and comment.internal),
        )
    return stored


def comment_create(*, ticket: Ticket, actor, body: str, internal: bool, request_info: bool = False) -> Comment:
    """Store a comment on a ticket the caller has locked and checked; writes the history row and the event.

    `request_info`: the comment carries a manager's question, of which the status change already tells.
    """
    comment = Comment.objects.create(ticket=ticket, author=actor, body=body, internal=internal)
    ticket_event(
        ticket=ticket,
        type=TICKET_COMMENTED,
        actor=actor,
        public=not internal,
        data={
            "comment": {
                "id": comment.pk,
                "body": body,
                "internal": internal,
                "author": {"id": actor.pk, "name": actor.display_name, "staff": actor.is_support_staff},
                "created_at": comment.created_at,
            },
            "request_info": request_info,
        },
    )
    event_record(
        ticket=ticket, actor=actor, kind=EventKind.COMMENT, note=body[:500], internal=internal, at=comment.created_at
    )
    return comment


def comment_add(*, ticket_id: int, actor, body: str, internal: bool = False, files=()) -> Comment:
    """Comment on a ticket. Internal notes are for staff. A partner's reply to a ticket waiting for the partner
    resumes it, in the same transaction, so that the resolution clock runs again from that moment."""
    body = (body or "").strip()
    if not body:
        raise _field_error("body", _("Write a message."))
    if len(body) > MAX_COMMENT:
        raise _field_error("body", _("A message is limited to %(max)d characters.") % {"max": MAX_COMMENT})
    checked = uploads_check(files)
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm="tickets.comment")
        if internal and not can(actor, "tickets.view_internal", ticket):
            raise PermissionDenied(_("Only staff write internal notes."))
        comment = comment_create(ticket=ticket, actor=actor, body=body, internal=internal)
        attachments_store(ticket=ticket, actor=actor, checked=checked, comment=comment)
        if ticket.status == Status.WAITING_PARTNER and can(actor, "tickets.act_as_partner", ticket):
            transition_perform(
                ticket=ticket,
                actor=actor,
                name="resume",
                code=notes.RESUMED_BY_REPLY,
                effects=resume_effects,
            )
    return comment


def attachment_add(*, ticket_id: int, actor, files) -> list[Attachment]:
    """Attach files to the ticket itself (not to a comment)."""
    checked = uploads_check(files)
    if not checked:
        raise _field_error("files", _("Choose a file."))
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm="tickets.comment")
        return attachments_store(ticket=ticket, actor=actor, checked=checked)


def time_entry_add(*, ticket_id: int, actor, minutes, note: str = "", part_id: int | None = None) -> TimeEntry:
    """Log the specialist's working time; the partner sees it. Logged on a part, the part's total is shown."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
        raise _field_error("minutes", _("Minutes must be a whole number from 1 to %(max)d.") % {"max": MAX_MINUTES})
    note = (note or "").strip()[:500]
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm="tickets.act_as_staff")
        if ticket.status in CLOSED_FOR_WORK:
            raise TransitionNotAllowed(_("No time is logged on a rejected or cancelled ticket."))
        part = None
        if part_id is not None:
            part = TicketPart.objects.filter(ticket=ticket, pk=part_id).first()
            if part is None:
                raise _field_error("part", _("No such part on this ticket."))
        entry = TimeEntry.objects.create(ticket=ticket, part=part, author=actor, minutes=minutes, note=note)
        ticket_event(
            ticket=ticket,
            type=TICKET_TIME_LOGGED,
            actor=actor,
            data={
                "entry": {
                    "id": entry.pk,
                    "minutes": minutes,
                    "note": note,
                    "part": part.position if part else None,
                    "author": person(actor),
                    "created_at": entry.created_at,
                }
            },
        )
        event_record(
            ticket=ticket,
            actor=actor,
            kind=EventKind.TIME_ENTRY,
            code=notes.TIME_LOGGED,
            params={"minutes": minutes, "note": note},
            at=entry.created_at,
        )
    return entry


def rating_add(*, ticket_id: int, actor, score, comment: str = "") -> Rating:
    """The partner rates a resolution, once per resolution (a reopened and resolved again ticket may be rated again)."""
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise _field_error("score", _("The score is a whole number from 1 to 5."))
    comment = (comment or "").strip()[:5000]
    with transaction.atomic():
        ticket = ticket_lock(ticket_id=ticket_id, actor=actor, perm="tickets.act_as_partner")
        if ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise TransitionNotAllowed(_("A ticket is rated after its resolution."))
        if Rating.objects.filter(ticket=ticket, resolution_round=ticket.resolution_round).exists():
            raise TransitionNotAllowed(_("This resolution has already been rated."))
        rating = Rating.objects.create(
            ticket=ticket, resolution_round=ticket.resolution_round, author=actor, score=score, comment=comment
        )
        event_record(
            ticket=ticket,
            actor=actor,
            kind=EventKind.RATING,
            code=notes.RATED,
            params={"score": score, "comment": comment},
            at=rating.created_at,
        )
    return rating
