"""Invoices and acts e-mailed as PDF to the partner's accountant (the address in its requisites), in the
language its documents are made in. The message's id comes from the event, so an event handed out again sends
nothing new once the first message is recorded; a mail server that refuses makes the relay try the event again."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from accounts.models import PartnerRequisites
from billing.models import INVOICE_ISSUED, Invoice
from documents.files import act_pdf, invoice_pdf, pdf_filename
from documents.models import Act
from outbox.models import OutboxEvent

from .models import SentMessage
from .services import message_id_domain


def _document(event: OutboxEvent) -> tuple[Invoice | Act, str] | None:
    if event.type == INVOICE_ISSUED:
        invoice = Invoice.objects.select_related("partner").filter(pk=event.payload["data"]["invoice"]["id"]).first()
        return (invoice, pgettext("document", "Invoice")) if invoice else None
    act = Act.objects.select_related("partner").filter(pk=event.payload["act"]["id"]).first()
    return (act, _("Act of services rendered")) if act else None


def document_email(*, event: OutboxEvent) -> bool:
    """Send the document once; False when there is nothing to send (no accountant's address, or sent already)."""
    requisites = PartnerRequisites.objects.filter(partner_id=event.partner_id).first()
    if requisites is None or not requisites.accountant_email:
        return False
    message_id = f"<document-{event.event_id}@{message_id_domain()}>"
    if SentMessage.objects.filter(message_id=message_id).exists():
        return False
    language = requisites.document_language
    with override(language):
        found = _document(event)
        if found is None:
            return False
        document, title = found
        vendor = settings.VENDOR_REQUISITES["legal_name"]
        subject = _("%(title)s %(number)s from %(vendor)s") % {
            "title": title,
            "number": document.number,
            "vendor": vendor,
        }
        body = _(
            "Good day,\n\nplease find attached %(title)s %(number)s for %(partner)s.\n\n%(vendor)s\n"
            "This message was sent automatically by Partner Support."
        ) % {"title": title, "number": document.number, "partner": requisites.legal_name, "vendor": vendor}
    pdf = (
        invoice_pdf(document, language=language)
        if isinstance(document, Invoice)
        else act_pdf(document, language=language)
    )
    message = EmailMessage(subject, body, None, [requisites.accountant_email], headers={"Message-ID": message_id})
    message.attach(pdf_filename(document), pdf, "application/pdf")
    message.send()
    SentMessage.objects.create(message_id=message_id)
    return True
