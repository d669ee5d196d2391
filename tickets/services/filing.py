"""Filing a ticket, from any channel."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Project
from accounts.permissions import can, partner_may_order
from billing import services as billing
from partner_support.errors import InvalidInput, PermissionDenied

from .. import sla
from ..attachments import uploads_check
from ..events import TICKET_CREATED, ticket_event
from ..models import Channel, EventKind, Kind, Ticket
from .activity import attachments_store
from .core import event_record
from .cover import filing_handler, filing_hold

MAX_TITLE = 200
MAX_DESCRIPTION = 50_000


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, extra={field: [message]})


def ticket_file(
    *,
    actor,
    project_id: int,
    kind: str,
    title: str,
    description: str,
    channel: str = Channel.WEB,
    files=(),
) -> Ticket:
    """File a request on a project; the project's manager becomes the assignee (whoever covers them while they are
    away) and the acceptance clock starts.

    Partner users file on their own partner's projects. The phone channel is for staff registering a critical
    bug on the partner's behalf and takes no other kind. A non-bug request needs the available deposit to cover
    its price (InsufficientDeposit otherwise); a bug is always filed and held as far as the deposit allows.
    """
    if channel not in Channel.values:
        raise _field_error("channel", _("Unknown channel."))
    if kind not in Kind.values:
        raise _field_error("kind", _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
    title = " ".join((title or "").split())  # one line: titles become e-mail subjects
    description = (description or "").strip()
    if not title:
        raise _field_error("title", _("A title is required."))
    if len(title) > MAX_TITLE:
        raise _field_error("title", _("The title is limited to %(max)d characters.") % {"max": MAX_TITLE})
    if not description:
        raise _field_error("description", _("Describe the request."))
    if len(description) > MAX_DESCRIPTION:
        raise _field_error(
            "description", _("The description is limited to %(max)d characters.") % {"max": MAX_DESCRIPTION}
        )
    project = Project.objects.select_related("partner").filter(pk=project_id).first() if project_id else None
    if project is None or not can(actor, "accounts.view_project", project):
        raise _field_error("project", _("No such project."))
    partner_may_order(project.partner)
    if channel == Channel.PHONE:
        if not can(actor, "tickets.file_phone_bug", project):
            raise PermissionDenied(_("Only the project's manager or an administrator registers phone calls."))
        if kind != Kind.BUG:
            raise _field_error("kind", _("The phone channel takes critical bugs only."))
    elif not can(actor, "tickets.file_ticket", project):
        raise PermissionDenied(_("Staff register requests on a partner's behalf by phone, as critical bugs only."))
    if not project.is_active:
        raise _field_error("project", _("The project %(name)s is closed for new requests.") % {"name": project.name})
    checked = uploads_check(files)

    with transaction.atomic():
        now = timezone.now()
        handler_id, cover = filing_handler(project=project, at=now)
        ticket = Ticket(
            project=project,
            partner=project.partner,
            author=actor,
            assignee_id=handler_id,
            channel=channel,
            kind=kind,
            title=title,
            description=description,
            created_at=now,
        )
        sla.on_file(ticket=ticket, now=now)
        ticket.save()
        price = billing.ticket_price(ticket=ticket)
        if price:
            billing.hold_place(ticket=ticket, amount=price, allow_short=kind == Kind.BUG)
        event_record(ticket=ticket, actor=actor, kind=EventKind.FILED, to_status=ticket.status, at=now)
        filing_hold(ticket=ticket, actor=actor, cover=cover, at=now)
        attachments_store(ticket=ticket, actor=actor, checked=checked)
        ticket_event(
            ticket=ticket,
            type=TICKET_CREATED,
            actor=actor,
            data={"description": description, "attachments": [item.name for item in checked]},
        )
    return ticket
