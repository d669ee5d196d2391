"""Tests of tickets.worktime: worked examples, then properties checked against a minute-by-minute reference."""

import dataclasses
import pickle
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickets.worktime import WorkCalendar, add_working_time, default_calendar, working_time_between

KYIV = ZoneInfo("Europe/Kyiv")
MINUTE = timedelta(minutes=1)
OFFICE = [(time(9), time(18))]
SPLIT = [(time(9), time(13)), (time(14), time(18))]
INDEPENDENCE_DAY = date(2026, 8, 24)  # a Monday
# Europe/Kyiv switches at 01:00 UTC: 2026-03-29 03:00 -> 04:00 (gap), 2026-10-25 04:00 -> 03:00 (repeat).
SPRING_FORWARD, FALL_BACK = date(2026, 3, 29), date(2026, 10, 25)
WHOLE_DAY = [(time(0), time(12)), (time(12), time(0))]  # time(0) as an end means midnight

PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=200, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def kyiv(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV)


def utc(moment: datetime) -> datetime:
    # Compare instants in UTC: within one zone Python compares wall times and ignores fold, and by PEP 495 == between
    # zones is False for a wall time that occurs twice.
    return moment.astimezone(UTC)


def office(*, holidays=frozenset(), extra=frozenset(), weekly=None, tz=KYIV) -> WorkCalendar:
    weekly = dict.fromkeys(range(5), OFFICE) if weekly is None else weekly
    return WorkCalendar(tz=tz, weekly=weekly, holidays=frozenset(holidays), extra_working_days=frozenset(extra))


# --- the reference -------------------------------------------------------------------------------------------------
# A minute [u, u + 1 min) of UTC counts as working when the wall clock of calendar.tz shows, at u, a time inside a
# working interval of the local date it shows. Consequences at DST changes, which the module must share: wall times
# inside a spring-forward gap are never shown, so they never count (an interval starting in the gap starts at the
# transition); wall times that are repeated at fall-back are shown twice and count twice. Everything here (interval
# bounds, starts, the zones' transitions) is minute-aligned, so counting minutes is exact.


def reference_intervals(calendar: WorkCalendar, day: date) -> list[tuple[time, time]]:
    weekday_hours = list(calendar.weekly[day.weekday()])
    if day in calendar.extra_working_days:
        return weekday_hours or list(calendar.weekly[0]) or [(time(9), time(18))]
    if day in calendar.holidays:
        return []
    return weekday_hours


def reference_is_working(calendar: WorkCalendar, minute: datetime) -> bool:
    local = minute.astimezone(calendar.tz)
    wall = local.time().replace(fold=0)
    return any(
        start <= wall and (end == time(0) or wall < end) for start, end in reference_intervals(calendar, local.date())
    )


def reference_add(start: datetime, minutes: int, calendar: WorkCalendar) -> datetime:
    moment = start.astimezone(UTC)
    if minutes == 0:
        while not reference_is_working(calendar, moment):
            moment += MINUTE
        return moment
    counted = 0
    while counted < minutes:
        counted += reference_is_working(calendar, moment)
        moment += MINUTE
    return moment


def reference_between(start: datetime, end: datetime, calendar: WorkCalendar) -> timedelta:
    moment, counted = start.astimezone(UTC), 0
    while moment < end:
        counted += reference_is_working(calendar, moment)
        moment += MINUTE
    return counted * MINUTE


def test_reference_counts_the_repeated_hour_and_skips_the_gap():
    calendar = office(weekly={6: [(time(2), time(5))]})
    assert reference_between(kyiv(2026, 10, 25), kyiv(2026, 10, 26), calendar) == timedelta(hours=4)
    assert reference_between(kyiv(2026, 3, 29), kyiv(2026, 3, 30), calendar) == timedelta(hours=2)


# --- worked examples -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        pytest.param(kyiv(2026, 8, 14, 17, 30), timedelta(minutes=60), kyiv(2026, 8, 17, 9, 30), id="friday-evening"),
        pytest.param(kyiv(2026, 8, 14, 17), timedelta(minutes=60), kyiv(2026, 8, 14, 18), id="closing-time-stays"),
        pytest.param(kyiv(2026, 8, 10, 9), timedelta(hours=9), kyiv(2026, 8, 10, 18), id="a-full-day"),
        pytest.param(kyiv(2026, 8, 10, 9), timedelta(hours=9, minutes=1), kyiv(2026, 8, 11, 9, 1), id="next-morning"),
        pytest.param(kyiv(2026, 8, 15, 12), timedelta(0), kyiv(2026, 8, 17, 9), id="zero-on-saturday"),
        pytest.param(kyiv(2026, 8, 14, 18), timedelta(0), kyiv(2026, 8, 17, 9), id="zero-at-closing"),
        pytest.param(kyiv(2026, 8, 12, 11, 7), timedelta(0), kyiv(2026, 8, 12, 11, 7), id="zero-in-hours"),
        pytest.param(kyiv(2026, 8, 12, 6), timedelta(minutes=30), kyiv(2026, 8, 12, 9, 30), id="before-opening"),
        pytest.param(kyiv(2026, 8, 21, 17, 30), timedelta(minutes=60), kyiv(2026, 8, 25, 9, 30), id="holiday-monday"),
        pytest.param(kyiv(2026, 8, 22, 10), timedelta(0), kyiv(2026, 8, 25, 9), id="zero-before-holiday"),
        pytest.param(kyiv(2026, 3, 27, 17), timedelta(hours=2), kyiv(2026, 3, 30, 10), id="spring-forward-weekend"),
        pytest.param(kyiv(2026, 10, 23, 17), timedelta(hours=2), kyiv(2026, 10, 26, 10), id="fall-back-weekend"),
        pytest.param(
            datetime(2026, 8, 14, 14, 30, tzinfo=UTC), timedelta(hours=1), kyiv(2026, 8, 17, 9, 30), id="utc-input"
        ),
    ],
)
def test_add_working_time_office_hours(start, duration, expected):
    result = add_working_time(start, duration, office(holidays={INDEPENDENCE_DAY}))
    assert result == expected
    assert result.tzinfo is KYIV


def test_spring_forward_deadline_in_utc():
    result = add_working_time(kyiv(2026, 3, 27, 17), timedelta(hours=2), default_calendar())
    assert result.astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert result.utcoffset() == timedelta(hours=3)


def test_fall_back_week_counts_real_hours():
    start, end = kyiv(2026, 10, 19, 9), kyiv(2026, 11, 2, 9)
    assert working_time_between(start, end, default_calendar()) == timedelta(hours=90)
    assert add_working_time(start, timedelta(hours=46), default_calendar()) == kyiv(2026, 10, 26, 10)


def test_extra_working_day_on_saturday_uses_monday_hours():
    weekly = {0: [(time(10), time(16))], **dict.fromkeys(range(1, 5), OFFICE)}
    calendar = office(weekly=weekly, extra={date(2026, 8, 15)})
    assert add_working_time(kyiv(2026, 8, 14, 17, 30), timedelta(hours=1), calendar) == kyiv(2026, 8, 15, 10, 30)
    assert working_time_between(kyiv(2026, 8, 15), kyiv(2026, 8, 16), calendar) == timedelta(hours=6)


def test_extra_working_day_without_monday_hours_uses_nine_to_six():
    calendar = office(weekly={2: [(time(10), time(11))]}, extra={date(2026, 8, 15)})
    assert working_time_between(kyiv(2026, 8, 15), kyiv(2026, 8, 16), calendar) == timedelta(hours=9)


def test_extra_working_day_overrides_a_holiday_and_keeps_its_own_hours():
    calendar = office(holidays={INDEPENDENCE_DAY}, extra={INDEPENDENCE_DAY, date(2026, 8, 26)})
    assert add_working_time(kyiv(2026, 8, 21, 17, 30), timedelta(hours=1), calendar) == kyiv(2026, 8, 24, 9, 30)
    assert working_time_between(kyiv(2026, 8, 24), kyiv(2026, 8, 29), calendar) == timedelta(hours=45)


def test_split_shift_skips_lunch():
    calendar = office(weekly=dict.fromkeys(range(5), SPLIT))
    assert add_working_time(kyiv(2026, 8, 10, 12, 30), timedelta(hours=1), calendar) == kyiv(2026, 8, 10, 14, 30)
    assert add_working_time(kyiv(2026, 8, 10, 12), timedelta(hours=1), calendar) == kyiv(2026, 8, 10, 13)
    assert add_working_time(kyiv(2026, 8, 10, 13, 20), timedelta(0), calendar) == kyiv(2026, 8, 10, 14)
    assert add_working_time(kyiv(2026, 8, 10, 13), timedelta(0), calendar) == kyiv(2026, 8, 10, 14)
    assert working_time_between(kyiv(2026, 8, 10, 12), kyiv(2026, 8, 10, 15), calendar) == timedelta(hours=2)


@pytest.mark.parametrize(("day", "expected"), [(SPRING_FORWARD, timedelta(hours=23)), (FALL_BACK, timedelta(hours=25))])
def test_round_the_clock_calendar_measures_real_time_across_dst(day, expected):
    calendar = office(weekly=dict.fromkeys(range(7), WHOLE_DAY))
    midnight, next_midnight = kyiv(day.year, day.month, day.day), kyiv(day.year, day.month, day.day + 1)
    assert working_time_between(midnight, next_midnight, calendar) == expected
    assert add_working_time(midnight, expected, calendar) == next_midnight
    assert add_working_time(midnight, timedelta(hours=4), calendar).astimezone(UTC) == midnight.astimezone(
        UTC
    ) + timedelta(hours=4)


@pytest.mark.parametrize(
    ("interval", "day", "expected"),
    [
        pytest.param((time(2), time(5)), SPRING_FORWARD, timedelta(hours=2), id="gap-inside"),
        pytest.param((time(3, 15), time(3, 45)), SPRING_FORWARD, timedelta(0), id="all-in-gap"),
        pytest.param((time(3, 30), time(4, 30)), SPRING_FORWARD, timedelta(minutes=30), id="starts-in-gap"),
        pytest.param((time(2), time(5)), FALL_BACK, timedelta(hours=4), id="repeat-inside"),
        pytest.param((time(3, 15), time(3, 45)), FALL_BACK, timedelta(hours=1), id="all-in-repeat"),
        pytest.param((time(3, 30), time(4, 30)), FALL_BACK, timedelta(hours=1, minutes=30), id="starts-in-repeat"),
    ],
)
def test_intervals_touching_a_dst_change(interval, day, expected):
    calendar = office(weekly={6: [interval]})
    start = kyiv(day.year, day.month, day.day)
    assert working_time_between(start, start + timedelta(days=1), calendar) == expected
    assert working_time_between(start, start + timedelta(days=1), calendar) == reference_between(
        start, start + timedelta(days=1), calendar
    )


@pytest.mark.parametrize(
    ("start", "expected_utc"),
    [
        pytest.param(kyiv(2026, 3, 29, 3, 30), datetime(2026, 3, 29, 2, 30, tzinfo=UTC), id="missing-read-fold-0"),
        pytest.param(kyiv(2026, 10, 25, 3, 30), datetime(2026, 10, 25, 1, 30, tzinfo=UTC), id="repeated-first"),
        pytest.param(
            kyiv(2026, 10, 25, 3, 30).replace(fold=1), datetime(2026, 10, 25, 2, 30, tzinfo=UTC), id="repeated-second"
        ),
    ],
)
def test_start_at_a_missing_or_repeated_wall_time_is_read_as_zoneinfo_reads_it(start, expected_utc):
    calendar = office(weekly=dict.fromkeys(range(7), WHOLE_DAY))
    assert utc(add_working_time(start, timedelta(hours=1), calendar)) == expected_utc


def test_opening_inside_the_gap_is_the_transition_instant():
    calendar = office(weekly={6: [(time(3, 30), time(4, 30))]})
    opening = add_working_time(kyiv(2026, 3, 28, 12), timedelta(0), calendar)
    assert opening.astimezone(UTC) == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert opening == kyiv(2026, 3, 29, 4)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (kyiv(2026, 8, 10, 9), kyiv(2026, 8, 10, 18), timedelta(hours=9)),
        (kyiv(2026, 8, 14, 17, 30), kyiv(2026, 8, 17, 9, 30), timedelta(hours=1)),
        (kyiv(2026, 8, 15, 1), kyiv(2026, 8, 16, 23), timedelta(0)),
        (kyiv(2026, 8, 21, 12), kyiv(2026, 8, 25, 12), timedelta(hours=9)),
        (kyiv(2026, 8, 10, 8), kyiv(2026, 8, 17, 8), timedelta(hours=45)),
        (kyiv(2026, 8, 10, 12), kyiv(2026, 8, 10, 12), timedelta(0)),
        (kyiv(2026, 8, 11, 12), kyiv(2026, 8, 10, 12), timedelta(0)),
    ],
)
def test_working_time_between_examples(start, end, expected):
    assert working_time_between(start, end, office(holidays={INDEPENDENCE_DAY})) == expected


def test_long_durations_cross_many_cached_blocks():
    calendar = office(holidays={INDEPENDENCE_DAY, date(2026, 12, 25), date(2027, 1, 1)})
    start = kyiv(2026, 1, 5, 11, 17)
    deadline = add_working_time(start, timedelta(hours=2000), calendar)
    assert working_time_between(start, deadline, calendar) == timedelta(hours=2000)
    halfway = add_working_time(start, timedelta(hours=1234), calendar)
    assert add_working_time(halfway, timedelta(hours=766), calendar) == deadline
    assert utc(deadline) == reference_add(start, 2000 * 60, calendar)


# --- refusals and calendar validation ------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 8, 10, 9)
    with pytest.raises(ValueError, match="aware"):
        add_working_time(naive, timedelta(hours=1), default_calendar())
    with pytest.raises(ValueError, match="aware"):
        working_time_between(naive, kyiv(2026, 8, 11), default_calendar())
    with pytest.raises(ValueError, match="aware"):
        working_time_between(kyiv(2026, 8, 9), naive, default_calendar())


def test_negative_duration_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_time(kyiv(2026, 8, 10, 9), timedelta(minutes=-1), default_calendar())


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"weekly": {}}, id="no-hours-at-all"),
        pytest.param({"weekly": {0: []}}, id="only-empty-days"),
        pytest.param({"weekly": {7: OFFICE}}, id="weekday-7"),
        pytest.param({"weekly": {-1: OFFICE}}, id="weekday-negative"),
        pytest.param({"weekly": {0: [(time(18), time(9))]}}, id="end-before-start"),
        pytest.param({"weekly": {0: [(time(9), time(9))]}}, id="empty-interval"),
        pytest.param({"weekly": {0: [(time(9), time(13)), (time(12), time(18))]}}, id="overlap"),
        pytest.param({"weekly": {0: [(time(14), time(18)), (time(9), time(13))]}}, id="unsorted"),
        pytest.param({"weekly": {0: [(time(9, tzinfo=UTC), time(18))]}}, id="aware-time"),
        pytest.param({"weekly": {0: [("09:00", "18:00")]}}, id="strings"),
        pytest.param({"weekly": {0: OFFICE}, "holidays": frozenset({datetime(2026, 8, 24)})}, id="datetime-day"),
        pytest.param({"weekly": {0: OFFICE}, "tz": "Europe/Kyiv"}, id="tz-string"),
    ],
)
def test_invalid_calendars_are_refused(kwargs):
    with pytest.raises(ValueError):
        WorkCalendar(**{"tz": KYIV, **kwargs})


def test_calendar_is_a_hashable_value():
    as_lists = WorkCalendar(tz=KYIV, weekly={0: [(time(9), time(18))], 5: []}, holidays=frozenset({INDEPENDENCE_DAY}))
    as_tuples = WorkCalendar(tz=KYIV, weekly={0: ((time(9), time(18)),)}, holidays=frozenset({INDEPENDENCE_DAY}))
    assert as_lists == as_tuples
    assert hash(as_lists) == hash(as_tuples)
    assert as_lists.weekly == (((time(9), time(18)),), (), (), (), (), (), ())
    add_working_time(kyiv(2026, 8, 10, 9), timedelta(hours=1), as_lists)  # attaches the cached profile
    assert pickle.loads(pickle.dumps(as_lists)) == as_lists  # noqa: S301 - our own bytes
    assert dataclasses.replace(as_lists, holidays=frozenset()).weekly == as_lists.weekly


def test_default_calendar():
    calendar = default_calendar(frozenset({INDEPENDENCE_DAY}))
    assert calendar == office(holidays={INDEPENDENCE_DAY})
    assert calendar.tz == KYIV


# --- properties against the reference ------------------------------------------------------------------------------

ZONES = ["Europe/Kyiv"] * 5 + [
    "America/New_York",
    "America/Havana",  # changes at midnight
    "Asia/Beirut",  # falls back from midnight to 23:00 of the day before
    "Australia/Lord_Howe",  # half-hour DST
    "Africa/Casablanca",  # an hour less during Ramadan
    "UTC",
]
# Every 2026-2027 offset change of ZONES falls on one of these dates; starts are drawn near them or anywhere.
HOT_DAYS = [
    date(2026, 2, 15), date(2026, 3, 8), date(2026, 3, 22), date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 4),
    date(2026, 10, 24), date(2026, 10, 25), date(2026, 11, 1), date(2027, 2, 7), date(2027, 3, 14), date(2027, 3, 28),
    date(2027, 4, 4), date(2027, 10, 3), date(2027, 10, 30), date(2027, 10, 31), date(2027, 11, 7),
]  # fmt: skip
# Minutes of the day favoured as interval bounds: midnight, the Kyiv and New York gaps and repeats, office hours.
HOT_MINUTES = [0, 60, 120, 150, 180, 195, 210, 240, 270, 540, 780, 840, 1080, 1440]


@st.composite
def day_intervals(draw):
    bounds = sorted(draw(st.lists(st.one_of(st.integers(0, 1440), st.sampled_from(HOT_MINUTES)), max_size=6)))
    pairs = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2) if bounds[i] < bounds[i + 1]]
    return [(time(start // 60, start % 60), time(end // 60 % 24, end % 60)) for start, end in pairs]


@st.composite
def calendars_and_starts(draw):
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    if draw(st.booleans()):
        weekly = dict.fromkeys(range(5), draw(st.sampled_from([OFFICE, SPLIT, WHOLE_DAY])))
    else:
        weekly = {weekday: draw(day_intervals()) for weekday in range(7) if draw(st.booleans())}
    if not any(weekly.values()):
        weekly[draw(st.integers(0, 6))] = [(time(10), time(12))]
    anchor = draw(st.one_of(st.sampled_from(HOT_DAYS), st.dates(date(2026, 1, 1), date(2027, 12, 20))))
    start_minute = draw(st.integers(-4 * 1440, 4 * 1440))
    start = datetime.combine(anchor, time(0), tzinfo=UTC) + start_minute * MINUTE
    near = st.sets(st.integers(-3, 25).map(lambda offset: anchor + timedelta(days=offset)), max_size=8)
    calendar = WorkCalendar(
        tz=zone, weekly=weekly, holidays=frozenset(draw(near)), extra_working_days=frozenset(draw(near))
    )
    return calendar, start.astimezone(zone) if draw(st.booleans()) else start


@lru_cache
def weekly_minutes(calendar: WorkCalendar) -> int:
    return sum(
        ((end.hour * 60 + end.minute) or 1440) - (start.hour * 60 + start.minute)
        for intervals in calendar.weekly
        for start, end in intervals
    )


@PROPERTY_SETTINGS
@given(calendars_and_starts(), st.integers(0, 10**6))
def test_add_matches_the_reference(calendar_and_start, raw_minutes):
    calendar, start = calendar_and_start
    minutes = raw_minutes % (2 * weekly_minutes(calendar) + 1)  # at most two weeks' work: keeps the walk short
    assert utc(add_working_time(start, minutes * MINUTE, calendar)) == reference_add(start, minutes, calendar)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), st.integers(0, 10 * 1440))
def test_between_matches_the_reference(calendar_and_start, minutes):
    calendar, start = calendar_and_start
    end = start + minutes * MINUTE
    assert working_time_between(start, end, calendar) == reference_between(start, end, calendar)


raw_microseconds = st.integers(0, 10**15)


def up_to_weeks_of_work(calendar: WorkCalendar, raw: int, weeks: int = 30) -> timedelta:
    """At most ``weeks`` weeks of the calendar's work (60 weeks of office hours: 2,700 h), to the microsecond; bounded
    by work rather than by clock time so that a calendar working 15 minutes a week stays cheap."""
    return timedelta(microseconds=raw % (weeks * weekly_minutes(calendar) * 60 * 10**6 + 1))


@PROPERTY_SETTINGS
@given(calendars_and_starts(), st.integers(0, 86_400 * 10**6 - 1), raw_microseconds)
def test_between_inverts_add(calendar_and_start, jitter_us, raw):
    calendar, start = calendar_and_start
    duration = up_to_weeks_of_work(calendar, raw, weeks=60)
    start += timedelta(microseconds=jitter_us)
    deadline = add_working_time(start, duration, calendar)
    assert utc(deadline) >= utc(start)
    assert working_time_between(start, deadline, calendar) == duration


@PROPERTY_SETTINGS
@given(calendars_and_starts(), raw_microseconds, raw_microseconds, st.integers(0, 10 * 1440))
def test_monotonic_and_composable(calendar_and_start, raw_first, raw_second, later_minutes):
    calendar, start = calendar_and_start
    first, second = up_to_weeks_of_work(calendar, raw_first), up_to_weeks_of_work(calendar, raw_second)
    shorter, longer = sorted([first, second])
    assert utc(add_working_time(start, shorter, calendar)) <= utc(add_working_time(start, longer, calendar))
    later = utc(start) + later_minutes * MINUTE  # in UTC: wall-clock addition could go back at a fall-back
    assert utc(add_working_time(start, shorter, calendar)) <= utc(add_working_time(later, shorter, calendar))
    assert working_time_between(start, later, calendar) <= working_time_between(start, later + MINUTE, calendar)
    if second:
        halfway = add_working_time(start, first, calendar)
        assert utc(add_working_time(halfway, second, calendar)) == utc(
            add_working_time(start, first + second, calendar)
        )
