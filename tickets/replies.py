"""Canned replies: who may use and keep which, and their text for one ticket in its reader's language.

Placeholders, written in braces in any language's text: `{partner}` (the partner's name), `{name}` (the name of
the person who filed the request), `{number}` (PS-000123) and `{deadline}` (the running deadline, in the reader's
language and time zone). Anything else in braces stays as written.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from partner_support.api import is_id
from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from .models import CannedReply, Status, Ticket

LANGUAGES = ("en", "uk", "ru")
MAX_TITLE = 200
MAX_BODY = 10_000
PLACEHOLDER = re.compile(r"\{(partner|name|number|deadline)\}")


@dataclass(frozen=True)
class RenderedReply:
    reply: CannedReply
    language: str
    body: str


def canned_replies_for(*, user: User) -> QuerySet[CannedReply]:
    """The shared replies and the user's own (staff only; nobody else has any)."""
    if not user.is_authenticated or not user.is_support_staff:
        return CannedReply.objects.none()
    return CannedReply.objects.filter(Q(owner__isnull=True) | Q(owner=user)).order_by("title", "id")


def canned_reply_get(*, user: User, reply_id) -> CannedReply:
    reply = canned_replies_for(user=user).filter(pk=reply_id).first() if is_id(str(reply_id)) else None
    if reply is None:
        raise NotFound(_("No such reply."))
    return reply


def reply_reader(ticket: Ticket) -> User | None:
    """Who reads a reply on the ticket: the partner person who filed it, else (a phone bug registered by staff)
    one of the partner's owners."""
    if ticket.author.is_partner:
        return ticket.author
    return ticket.partner.users.filter(role=Role.PARTNER_OWNER, is_active=True).order_by("pk").first()


def running_deadline(ticket: Ticket):
    return ticket.accept_due_at if ticket.status == Status.NEW else ticket.resolve_due_at


def reply_render(*, reply: CannedReply, ticket: Ticket) -> RenderedReply:
    """The reply's text in the reader's language (else English, Ukrainian, Russian: the first one written), its
    placeholders filled for the ticket; the deadline written as the reader reads times."""
    reader = reply_reader(ticket)
    wanted = reader.language if reader is not None else settings.LANGUAGE_CODE
    language = next(
        code for code in (wanted, *LANGUAGES) if code in LANGUAGES and getattr(reply, f"body_{code}").strip()
    )
    deadline = running_deadline(ticket)
    with translation.override(language), timezone.override(reader.timezone if reader else settings.TIME_ZONE):
        deadline_text = formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT") if deadline else "—"
    values = {
        "partner": ticket.partner.name,
        "name": reader.display_name if reader is not None else ticket.partner.name,
        "number": ticket.number,
        "deadline": deadline_text,
    }
    body = PLACEHOLDER.sub(lambda match: values[match.group(1)], getattr(reply, f"body_{language}"))
    return RenderedReply(reply=reply, language=language, body=body)


def _checked(*, title: str, bodies: dict[str, str]) -> tuple[str, dict[str, str]]:
    title = " ".join((title or "").split())
    bodies = {code: (bodies.get(code) or "").replace("\r\n", "\n").strip() for code in LANGUAGES}
    if not title:
        raise InvalidInput(_("A title is required."), extra={"title": [_("A title is required.")]})
    if len(title) > MAX_TITLE:
        message = _("The title is limited to %(max)d characters.") % {"max": MAX_TITLE}
        raise InvalidInput(message, extra={"title": [message]})
    if not any(bodies.values()):
        message = _("Write the reply in at least one language.")
        raise InvalidInput(message, extra={"body_en": [message]})
    for code, body in bodies.items():
        if len(body) > MAX_BODY:
            message = _("The text is limited to %(max)d characters.") % {"max": MAX_BODY}
            raise InvalidInput(message, extra={f"body_{code}": [message]})
    return title, bodies


def _may_keep(user: User, *, shared: bool) -> None:
    if not user.is_support_staff:
        raise PermissionDenied(_("Canned replies are for staff."))
    if shared and not user.is_admin:
        raise PermissionDenied(_("Only administrators keep shared replies."))


def canned_reply_create(*, actor: User, title: str, bodies: dict[str, str], shared: bool = False) -> CannedReply:
    """A personal reply, or a shared one (administrators)."""
    _may_keep(actor, shared=shared)
    title, bodies = _checked(title=title, bodies=bodies)
    return CannedReply.objects.create(
        owner=None if shared else actor,
        title=title,
        created_by=actor,
        **{f"body_{code}": body for code, body in bodies.items()},
    )


def _locked_own(*, actor: User, reply_id) -> CannedReply:
    reply = canned_replies_for(user=actor).select_for_update().filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("No such reply."))
    _may_keep(actor, shared=reply.is_shared)
    return reply


def canned_reply_update(*, actor: User, reply_id: int, title: str, bodies: dict[str, str]) -> CannedReply:
    """Change one's own reply, or (administrators) a shared one."""
    title, bodies = _checked(title=title, bodies=bodies)
    with transaction.atomic(durable=True):
        reply = _locked_own(actor=actor, reply_id=reply_id)
        reply.title = title
        for code, body in bodies.items():
            setattr(reply, f"body_{code}", body)
        reply.updated_at = timezone.now()
        reply.save()
    return reply


def canned_reply_delete(*, actor: User, reply_id: int) -> None:
    with transaction.atomic(durable=True):
        _locked_own(actor=actor, reply_id=reply_id).delete()
