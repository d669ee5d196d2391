"""Template helpers of cover: who handles a ticket now while its manager is away, and until when."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.db.models import Count, F
from django.utils import timezone

from accounts.cover import covers_at
from accounts.models import User

from ..models import OPEN_STATUSES, Ticket

register = template.Library()


@dataclass(frozen=True)
class CoverNote:
    handler: User | None  # None: nobody is available
    away: User
    until: datetime


@register.simple_tag
def ticket_cover(ticket: Ticket) -> CoverNote | None:
    """For an open ticket whose project's manager is away now: who handles it (the cover holding it, or whoever
    covers the manager still holding it), for whom and until when. Two queries at most."""
    if ticket.status not in OPEN_STATUSES or ticket.project.manager_id is None:
        return None
    cover = covers_at(at=timezone.now()).get(ticket.project.manager_id)
    if cover is None or ticket.assignee_id not in (cover.manager_id, cover.covered_by_id):
        return None
    people = User.objects.in_bulk([person for person in (cover.manager_id, cover.covered_by_id) if person])
    return CoverNote(handler=people.get(cover.covered_by_id), away=people[cover.manager_id], until=cover.until)


@register.simple_tag
def covering(user) -> list[tuple[User, datetime]]:
    """The absent managers `user` covers now, with until when (for the queue's heading)."""
    covers = [cover for cover in covers_at(at=timezone.now()).values() if cover.covered_by_id == user.pk]
    people = User.objects.in_bulk([cover.manager_id for cover in covers]) if covers else {}
    return [(people[cover.manager_id], cover.until) for cover in covers]


@dataclass(frozen=True)
class CoverRow:
    away: User
    until: datetime
    covered_by: User | None


@register.simple_tag
def cover_overview() -> dict:
    """For the workload page: who is away now and who covers them, and how many open tickets each person holds on
    projects they do not serve (cover and handovers, which the cap does not count). Three queries."""
    covers = list(covers_at(at=timezone.now()).values())
    held = dict(
        Ticket.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=False)
        .exclude(assignee=F("project__manager"))
        .order_by()
        .values_list("assignee")
        .annotate(count=Count("id"))
    )
    ids = {cover.manager_id for cover in covers} | {c.covered_by_id for c in covers if c.covered_by_id} | set(held)
    people = User.objects.in_bulk(list(ids)) if ids else {}
    rows = [CoverRow(people[c.manager_id], c.until, people.get(c.covered_by_id)) for c in covers]
    rows.sort(key=lambda row: (row.until, row.away.email))
    holders = sorted(((people[pk], count) for pk, count in held.items()), key=lambda item: item[0].email)
    return {"rows": rows, "holders": holders}
