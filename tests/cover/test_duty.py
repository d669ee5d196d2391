"""Working hours of people: a manager's schedule (shifts and breaks) and absences decide who is on duty; the queue
shows who is now; administrators see the uncovered hours of the coming week."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from tests.factories import ManagerFactory
from tickets.duty import on_duty_now, uncovered_hours
from tickets.models import WorkingCalendar, WorkingInterval

from .conftest import at, travel

pytestmark = pytest.mark.django_db


def schedule(name: str, *hours: tuple[int, int]) -> WorkingCalendar:
    calendar = WorkingCalendar.objects.create(name=name, timezone="Europe/Kyiv")
    for weekday in range(5):
        for start, end in hours:
            WorkingInterval.objects.create(calendar=calendar, weekday=weekday, start=time(start), end=time(end))
    return calendar


def set_schedule(person, calendar):
    person.manager_profile.schedule = calendar
    person.manager_profile.save(update_fields=["schedule"])


def test_shifts_breaks_and_absences_decide_who_is_on_duty(manager, deputy, away):
    set_schedule(manager, schedule("Split", (9, 13), (14, 18)))
    away(deputy, start=at(24, 0), end=at(25, 0))
    duty = {item.manager: item.until for item in on_duty_now(at=at(23, 12))}
    assert duty == {manager: at(23, 13), deputy: at(23, 18)}  # the deputy works the default calendar
    assert {item.manager for item in on_duty_now(at=at(23, 13, 30))} == {deputy}  # the manager's break
    assert {item.manager for item in on_duty_now(at=at(24, 10))} == {manager}  # the deputy is away
    assert on_duty_now(at=at(28, 10)) == []  # Saturday


def test_the_queue_shows_who_is_on_duty_now(client, manager, deputy):
    set_schedule(deputy, schedule("Afternoons", (13, 18)))
    client.force_login(manager)
    with travel(at(23, 10)):
        line = client.get(reverse("tickets:queue")).content.decode()
    line = line[line.find('id="on-duty"') :].split("</p>")[0]
    assert manager.display_name in line and "until 18:00" in line and deputy.display_name not in line


def test_uncovered_hours_of_the_coming_week(client, project, manager, deputy, away, admin_user):
    set_schedule(manager, schedule("Mornings", (9, 13)))
    set_schedule(deputy, schedule("Afternoons", (13, 17)))
    away(deputy, start=at(24, 0), end=at(25, 0))
    rows = uncovered_hours(start=at(23, 0))
    everyone, mine = rows
    gaps = [(at(24, 13), at(24, 18)), *((at(day, 17), at(day, 18)) for day in (23, 25, 26, 27))]
    assert everyone.manager is None and sorted(everyone.ranges) == sorted(gaps)
    assert mine.manager == manager
    assert sorted(mine.ranges) == sorted(everyone.ranges)
    assert mine.hours == 4 + 5

    ManagerFactory(name="Evening Eve")  # serves no project: on duty for nobody's projects, yet a manager on duty
    client.force_login(admin_user)
    with travel(at(23, 0)):
        page = client.get(reverse("staff:workload")).content.decode()
    table = page[page.find('id="uncovered-hours"') :].split("</table>")[0]
    assert manager.display_name in table and "<td>9</td>" in table and "Evening Eve" not in table


def test_nobody_uncovered_when_the_deputy_fills_the_gaps(project, manager, deputy):
    set_schedule(manager, schedule("Mornings", (9, 13)))
    set_schedule(deputy, schedule("Afternoons", (13, 18)))
    rows = uncovered_hours(start=at(23, 0), span=timedelta(days=7))
    assert [row for row in rows if row.ranges] == []
