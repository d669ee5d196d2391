"""Administrators review SLA breaches: acknowledge or excuse, with a note. A breach is never deleted."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can
from partner_support.errors import InvalidInput, NotFound, PermissionDenied

from ..models import SlaBreach


def breach_review(*, breach_id: int, actor, decision: str, note: str = "") -> SlaBreach:
    if not can(actor, "tickets.audit_sla"):
        raise PermissionDenied(_("Only administrators review SLA breaches."))
    if decision not in (SlaBreach.Review.ACKNOWLEDGED, SlaBreach.Review.EXCUSED):
        raise InvalidInput(_("Acknowledge or excuse."), extra={"decision": [_("Acknowledge or excuse.")]})
    note = (note or "").strip()
    if decision == SlaBreach.Review.EXCUSED and not note:
        message = _("Say why the breach is excused.")
        raise InvalidInput(message, extra={"note": [message]})
    with transaction.atomic():
        breach = SlaBreach.objects.select_for_update().filter(pk=breach_id).first()
        if breach is None:
            raise NotFound(_("Breach not found."))
        breach.review = decision
        breach.review_note = note
        breach.reviewed_by = actor
        breach.reviewed_at = timezone.now()
        breach.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    return breach
