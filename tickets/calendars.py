"""Writes on working calendars: importing public holidays from the `holidays` package."""

import holidays
from django.db import transaction

from .models import CalendarDay, WorkingCalendar


def holidays_import(*, calendar: WorkingCalendar, country: str, year: int) -> tuple[int, int]:
    """Add the country's public holidays of `year` as days off; days already in the calendar are kept as they are.

    Returns (added, listed by the package). Raises NotImplementedError for an unknown country.
    """
    listed = holidays.country_holidays(country.upper(), years=year)
    with transaction.atomic():
        existing = set(calendar.days.filter(date__year=year).values_list("date", flat=True))
        new_days = [
            CalendarDay(calendar=calendar, date=day, kind=CalendarDay.Kind.HOLIDAY, name=str(name)[:200])
            for day, name in sorted(listed.items())
            if day not in existing
        ]
        CalendarDay.objects.bulk_create(new_days)
    return len(new_days), len(listed)
