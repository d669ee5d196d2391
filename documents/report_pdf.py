"""The monthly service report as PDF: the same figures as its page, with a chart of the requests by kind."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .pdf import FONT, FONT_BOLD, date_text, escape_text, fonts_register, money_text, pdf_styles
from .report import MonthlyReport
from .report_figures import figure_rows

CHART_WIDTH, BAR_HEIGHT = 170 * mm, 6 * mm


def _bars(rows: list[tuple[str, int]]) -> Drawing:
    top = max((count for _label, count in rows), default=0) or 1
    drawing = Drawing(CHART_WIDTH, BAR_HEIGHT * 1.5 * len(rows))
    for index, (label, count) in enumerate(reversed(rows)):
        y = index * BAR_HEIGHT * 1.5
        drawing.add(String(0, y + 1.5 * mm, str(label), fontName=FONT, fontSize=8))
        width = (CHART_WIDTH - 60 * mm) * count / top
        drawing.add(Rect(45 * mm, y, width, BAR_HEIGHT, fillColor=colors.HexColor("#2563eb"), strokeWidth=0))
        drawing.add(String(47 * mm + width, y + 1.5 * mm, str(count), fontName=FONT, fontSize=8))
    return drawing


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table(rows, colWidths=[110 * mm, 64 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
            ]
        )
    )
    return table


def report_pdf(report: MonthlyReport, *, language: str) -> bytes:
    fonts_register()
    buffer = BytesIO()
    with translation.override(language):
        styles = pdf_styles()
        heading = styles["title"].clone("heading", fontSize=11, leading=14, spaceAfter=2 * mm, fontName=FONT_BOLD)
        figures = figure_rows(report, money=lambda amount: money_text(amount, language))
        story = [
            Paragraph(
                _("Monthly service report, %(partner)s, %(start)s - %(end)s")
                % {
                    "partner": escape_text(report.partner.name),
                    "start": date_text(report.period, language),
                    "end": date_text(report.last_day, language),
                },
                styles["title"],
            ),
            Paragraph(_("Requests filed by kind"), heading),
            _bars([(label, count) for _value, label, count in report.by_kind]),
            Spacer(1, 3 * mm),
            Paragraph(_("Requests filed by channel"), heading),
            _bars([(label, count) for _value, label, count in report.by_channel]),
            Spacer(1, 3 * mm),
        ]
        for title, rows in figures:
            story += [Paragraph(title, heading), _table(rows), Spacer(1, 3 * mm)]
        SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm
        ).build(story)
    return buffer.getvalue()
