"""Pieces of table rows built in Python (tickets' and staff's row tags), with what the template would have shown."""

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime


def when(moment, format_name: str = "SHORT_DATETIME_FORMAT") -> str:
    """As the template's `|date:format_name`, which is given the moment in the current time zone."""
    return date_filter(template_localtime(moment), format_name)


def rows_or_empty(rows: list[str], *, empty: str, columns: int) -> SafeString:
    """The rows one per line, or a single row spanning `columns` that says `empty`."""
    if not rows:
        return format_html('<tr><td colspan="{}">{}</td></tr>', columns, empty)
    return format_html_join("\n", "{}", ((row,) for row in rows))
