"""Benchmark tickets.worktime against businesstimedelta.

Run from the repository root: ``python bench/worktime_bench.py``. Prints calls per second; asserts nothing.
"""

import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import businesstimedelta
import pytz

from tickets import worktime
from tickets.worktime import WorkCalendar, add_working_time, working_time_between

KYIV = ZoneInfo("Europe/Kyiv")
HOLIDAYS = frozenset(
    date(year, month, day) for year in (2026, 2027, 2028) for month, day in [(1, 1), (3, 8), (5, 1), (8, 24), (12, 25)]
)
OFFICE = {weekday: [(time(9), time(18))] for weekday in range(5)}
# Weekdays and weekends, inside and outside hours, next to holidays and both 2026 DST changes.
STARTS = [
    datetime(2026, *moment, tzinfo=KYIV)
    for moment in [
        (1, 5, 9, 0), (2, 11, 13, 27), (3, 27, 17, 30), (3, 28, 12, 0), (3, 29, 3, 30), (4, 30, 17, 59),
        (5, 4, 8, 0), (6, 17, 11, 11), (7, 3, 18, 0), (8, 21, 17, 30), (8, 22, 10, 0), (9, 9, 9, 9),
        (10, 23, 17, 0), (10, 25, 3, 30), (10, 26, 10, 45), (11, 30, 23, 59), (12, 24, 16, 0), (12, 31, 12, 0),
    ]
]  # fmt: skip
DURATIONS = {"1 h": timedelta(hours=1), "8 h": timedelta(hours=8), "2,000 h": timedelta(hours=2000)}
# Rounds over STARTS per measurement, sized to keep the whole script well under 30 s.
OUR_ROUNDS = 2000
THEIR_ROUNDS = {"1 h": 20, "8 h": 10, "2,000 h": 1}


def calls_per_second(function, arguments, rounds: int) -> float:
    began = clock.perf_counter()
    for _ in range(rounds):
        for argument in arguments:
            function(*argument)
    return rounds * len(arguments) / (clock.perf_counter() - began)


def their_rule():
    tz = pytz.timezone("Europe/Kyiv")
    workday = businesstimedelta.WorkDayRule(start_time=time(9), end_time=time(18), working_days=[0, 1, 2, 3, 4], tz=tz)
    holidays = businesstimedelta.HolidayRule(sorted(HOLIDAYS), tz=tz)
    return businesstimedelta.Rules([workday, holidays])


def main() -> None:
    calendar = WorkCalendar(tz=KYIV, weekly=OFFICE, holidays=HOLIDAYS)
    rule = their_rule()

    def ours(start, duration):
        return add_working_time(start, duration, calendar)

    def theirs(start, duration):
        return start + businesstimedelta.BusinessTimeDelta(rule, timedelta=duration)

    def ours_cold(start, duration):
        # A calendar never seen before: its profile and blocks are built inside the call.
        worktime._shared_profile.cache_clear()
        return add_working_time(start, duration, WorkCalendar(tz=KYIV, weekly=OFFICE, holidays=HOLIDAYS))

    print(f"{len(STARTS)} start instants, Mon-Fri 09:00-18:00 Europe/Kyiv, {len(HOLIDAYS)} holidays")
    print("btd: businesstimedelta (WorkDayRule + HolidayRule, pytz); cold: a calendar seen for the first time")
    print()
    print("add_working_time")
    print(f"{'duration':>9} | {'worktime calls/s':>16} | {'cold calls/s':>12} | {'btd calls/s':>11} | {'speed-up':>8}")
    ours_rate = {}
    for label, duration in DURATIONS.items():
        arguments = [(start, duration) for start in STARTS]
        mismatches = sum(ours(*argument).astimezone(UTC) != theirs(*argument).astimezone(UTC) for argument in arguments)
        ours_rate[label] = calls_per_second(ours, arguments, OUR_ROUNDS)
        cold_rate = calls_per_second(ours_cold, arguments, 5)
        their_rate = calls_per_second(theirs, arguments, THEIR_ROUNDS[label])
        note = f"  ({mismatches} results differ from btd)" if mismatches else ""
        print(
            f"{label:>9} | {ours_rate[label]:>16,.0f} | {cold_rate:>12,.0f} | {their_rate:>11,.1f}"
            f" | {ours_rate[label] / their_rate:>7,.0f}x{note}"
        )
    print(f"cost of 2,000 h relative to 8 h (worktime, warm): {ours_rate['8 h'] / ours_rate['2,000 h']:.2f}x")

    print()
    print("working_time_between")
    print(f"{'span':>9} | {'worktime calls/s':>16} | {'btd calls/s':>11} | {'speed-up':>8}")
    for label, span in {
        "1 day": timedelta(days=1),
        "1 week": timedelta(weeks=1),
        "1 year": timedelta(days=365),
    }.items():
        arguments = [(start, start + span) for start in STARTS]
        mismatches = sum(
            working_time_between(start, end, calendar) != rule.difference(start, end).timedelta
            for start, end in arguments
        )
        note = f"  ({mismatches} results differ from btd)" if mismatches else ""
        rate = calls_per_second(lambda start, end: working_time_between(start, end, calendar), arguments, OUR_ROUNDS)
        their_rate = calls_per_second(
            lambda start, end: rule.difference(start, end), arguments, 1 if span.days > 7 else 10
        )
        print(f"{label:>9} | {rate:>16,.0f} | {their_rate:>11,.1f} | {rate / their_rate:>7,.0f}x{note}")


if __name__ == "__main__":
    main()
