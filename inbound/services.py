"""Inbound e-mail: one message becomes a comment on its ticket or a new ticket, or is logged and left alone.

Both the pipe (`manage.py ingest_email`) and the IMAP poller call `inbound_email_ingest`. Each message is stored
once per Message-ID (InboundMessage), so that a message delivered twice creates nothing the second time.
A message acts as its sender only when it proves that sender (inbound/authentication.py), or comes from that
sender to the signed reply address of a ticket's e-mail to them (notifications/reply_tokens.py); otherwise it
creates nothing, and the person whose address it carries is told (once a day at most).
"""

import logging

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Project, User
from accounts.permissions import can
from notifications.models import SentMessage
from notifications.reply_tokens import ReplyToken, reply_token_of
from partner_support.errors import ApplicationError
from tickets import services as tickets
from tickets.attachments import MAX_FILES, upload_check
from tickets.models import Channel, Kind, Ticket

from . import mailparse
from .authentication import Verdict, sender_verdict
from .models import InboundMessage, InboundStatus
from .replies import active_user_by_address, unauthenticated_sender_tell_task

logger = logging.getLogger(__name__)
MAX_TITLE = 200


def _sender_user(address: str) -> User | None:
    """The active person the address belongs to: a partner user, or staff (who may answer tickets they see)."""
    return active_user_by_address(address)


def _threaded_ticket(message, user: User) -> Ticket | None:
    """The ticket the message answers: by the Message-IDs it replies to, then by a ticket number in the subject;
    only a ticket the sender may see."""
    ids = mailparse.referenced_ids(message)
    candidates = []
    if ids:
        sent = dict(
            SentMessage.objects.filter(message_id__in=ids, ticket__isnull=False).values_list("message_id", "ticket_id")
        )
        received = dict(
            InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False).values_list(
                "message_id", "ticket_id"
            )
        )
        candidates = [sent.get(i) or received.get(i) for i in ids if sent.get(i) or received.get(i)]
    candidates += mailparse.ticket_numbers(mailparse.subject_of(message))
    for ticket_id in dict.fromkeys(candidates):
        ticket = Ticket.objects.select_related("project").filter(pk=ticket_id).first()
        if ticket is not None and can(user, "tickets.view_ticket", ticket):
            return ticket
    return None


def _token_ticket(token: ReplyToken, user: User) -> Ticket | None:
    ticket = Ticket.objects.select_related("project").filter(pk=token.ticket_id).first()
    return ticket if ticket is not None and can(user, "tickets.view_ticket", ticket) else None


def _answers_internal_note(message) -> bool:
    """Staff replying to the e-mail of an internal note write another internal note, never a public comment."""
    ids = mailparse.referenced_ids(message)
    return bool(ids) and SentMessage.objects.filter(message_id__in=ids, internal=True).exists()


def _checked_files(message) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The attachments that pass the same content checks as uploads, and a line for each refused one."""
    accepted, refused = [], []
    for item in mailparse.attachments_of(message):
        upload = SimpleUploadedFile(item.name, item.content, content_type=item.content_type)
        if len(accepted) >= MAX_FILES:
            refused.append(_("%(name)s: at most %(count)d files at once.") % {"name": item.name, "count": MAX_FILES})
            continue
        try:
            upload_check(upload)
        except ApplicationError as error:
            refused.append(error.message)
        else:
            accepted.append(upload)
    return accepted, refused


def _only_project(user: User) -> Project:
    """The sender's partner's only active project; with none or several, the new request's project is unknown."""
    projects = list(Project.objects.filter(partner_id=user.partner_id, is_active=True)[:2])
    if not projects:
        raise ApplicationError(_("The sender's partner has no active project to file a request on."))
    if len(projects) > 1:
        raise ApplicationError(
            _("The sender's partner has several projects, so the project of a new request is unknown.")
        )
    return projects[0]


def _deliver(record: InboundMessage, message, user: User, token: ReplyToken | None) -> None:
    """Turn the message into a comment or a ticket, and note on `record` what happened. A reply token names the
    ticket; without one, the headers and the subject thread the message."""
    files, refused = _checked_files(message)
    full_text = mailparse.body_text(message).strip()
    text = mailparse.strip_quoted(full_text) or full_text
    if not text and files:
        text = _("(attached files)")
    ticket = _token_ticket(token, user) if token is not None else _threaded_ticket(message, user)
    if token is not None and ticket is None:
        raise ApplicationError(_("The ticket this reply address belongs to is no longer yours to answer."))
    if ticket is not None:
        internal = not user.is_partner and _answers_internal_note(message)
        comment = tickets.comment_add(ticket_id=ticket.pk, actor=user, body=text, files=files, internal=internal)
        record.ticket, record.comment = ticket, comment
    elif not user.is_partner:
        raise ApplicationError(_("Staff answer existing tickets by e-mail; this message refers to none they see."))
    else:
        project = _only_project(user)
        title = mailparse.clean_subject(record.subject)[:MAX_TITLE] or _("Request by e-mail")
        record.ticket = tickets.ticket_file(
            actor=user,
            project_id=project.pk,
            kind=Kind.SIMPLE,
            title=title,
            description=text or title,
            channel=Channel.EMAIL,
            files=files,
        )
    record.status = InboundStatus.PROCESSED
    record.reason = "\n".join(refused)


def inbound_email_ingest(*, raw: bytes) -> InboundMessage:
    """Ingest one RFC 822 message. Returns its record; a message seen before returns the first record unchanged."""
    message = mailparse.parse(raw)
    message_id = mailparse.message_id_of(message, raw)
    existing = InboundMessage.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing
    record = InboundMessage(
        message_id=message_id,
        sender=mailparse.sender_of(message)[:320],
        subject=mailparse.subject_of(message)[:500],
    )
    user = token = None
    automatic = mailparse.automatic_reason(message)
    if automatic:
        record.status, record.reason = InboundStatus.IGNORED, automatic
    else:
        user = _sender_user(record.sender)
        if user is None:
            record.status, record.reason = InboundStatus.UNKNOWN_SENDER, "No active user has this address."
            logger.warning("Inbound e-mail %s from unknown sender %r ignored", message_id, record.sender)
        else:
            token = reply_token_of(mailparse.recipients_of(message), user_id=user.pk)
            verdict = (
                Verdict(True, "reply address of the ticket's e-mail to the sender")
                if token is not None
                else sender_verdict(
                    message, raw, authserv_id=settings.INBOUND_AUTHSERV_ID, dkim_verify=settings.INBOUND_DKIM_VERIFY
                )
            )
            if not verdict.authenticated:
                record.status, record.reason = InboundStatus.UNAUTHENTICATED, verdict.reason
                logger.warning("Inbound e-mail %s claiming to be from %s refused: %s", message_id, user, verdict.reason)
                user = None
    try:
        with transaction.atomic():
            if user is not None:
                try:
                    with transaction.atomic():
                        _deliver(record, message, user, token)
                except ApplicationError as error:
                    record.ticket = record.comment = None
                    record.status, record.reason = InboundStatus.REJECTED, error.message
                    logger.info("Inbound e-mail %s from %s rejected: %s", message_id, record.sender, error.message)
            record.save()
            if record.status == InboundStatus.UNAUTHENTICATED:
                transaction.on_commit(lambda: unauthenticated_sender_tell_task.delay(record.pk))
    except IntegrityError:
        return InboundMessage.objects.get(message_id=message_id)  # ingested concurrently by another process
    return record
