"""Who covers whom now: reads of absences, deputies and substitutes (no writes, no policy).

While a manager is absent, their standing deputy covers; when the deputy is away too, the substitute an
administrator chose for that absence; otherwise nobody does. Covering is not serving: the cap counts only the
projects a manager serves, and a cover's access to the absent manager's projects lasts as long as the absence.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from .absences_models import Absence
from .models import Role, User


@dataclass(frozen=True)
class Cover:
    """An absent manager, until when, and who covers them (None: nobody is available)."""

    manager_id: int
    covered_by_id: int | None
    until: datetime
    absence_id: int


def absences_live(*, at: datetime) -> QuerySet[Absence]:
    """Absences under way at `at` (not cancelled)."""
    return Absence.objects.filter(cancelled_at__isnull=True, starts_at__lte=at, ends_at__gt=at)


def covers_at(*, at: datetime) -> dict[int, Cover]:
    """Every manager absent at `at`, by id, with who covers them: one query."""
    rows = list(
        absences_live(at=at)
        .order_by("manager_id", "-ends_at")
        .values_list("pk", "manager_id", "manager__manager_profile__deputy_id", "substitute_id", "ends_at")
    )
    absent = {manager_id for _pk, manager_id, _deputy, _substitute, _ends in rows}
    covers: dict[int, Cover] = {}
    for pk, manager_id, deputy_id, substitute_id, ends_at in rows:
        if manager_id in covers:
            continue  # overlapping absences: the one that lasts longest says until when
        available = [person for person in (deputy_id, substitute_id) if person and person not in absent]
        covers[manager_id] = Cover(
            manager_id=manager_id, covered_by_id=available[0] if available else None, until=ends_at, absence_id=pk
        )
    return covers


def cover_of(*, manager_id: int | None, at: datetime) -> Cover | None:
    """The cover of one manager at `at`, or None when they are not absent."""
    if manager_id is None:
        return None
    return covers_at(at=at).get(manager_id)


def handler_at(*, manager_id: int | None, at: datetime) -> tuple[int | None, Cover | None]:
    """Who takes a new request of a project served by `manager_id` at `at`: the manager, or whoever covers them
    (the absent manager themselves when nobody is available, with the Cover saying so)."""
    cover = cover_of(manager_id=manager_id, at=at)
    if cover is None:
        return manager_id, None
    return cover.covered_by_id or manager_id, cover


def covered_manager_ids(*, user: User, at: datetime) -> set[int]:
    """The absent managers `user` covers at `at`."""
    if not user.is_authenticated or user.role != Role.MANAGER:
        return set()
    return {cover.manager_id for cover in covers_at(at=at).values() if cover.covered_by_id == user.pk}


def absence_list(*, manager: User | None = None) -> QuerySet[Absence]:
    """Absences not cancelled, with their people, soonest first; one manager's when given."""
    absences = Absence.objects.filter(cancelled_at__isnull=True).select_related(
        "manager__manager_profile__deputy", "substitute", "created_by"
    )
    return absences.filter(manager=manager) if manager is not None else absences
