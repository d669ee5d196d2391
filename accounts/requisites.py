"""The partner's requisites (legal name, ЄДРПОУ or ІПН, VAT status, address, accountant's e-mail): read and
edited by its owner (and administrators); each change is in the audit log with the values before and after."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record, snapshot
from partner_support.errors import InvalidInput, NotFound

from .models import Partner, PartnerRequisites, User, VatStatus
from .permissions import can

REQUISITES_FIELDS = (
    "legal_name",
    "tax_code",
    "vat_status",
    "vat_number",
    "legal_address",
    "accountant_email",
    "document_language",
)


def requisites_of(*, partner: Partner) -> PartnerRequisites | None:
    return PartnerRequisites.objects.filter(partner_id=partner.pk).first()


def requisites_update(*, partner: Partner, actor: User, **fields) -> PartnerRequisites:
    """Create or change the partner's requisites. Every field is checked (ЄДРПОУ/ІПН with its check digit; a VAT
    payer gives a VAT number, a non-payer none); a refusal names each wrong field."""
    if not can(actor, "accounts.edit_requisites", partner):
        raise NotFound()
    unknown = set(fields) - set(REQUISITES_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic(durable=True):
        Partner.objects.select_for_update().get(pk=partner.pk)
        requisites = PartnerRequisites.objects.filter(partner_id=partner.pk).first()
        before = snapshot(requisites) if requisites else None
        requisites = requisites or PartnerRequisites(partner_id=partner.pk)
        for name, value in fields.items():
            setattr(requisites, name, value.strip() if isinstance(value, str) else value)
        if requisites.vat_status == VatStatus.NON_PAYER and "vat_number" not in fields:
            requisites.vat_number = ""
        if requisites.vat_status == VatStatus.PAYER and not requisites.vat_number:
            raise InvalidInput(
                _("A VAT payer gives its VAT number."), extra={"vat_number": [_("A VAT payer gives its VAT number.")]}
            )
        if requisites.vat_status == VatStatus.NON_PAYER and requisites.vat_number:
            raise InvalidInput(
                _("Only a VAT payer has a VAT number."),
                extra={"vat_number": [_("Only a VAT payer has a VAT number.")]},
            )
        try:
            requisites.full_clean(exclude=["partner"])
        except ValidationError as error:
            raise InvalidInput(_("The requisites are not valid."), extra=error.message_dict) from error
        requisites.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED if before else AuditAction.CREATED,
            instance=requisites,
            before=before,
            after=snapshot(requisites),
        )
    return requisites


def requisites_facts(requisites: PartnerRequisites | None, partner: Partner) -> dict:
    """The customer as a document names it, kept with the document so that a later change does not alter it."""
    if requisites is None:
        return {"legal_name": partner.name, "tax_code": "", "vat_status": "", "vat_number": "", "legal_address": ""}
    return {
        "legal_name": requisites.legal_name,
        "tax_code": requisites.tax_code,
        "vat_status": requisites.vat_status,
        "vat_number": requisites.vat_number,
        "legal_address": requisites.legal_address,
    }
