"""Administrators review SLA breaches: acknowledge or excuse, with a note. A breach is never deleted; excusing a
resolution breach whose request was credited back (SLA credits) takes the credit back by a further entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can
from billing import services as billing
from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from ..models import SlaBreach, Ticket


def breach_review(*, breach_id: int, actor, decision: str, note: str = "") -> SlaBreach:
    if not can(actor, "tickets.audit_sla"):
        raise PermissionDenied(_("Only administrators review SLA breaches."))
    if decision not in (SlaBreach.Review.ACKNOWLEDGED, SlaBreach.Review.EXCUSED):
        raise InvalidInput(_("Acknowledge or excuse."), extra={"decision": [_("Acknowledge or excuse.")]})
    note = (note or "").strip()
    if decision == SlaBreach.Review.EXCUSED and not note:
        message = _("Say why the breach is excused.")
        raise InvalidInput(message, extra={"note": [message]})
    ticket_id = SlaBreach.objects.filter(pk=breach_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        raise NotFound(_("Breach not found."))
    with transaction.atomic():
        # The ticket first, as resolving takes it: a credit and the excuse of its breach never cross.
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        breach = SlaBreach.objects.select_for_update().get(pk=breach_id)
        if decision == SlaBreach.Review.EXCUSED and breach.kind == SlaBreach.Clock.RESOLUTION:
            billing.sla_credit_reverse(ticket=ticket, actor=actor)
        breach.review = decision
        breach.review_note = note
        breach.reviewed_by = actor
        breach.reviewed_at = timezone.now()
        breach.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    return breach
