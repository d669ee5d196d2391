"""The rows of the request list and the queue, built in Python: as template loops they cost half a millisecond a
row, most of a full page's time (the markup is the same; _rows.html and _queue_rows.html hold the tables)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_support.rows import rows_or_empty, when

from ..models import Status
from .ticket_ui import due, excerpt, highlight, kind_label, status_label

register = template.Library()

PAUSED = (Status.WAITING_PARTNER, Status.WAITING_PRODUCTION)
# The column labels (a phone shows them beside each value) and flags of both tables.
LABELS = {
    "status": gettext_lazy("Status"),
    "deadline": gettext_lazy("Deadline"),
    "project": gettext_lazy("Project"),
    "kind": gettext_lazy("Kind"),
    "filed": gettext_lazy("Filed"),
    "where": gettext_lazy("Partner / project"),
    "breached": gettext_lazy("Breached"),
    "at_risk": gettext_lazy("At risk"),
    "no_clock": gettext_lazy("no running clock"),
}


def _worded() -> dict[str, str]:
    """LABELS in the current language, translated once for all the rows."""
    return {key: str(text) for key, text in LABELS.items()}


def _deadline(text: str, deadline, now) -> str:
    return format_html("{} {} <small>{}</small>", text, due(deadline, now), when(deadline))


@register.simple_tag
def list_rows(page, *, now, terms, user) -> str:
    """The request list's rows: number, title (with the search's words marked and an excerpt), status, the
    running deadline, project, kind and filing time."""
    labels = _worded()
    rows = []
    for ticket in page:
        if terms:
            found = excerpt(ticket.description, terms)
            title = format_html("{}{}", highlight(ticket.title, terms), _excerpt(found))
        else:
            title = ticket.title
        if ticket.status == Status.NEW and ticket.accept_due_at:
            deadline = _deadline(_("accept"), ticket.accept_due_at, now)
        elif ticket.status == Status.ACCEPTED and ticket.resolve_due_at:
            deadline = _deadline(_("resolve"), ticket.resolve_due_at, now)
        else:
            deadline = _("the clock is paused") if ticket.status in PAUSED else "—"
        partner = "" if user.is_partner else format_html(" · <small>{}</small>", ticket.partner.name)
        rows.append(
            format_html(
                '<tr><td class="key"><a href="{}">{}</a></td><td class="key">{}</td>'
                '<td data-label="{}"><span class="badge {}">{}</span></td><td data-label="{}">{}</td>'
                '<td data-label="{}">{}{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
                reverse("tickets:detail", args=[ticket.pk]),
                ticket.number,
                title,
                labels["status"],
                ticket.status,
                status_label(ticket.status),
                labels["deadline"],
                deadline,
                labels["project"],
                ticket.project.name,
                partner,
                labels["kind"],
                kind_label(ticket.kind),
                labels["filed"],
                when(ticket.created_at),
            )
        )
    return rows_or_empty(rows, empty=_("No requests found."), columns=7)


def _excerpt(found: str) -> str:
    return format_html('<br><small class="excerpt">{}</small>', found) if found else ""


@register.simple_tag
def queue_rows(page, *, now, bulk_accept) -> str:
    """The queue's rows, marked breached or at risk by the running clock: a box to pick a new request that may be
    accepted in bulk, number, title, status, deadline, kind, partner and project."""
    labels = _worded()
    rows = []
    for ticket in page:
        due_at, warn_at = ticket.clock_due_at, ticket.clock_warn_at
        state = "breached" if due_at and due_at < now else "at-risk" if warn_at and warn_at <= now else ""
        if due_at:
            flag = labels["breached"] if state == "breached" else labels["at_risk"] if state else ""
            marker = format_html('<span class="flag {}">{}</span> ', state, flag) if state else ""
            deadline = format_html("{}{} <small>{}</small>", marker, due(due_at, now), when(due_at))
        else:
            deadline = labels["no_clock"]
        pick = ""
        if ticket.status == Status.NEW and ticket.kind in bulk_accept:
            pick = format_html(
                '<label class="visually-hidden" for="pick-{}">{}</label>'
                '<input type="checkbox" name="ticket" value="{}" id="pick-{}">',
                ticket.pk,
                _("Select %(number)s") % {"number": ticket.number},
                ticket.pk,
                ticket.pk,
            )
        rows.append(
            format_html(
                '<tr class="{}"><td class="select">{}</td><td class="key"><a href="{}">{}</a></td>'
                '<td class="key">{}</td><td data-label="{}"><span class="badge {}">{}</span></td>'
                '<td data-label="{}">{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{} · <small>{}</small></td></tr>',
                state,
                pick,
                reverse("tickets:detail", args=[ticket.pk]),
                ticket.number,
                ticket.title,
                labels["status"],
                ticket.status,
                status_label(ticket.status),
                labels["deadline"],
                deadline,
                labels["kind"],
                kind_label(ticket.kind),
                labels["where"],
                ticket.partner.name,
                ticket.project.name,
            )
        )
    return rows_or_empty(rows, empty=_("The queue is empty."), columns=7)
