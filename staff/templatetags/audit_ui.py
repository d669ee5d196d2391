"""The SLA audit's row tables, built in Python with the markup the template had: 80 managers and 50 breaches with
their review forms cost 35 ms as template loops (the charts' tables are built in staff/charts.py likewise)."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _

from partner_support.rows import rows_or_empty, when
from tickets.models import SlaBreach

register = template.Library()

NONE = "—"


def _percent(share: float) -> str:
    """As `{% widthratio share 1 100 %}%`."""
    return f"{round(share * 100)}%"


@register.simple_tag
def manager_rows(managers, *, manager_query: str) -> str:
    """A row per manager: the name (a link to their weeks), accepted, breaches, shares in time and medians."""
    rows = []
    prefix = f"{manager_query}&" if manager_query else ""
    for row in managers:
        stats = row.stats
        name = (
            format_html('<a href="?{}manager={}">{}</a>', prefix, row.manager_id, row.manager)
            if row.manager_id
            else row.manager
        )
        resolved = stats.resolved_in_time_share
        acceptance, resolution = stats.median_acceptance, stats.median_resolution
        rows.append(
            format_html(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                name,
                localize(stats.accepted),
                localize(stats.breaches),
                _percent(stats.accepted_in_time_share),
                NONE if resolved is None else _percent(resolved),
                NONE if acceptance is None else floatformat(acceptance, 0),
                NONE if resolution is None else round(resolution / 60),
            )
        )
    return rows_or_empty(rows, empty=_("No accepted tickets in this period."), columns=7)


@register.simple_tag(takes_context=True)
def breach_rows(context, page) -> str:
    """A row per breach: the ticket, partner, clock, due and detection times, the manager who held it then, and
    the review (a form while it is open, which comes back to this very page)."""
    clocks = {value: str(label) for value, label in SlaBreach.Clock.choices}
    reviews = {value: str(label) for value, label in SlaBreach.Review.choices}
    form = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">'
        '<label>{} <select name="decision"><option value="acknowledged">{}</option>'
        '<option value="excused">{}</option></select></label>'
        '<label>{} <input name="note" maxlength="2000"></label><button type="submit">{}</button>',
        context["csrf_token"],
        context["request"].get_full_path(),
        _("Decision"),
        _("Acknowledge"),
        _("Excuse"),
        _("Note"),
        _("Save"),
    )
    rows = []
    for breach in page:
        ticket = breach.ticket
        if breach.review == SlaBreach.Review.OPEN:
            review = format_html(
                '<form method="post" action="{}" class="inline-form">{}</form>',
                reverse("staff:review", args=[breach.pk]),
                form,
            )
        else:
            note = format_html(": {}", breach.review_note) if breach.review_note else ""
            reviewer = breach.reviewed_by.display_name if breach.reviewed_by else ""
            review = format_html("{}{} ({})", reviews.get(breach.review, breach.review), note, reviewer)
        rows.append(
            format_html(
                '<tr><td><a href="{}">{}</a> {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td></tr>",
                reverse("tickets:detail", args=[breach.ticket_id]),
                ticket.number,
                ticket.title,
                ticket.partner.name,
                clocks.get(breach.kind, breach.kind),
                when(breach.due_at, "DATETIME_FORMAT"),
                when(breach.detected_at, "DATETIME_FORMAT"),
                breach.manager.display_name if breach.manager else NONE,
                review,
            )
        )
    return rows_or_empty(rows, empty=_("No breaches match."), columns=7)
