"""Template helpers of the ticket pages: status names, deadlines with a live countdown, durations."""

import re

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from ..models import Kind, Status
from ..notes import minutes_text

register = template.Library()


# A row's status and kind by these filters rather than get_status_display: that one hashes every lazily translated
# choice of the field on each call (a tenth of a list page's time at 50 rows).
STATUS_LABELS = dict(Status.choices)
KIND_LABELS = dict(Kind.choices)


@register.filter
def status_label(value: str) -> str:
    return STATUS_LABELS.get(value, value)


@register.filter
def kind_label(value: str) -> str:
    return KIND_LABELS.get(value, value)


@register.simple_tag
def due(deadline, now=None):
    """A deadline as "in 2 hours" / "1 hour overdue"; static/js/app.js keeps it counting while the page is open."""
    if deadline is None:
        return "—"
    now = now or timezone.now()
    if deadline >= now:
        text, state = _("in %(time)s") % {"time": timeuntil(deadline, now, depth=2)}, "running"
    else:
        text, state = _("%(time)s overdue") % {"time": timesince(deadline, now, depth=2)}, "overdue"
    return format_html(
        '<time class="due {}" datetime="{}" data-due="{}" data-overdue-label="{}">{}</time>',
        state,
        deadline.isoformat(),
        deadline.isoformat(),
        _("overdue"),
        text,
    )


@register.filter
def duration(minutes: int) -> str:
    return minutes_text(minutes or 0)


EXCERPT_CONTEXT = 70  # characters shown on each side of the first match in a description


def _term_pattern(terms: list[str]) -> re.Pattern | None:
    """The search's words where a word starts (the full-text index matches words and, for the last one, prefixes)."""
    words = sorted({term for term in terms if term}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + ")", re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern) -> str:
    """`text` escaped, each match wrapped in <mark>: user text never reaches the page unescaped."""
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append((text[position : match.start()], format_html("<mark>{}</mark>", match.group())))
        position = match.end()
    pieces.append((text[position:], ""))
    return format_html_join("", "{}{}", pieces)


@register.simple_tag
def highlight(text: str, terms: list[str]) -> str:
    pattern = _term_pattern(terms)
    return _marked(text, pattern) if pattern else conditional_escape(text)


@register.filter
def excerpt(text: str, terms: list[str]) -> str:
    """The part of `text` around the first match of the search, highlighted; empty when nothing in it matches."""
    pattern = _term_pattern(terms)
    match = pattern.search(text) if pattern else None
    if match is None:
        return ""
    start = max(0, match.start() - EXCERPT_CONTEXT)
    end = min(len(text), match.end() + EXCERPT_CONTEXT)
    shown = " ".join(text[start:end].split())
    return format_html("{}{}{}", "…" if start > 0 else "", _marked(shown, pattern), "…" if end < len(text) else "")
