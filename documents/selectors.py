"""Reads of the documents app: what an act lists, a partner's documents, and each document as it is printed."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Partner, User
from accounts.permissions import can, scope_by_partner
from accounts.requisites import requisites_facts, requisites_of
from billing.models import EntryKind, Invoice, LedgerEntry, RequestKind
from billing.selectors import invoice_list

from .models import Act
from .pdf import Document, Line, date_text


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(period: date) -> date:
    return date(period.year + (period.month == 12), period.month % 12 + 1, 1)


def month_bounds(period: date) -> tuple[datetime, datetime]:
    """The month as aware instants in the server's time zone (Europe/Kyiv), start included, end excluded."""
    zone = timezone.get_default_timezone()
    start = datetime(period.year, period.month, 1, tzinfo=zone)
    following = next_month(period)
    return start, datetime(following.year, following.month, 1, tzinfo=zone)


CHARGED_KINDS = (EntryKind.DEBIT, EntryKind.SLA_CREDIT, EntryKind.SLA_CREDIT_REVERSAL)


def act_lines(*, partner: Partner, period: date) -> list[dict]:
    """Every request charged to the partner in the month (its debit), in the order charged: number, title, kind,
    parts done and the price; and the SLA credits of the month (less) and credits taken back (more)."""
    start, end = month_bounds(period)
    entries = (
        LedgerEntry.objects.filter(
            account__partner_id=partner.pk, kind__in=CHARGED_KINDS, created_at__gte=start, created_at__lt=end
        )
        .select_related("ticket")
        .annotate(parts_done=Count("ticket__part_rows", filter=Q(ticket__part_rows__done_at__isnull=False)))
        .order_by("created_at", "id")
    )
    return [
        {
            "entry": entry.kind,
            "ticket": entry.ticket_id,
            "number": entry.ticket.number,
            "title": entry.ticket.title,
            "kind": entry.ticket.kind,
            "parts": (entry.parts_done or entry.ticket.parts or 1) if entry.kind == EntryKind.DEBIT else 1,
            "amount": str(-entry.amount),
        }
        for entry in entries
    ]


def act_list(*, user: User) -> QuerySet[Act]:
    """The acts the user may see: administrators all, a partner's owners their own, nobody else any."""
    acts = scope_by_partner(user, Act.objects.select_related("partner"))
    if user.is_authenticated and user.partner_id and not can(user, "billing.view_documents", user.partner):
        acts = acts.none()
    return acts.order_by("-period", "-id")


@dataclass(frozen=True)
class DocumentRow:
    """One row of a partner's list of documents (invoices and acts together, newest first)."""

    kind: str
    id: int
    number: str
    issued_at: datetime
    amount: Decimal
    currency: str
    status: str
    period: date | None


def document_rows(*, user: User, partner: Partner) -> list[DocumentRow]:
    """The partner's invoices and acts the user may see, newest first (two queries)."""
    invoices = invoice_list(user=user).filter(partner_id=partner.pk)
    acts = act_list(user=user).filter(partner_id=partner.pk)
    rows = [
        DocumentRow("invoice", i.pk, i.number, i.issued_at, i.amount, i.currency, i.get_status_display(), None)
        for i in invoices
    ] + [DocumentRow("act", a.pk, a.number, a.issued_at, a.total, a.currency, "", a.period) for a in acts]
    return sorted(rows, key=lambda row: (row.issued_at, row.number), reverse=True)


def supplier() -> dict:
    vendor = settings.VENDOR_REQUISITES
    return {**vendor, "vat_status": "payer" if vendor.get("vat_number") else "non_payer"}


def vat_rate() -> Decimal | None:
    return settings.VENDOR_VAT_RATE if settings.VENDOR_REQUISITES.get("vat_number") else None


def _contract(partner: Partner) -> str:
    return _("Contract No. %(number)s of %(date)s") % {
        "number": partner.contract_number,
        "date": partner.contract_date.strftime("%d.%m.%Y"),
    }


def invoice_document(invoice: Invoice) -> Document:
    """The invoice as printed, made out to the requisites it was issued to (the current ones for an invoice of
    before requisites were kept)."""
    customer = invoice.customer or requisites_facts(requisites_of(partner=invoice.partner), invoice.partner)
    return Document(
        title=pgettext("document", "Invoice"),
        number=invoice.number,
        issued_on=timezone.localdate(invoice.issued_at),
        supplier=supplier(),
        customer=customer,
        contract=_contract(invoice.partner),
        currency=invoice.currency,
        lines=[
            Line(
                title=_("Support consultations (requests), prepaid to the deposit"),
                quantity=invoice.requests,
                unit_price=invoice.unit_price,
                amount=invoice.amount,
            )
        ],
        total=invoice.amount,
        vat_rate=vat_rate(),
        notes=[_("Please quote %(number)s as the payment reference.") % {"number": invoice.number}],
    )


def _act_line(line: dict) -> Line:
    amount = Decimal(line["amount"])
    kind = str(RequestKind(line["kind"]).label)
    parts = line["parts"]
    title = f"{line['title']} ({kind})"
    if line.get("entry") == EntryKind.SLA_CREDIT:
        title = _("SLA credit, resolved after the deadline: %(title)s") % {"title": title}
    elif line.get("entry") == EntryKind.SLA_CREDIT_REVERSAL:
        title = _("SLA credit taken back, the breach was excused: %(title)s") % {"title": title}
    return Line(
        title=title,
        quantity=parts,
        unit_price=(amount / parts).quantize(Decimal("0.01")),
        amount=amount,
        reference=line["number"],
    )


def period_text(period: date) -> str:
    """The month as the range of its days: 01.11.2026 - 30.11.2026 (2026-11-01 - 2026-11-30 in English)."""
    language = translation.get_language()
    last_day = next_month(period) - timedelta(days=1)
    return f"{date_text(period, language)} - {date_text(last_day, language)}"


def act_document(act: Act) -> Document:
    return Document(
        title=_("Act of services rendered"),
        number=act.number,
        issued_on=timezone.localdate(act.issued_at),
        supplier=supplier(),
        customer=act.customer,
        contract=_contract(act.partner),
        currency=act.currency,
        lines=[_act_line(line) for line in act.lines],
        total=act.total,
        vat_rate=vat_rate(),
        notes=[
            _("Period: %(period)s.") % {"period": period_text(act.period)},
            _("The services were rendered in full; the customer has no claims about their scope."),
        ],
        signatures=True,
    )
