"""History notes the system writes, kept as a code and its values and worded when read, in the reader's language
(a note stored as text would stay in the language of whoever happened to cause it). Notes people write (reasons,
comments, file names) are stored as they wrote them and carried here only as values."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

RESUMED_BY_REPLY = "resumed_by_reply"
AUTO_CLOSED = "auto_closed"
TIME_LOGGED = "time_logged"
PART_CHANGED = "part_changed"
PART_DONE = "part_done"
PART_DROPPED = "part_dropped"
RATED = "rated"

# What each rating score means, best first (the rating form, the ticket page and the history show these words).
RATING_SCALE = {
    5: gettext_lazy("excellent"),
    4: gettext_lazy("good"),
    3: gettext_lazy("acceptable"),
    2: gettext_lazy("poor"),
    1: gettext_lazy("very poor"),
}


def minutes_text(minutes: int) -> str:
    """Working time as "1 h 05 min" or "45 min"."""
    hours, rest = divmod(int(minutes), 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": rest}
    return _("%(minutes)d min") % {"minutes": rest}


def _part_changed(params: dict) -> str:
    changes = []
    if params.get("title") is not None:
        changes.append(_("renamed to “%(title)s”") % {"title": params["title"]})
    if params.get("done") is not None:
        changes.append(_("done") if params["done"] else _("not done"))
    return _("Part %(position)d: %(changes)s") % {"position": params["position"], "changes": ", ".join(changes)}


def note_text(code: str, params: dict) -> str:
    """The note of history code `code` in the active language; an unknown code (from a newer release) is shown as
    its values rather than failing the page."""
    if code == RESUMED_BY_REPLY:
        return _("Resumed by the partner's reply.")
    if code == AUTO_CLOSED:
        days = params.get("days", 3)
        return ngettext(
            "Closed automatically %(days)d working day after resolution.",
            "Closed automatically %(days)d working days after resolution.",
            days,
        ) % {"days": days}
    if code == TIME_LOGGED:
        spent = minutes_text(params["minutes"])
        return f"{spent}: {params['note']}" if params.get("note") else spent
    if code == PART_CHANGED:
        return _part_changed(params)
    if code == PART_DONE:
        return _("Part %(position)d: done") % {"position": params["position"]}
    if code == PART_DROPPED:
        return _("Part %(position)d: dropped, its share of the hold released") % {"position": params["position"]}
    if code == RATED:
        word = RATING_SCALE.get(params.get("score"), "")
        rated = f"{params.get('score')}/5 · {word}"
        return f"{rated} · {params['comment']}" if params.get("comment") else rated
    return " ".join(str(value) for value in params.values())
