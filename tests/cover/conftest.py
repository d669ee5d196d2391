from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.absences import absence_add, deputy_set
from tests.factories import ManagerFactory

KYIV = ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KYIV)  # 2026-11-23 is a Monday


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def deputy(manager, admin_user):
    """The project manager's standing deputy, another manager (their cap is full of their own projects)."""
    person = ManagerFactory(name="Dana Deputy", phone="+380 44 000 1111")
    deputy_set(actor=admin_user, manager=manager, deputy=person)
    return person


@pytest.fixture
def away(manager):
    """away(person, start, end) enters an absence for `person` (the project's manager by default), as themselves."""

    def enter(person=None, start=None, end=None, **fields):
        person = person or manager
        with travel(at(20, 12)):
            return absence_add(
                actor=person,
                manager=person,
                kind="leave",
                starts_at=start or at(23, 0),
                ends_at=end or at(28, 0),
                **fields,
            )

    return enter
