"""Template helpers of the ticket pages: status names, deadlines with a live countdown, durations."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from ..models import Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


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
    hours, rest = divmod(int(minutes or 0), 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest}
    return _("%(minutes)d min") % {"minutes": rest}
