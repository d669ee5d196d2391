"""Invoices and acts as PDF (ReportLab), in the language asked for (Ukrainian unless another is chosen).

The fonts (DejaVu Sans, with Cyrillic) are kept beside this module, so that a bare Debian or python:slim image
renders the documents without any font package installed.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONTS = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
DOCUMENT_LANGUAGES = ("en", "uk", "ru")
DEFAULT_DOCUMENT_LANGUAGE = "uk"


def fonts_register() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


@dataclass(frozen=True)
class Line:
    title: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    reference: str = ""


@dataclass(frozen=True)
class Document:
    """What an invoice or an act prints, whatever it is made from."""

    title: str
    number: str
    issued_on: date
    supplier: dict
    customer: dict
    contract: str
    currency: str
    lines: list[Line]
    total: Decimal
    vat_rate: Decimal | None
    notes: list[str] = field(default_factory=list)
    signatures: bool = False


def money_text(amount: Decimal, language: str) -> str:
    """1 620,00 in Ukrainian and Russian, 1,620.00 in English."""
    text = f"{amount:,.2f}"
    if language == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def date_text(value: date, language: str) -> str:
    return value.strftime("%Y-%m-%d") if language == "en" else value.strftime("%d.%m.%Y")


def tax_code_label(code: str) -> str:
    return _("ІПН") if len(code) == 10 else _("ЄДРПОУ")


def _party(title: str, party: dict, styles: dict) -> list:
    rows = [f"<b>{title}:</b> {escape_text(party.get('legal_name', ''))}"]
    if party.get("tax_code"):
        rows.append(f"{tax_code_label(party['tax_code'])}: {party['tax_code']}")
    if party.get("vat_number"):
        rows.append(_("VAT number: %(number)s") % {"number": party["vat_number"]})
    elif party.get("tax_code"):
        rows.append(_("Not a VAT payer"))
    if party.get("legal_address"):
        rows.append(_("Address: %(address)s") % {"address": escape_text(party["legal_address"])})
    if party.get("iban"):
        rows.append(_("IBAN: %(iban)s, %(bank)s") % {"iban": party["iban"], "bank": escape_text(party.get("bank", ""))})
    return [Paragraph("<br/>".join(rows), styles["body"]), Spacer(1, 3 * mm)]


def escape_text(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_styles() -> dict:
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=6 * mm),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11),
    }


def _table(document: Document, language: str, styles: dict) -> Table:
    header = ["№", _("Service"), _("Qty"), _("Price"), _("Amount")]
    rows = [header]
    for index, line in enumerate(document.lines, start=1):
        title = f"{line.reference} {escape_text(line.title)}".strip()
        rows.append(
            [
                str(index),
                Paragraph(title, styles["cell"]),
                str(line.quantity),
                money_text(line.unit_price, language),
                money_text(line.amount, language),
            ]
        )
    total_label = _("Total, %(currency)s") % {"currency": document.currency}
    rows.append(["", Paragraph(f"<b>{total_label}</b>", styles["cell"]), "", "", money_text(document.total, language)])
    table = Table(rows, colWidths=[10 * mm, 95 * mm, 15 * mm, 27 * mm, 27 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                ("FONT", (-1, -1), (-1, -1), FONT_BOLD, 8.5),
                ("GRID", (0, 0), (-1, -2), 0.4, colors.grey),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _vat_text(document: Document, language: str) -> str:
    if document.vat_rate is None:
        return _("Without VAT.")
    vat = (document.total * document.vat_rate / (100 + document.vat_rate)).quantize(Decimal("0.01"))
    return _("Including VAT %(rate)s%%: %(vat)s %(currency)s.") % {
        "rate": format(document.vat_rate.normalize(), "f"),
        "vat": money_text(vat, language),
        "currency": document.currency,
    }


def document_pdf(document_of, *, language: str = DEFAULT_DOCUMENT_LANGUAGE) -> bytes:
    """Render the Document that `document_of()` describes, its texts in `language`; returns the PDF's bytes."""
    fonts_register()
    buffer = BytesIO()
    with translation.override(language):
        document: Document = document_of()
        styles = pdf_styles()
        story = [
            Paragraph(
                _("%(title)s No. %(number)s of %(date)s")
                % {"title": document.title, "number": document.number, "date": date_text(document.issued_on, language)},
                styles["title"],
            ),
            *_party(_("Supplier"), document.supplier, styles),
            *_party(_("Customer"), document.customer, styles),
            Paragraph(document.contract, styles["body"]),
            Spacer(1, 4 * mm),
            _table(document, language, styles),
            Spacer(1, 3 * mm),
            Paragraph(_vat_text(document, language), styles["body"]),
            *[Paragraph(escape_text(note), styles["body"]) for note in document.notes],
        ]
        if document.signatures:
            story += [
                Spacer(1, 12 * mm),
                Table(
                    [[_("For the supplier"), _("For the customer")], ["_" * 30, "_" * 30]],
                    colWidths=[87 * mm, 87 * mm],
                    style=[("FONT", (0, 0), (-1, -1), FONT, 9.5)],
                ),
            ]
        pdf = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=f"{document.title} {document.number}",
            author=document.supplier.get("legal_name", ""),
        )
        pdf.build(story)
    return buffer.getvalue()
