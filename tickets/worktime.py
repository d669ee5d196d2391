"""Working-time arithmetic for SLA clocks: pure, database-free, no Django.

Conventions
-----------
* A :class:`WorkCalendar` describes working time in *local wall time* of its zone: ``weekly`` maps a weekday
  (Monday = 0) to half-open intervals ``[start, end)``; an interval ending at ``time(0)`` runs to midnight (24:00),
  so ``(time(0), time(0))`` is a whole day. Weekdays absent from ``weekly`` are days off.
* ``holidays`` are days off even if their weekday has hours. ``extra_working_days`` are working days even if their
  weekday has no hours; on such a day the Monday intervals apply (09:00-18:00 if Monday has none). A date that is
  both a holiday and an extra working day is a working day: the explicit extra day overrides the holiday (say, a
  public holiday the company works). An extra working day whose weekday already has hours keeps those hours.
* An instant is working time when the wall clock of ``calendar.tz`` shows, at that instant, a time inside one of
  the intervals of the local date shown. Hence across DST changes:
  - a wall time that does not exist (spring-forward gap) is never shown, so it is simply skipped: an interval
    starting inside the gap starts at the transition instant; ``09:00-18:00`` on a 23-hour day is still 9 hours
    unless the gap falls inside it, then it is 8 real hours;
  - a wall time that occurs twice (fall-back) counts both times: an interval that spans the repeated hour is one
    real hour longer.
  All durations are real elapsed time (differences of UTC instants), never wall-clock differences.
* ``add_working_time`` returns the earliest instant at which ``duration`` of working time has elapsed since
  ``start``. A deadline that falls exactly at closing time stays at closing time (Friday 17:00 + 1 h is Friday
  18:00). A start outside working time counts from the next opening, so a zero duration returns ``start`` itself
  when it is working time and the next opening otherwise (Saturday 12:00 + 0 is Monday 09:00).
* Naive datetimes and negative durations are refused with ``ValueError``. Results are aware datetimes in
  ``calendar.tz`` with ``fold`` set for a repeated wall time. Compare them in UTC near a fall-back: Python orders
  two datetimes of one zone by wall time, ignoring ``fold``, and (PEP 495) ``==`` across zones is False for a wall
  time that occurs twice.

Speed
-----
Each calendar gets a cached profile (kept on the instance and shared by equal calendars) holding, per block of 64
consecutive local dates, the dates' working ranges as UTC microseconds and their prefix sums. A call locates its
start inside a block, skips whole blocks by their totals and bisects into the final day: once the blocks it touches
are built (under a millisecond per block, on first use) its cost does not depend on the duration. On dates that no
offset change touches, wall times and instants convert by adding the date's offset, so a call whose datetimes are
in ``calendar.tz`` seldom asks the zone anything.
Offset changes are found by comparing the UTC offsets at midnights and bisecting between them. This assumes that a
zone changes its offset at most once between two midnights and never sets its clocks back across midnight from after
it, so that local dates follow each other in real time: true of every zone in the tz database from 2011 on (until
2010 Newfoundland and Labrador fell back at 00:01 to 23:01 of the day before).
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

__all__ = ["Interval", "WorkCalendar", "add_working_time", "default_calendar", "working_time_between"]

Interval = tuple[time, time]

_US = timedelta(microseconds=1)
_SECOND_US = 1_000_000
_DAY_US = 86_400 * _SECOND_US
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_BLOCK_DAYS = 64
_MAX_CACHED_BLOCKS = 512
_DEFAULT_EXTRA_HOURS: tuple[Interval, ...] = ((time(9), time(18)),)
_ZERO = timedelta(0)
_Day = tuple[tuple[tuple[int, int], ...], int | None]


def _wall_us(moment: time, *, is_end: bool) -> int:
    if is_end and moment == time(0):
        return _DAY_US
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _SECOND_US + moment.microsecond


def _dates(values: Iterable[date], name: str) -> frozenset[date]:
    days = frozenset(values)
    for day in days:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise ValueError(f"{name} must contain dates, got {day!r}")
    return days


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable working calendar. After construction ``weekly`` is a 7-tuple indexed by weekday, ``()`` for a
    day off, so that the calendar is hashable; see the module docstring for the conventions."""

    tz: ZoneInfo
    weekly: Mapping[int, Sequence[Interval]]
    holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise ValueError(f"tz must be a tzinfo such as ZoneInfo, got {self.tz!r}")
        source = self.weekly.items() if isinstance(self.weekly, Mapping) else enumerate(self.weekly)
        week: list[tuple[Interval, ...]] = [()] * 7
        for weekday, intervals in source:
            if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be an int 0 (Monday) to 6 (Sunday), got {weekday!r}")
            week[weekday] = _checked_intervals(weekday, intervals)
        if not any(week):
            raise ValueError("a calendar needs at least one working interval in its week")
        object.__setattr__(self, "weekly", tuple(week))
        object.__setattr__(self, "holidays", _dates(self.holidays, "holidays"))
        object.__setattr__(self, "extra_working_days", _dates(self.extra_working_days, "extra_working_days"))

    def __getstate__(self) -> dict:
        # The cached profile (see _profile) is process-local; pickle and copy only the fields.
        return {name: value for name, value in self.__dict__.items() if not name.startswith("_")}

    @property
    def extra_day_hours(self) -> tuple[Interval, ...]:
        """The intervals worked on an extra working day whose weekday has none: Monday's, else 09:00-18:00."""
        return self.weekly[0] or _DEFAULT_EXTRA_HOURS

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The wall-time intervals worked on ``day``."""
        own = self.weekly[day.weekday()]
        if day in self.extra_working_days:
            return own or self.extra_day_hours
        return () if day in self.holidays else own


def _checked_intervals(weekday: int, intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    checked: list[Interval] = []
    previous_end = -1
    for interval in intervals:
        start, end = interval
        for moment in (start, end):
            if not isinstance(moment, time) or moment.tzinfo is not None:
                raise ValueError(f"weekday {weekday}: interval bounds must be naive times, got {moment!r}")
        start_us, end_us = _wall_us(start, is_end=False), _wall_us(end, is_end=True)
        if start_us >= end_us:
            raise ValueError(f"weekday {weekday}: interval {start}-{end} must start before it ends")
        if start_us < previous_end:
            raise ValueError(f"weekday {weekday}: intervals must be sorted and must not overlap")
        previous_end = end_us
        checked.append((start.replace(fold=0), end.replace(fold=0)))
    return tuple(checked)


def default_calendar(holidays: frozenset[date] = frozenset()) -> WorkCalendar:
    """Monday to Friday 09:00-18:00 Europe/Kyiv with the given days off."""
    office_hours = [(time(9), time(18))]
    return WorkCalendar(
        tz=ZoneInfo("Europe/Kyiv"), weekly=dict.fromkeys(range(5), office_hours), holidays=frozenset(holidays)
    )


class _Block:
    """``_BLOCK_DAYS`` consecutive local dates, all in microseconds: ``days[i]`` are the UTC ranges worked on the
    block's day ``i`` and ``prefix[i]`` the working time of the days before it. On a day far from any offset change
    (the usual case) ``bases[i]`` is the UTC instant of its local midnight and ``midnights[i]`` that midnight as an
    aware datetime, which lets wall times be converted by plain addition; elsewhere both are None."""

    __slots__ = ("bases", "days", "midnights", "prefix", "total")

    def __init__(self, first_ordinal: int, days: list[_Day], tz: tzinfo) -> None:
        self.days = [ranges for ranges, _ in days]
        self.bases = [base for _, base in days]
        self.midnights = [
            None if base is None else datetime.combine(date.fromordinal(first_ordinal + i), time(0), tzinfo=tz)
            for i, base in enumerate(self.bases)
        ]
        self.prefix = [0]
        for ranges in self.days:
            self.prefix.append(self.prefix[-1] + sum(end - start for start, end in ranges))
        self.total = self.prefix[-1]


class _Profile:
    """Per-calendar cache: UTC offsets at midnights and the blocks built so far."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.tz = calendar.tz
        self.blocks: dict[int, _Block] = {}
        self.midnight_offsets: dict[int, int] = {}
        # The calendar's rules with wall times as microseconds after midnight and dates as ordinals.
        self.week = [_wall_intervals(intervals) for intervals in calendar.weekly]
        self.extra_day = _wall_intervals(calendar.extra_day_hours)
        self.holidays = frozenset(day.toordinal() for day in calendar.holidays)
        self.extra_days = frozenset(day.toordinal() for day in calendar.extra_working_days)

    def block(self, index: int) -> _Block:
        block = self.blocks.get(index)
        if block is None:
            if len(self.blocks) >= _MAX_CACHED_BLOCKS:
                self.blocks.clear()
                self.midnight_offsets.clear()
            first = index * _BLOCK_DAYS
            days = [self._day_ranges(first + i) for i in range(_BLOCK_DAYS)]
            block = self.blocks[index] = _Block(first, days, self.tz)
        return block

    def _offset_at(self, instant_us: int) -> int:
        return (_UTC_EPOCH + _US * instant_us).astimezone(self.tz).utcoffset() // _US

    def _midnight_offset(self, ordinal: int) -> int:
        offset = self.midnight_offsets.get(ordinal)
        if offset is None:
            offset = self.midnight_offsets[ordinal] = self._offset_at(_midnight_us(ordinal))
        return offset

    def _day_ranges(self, ordinal: int) -> _Day:
        """UTC ranges of the instants whose wall clock shows a working time of local date ``ordinal``, and the UTC
        instant of its midnight when no offset change is near (see _Block)."""
        wall = self.week[(ordinal - 1) % 7]  # ordinal 1, 0001-01-01, was a Monday
        if ordinal in self.extra_days:
            wall = wall or self.extra_day
        elif ordinal in self.holidays:
            wall = ()
        if not wall:
            return (), None
        midnight = _midnight_us(ordinal)
        # Every instant of the local date lies within (midnight(d - 1), midnight(d + 2)) as |offset| < 24 h.
        probes = [ordinal - 1, ordinal, ordinal + 1, ordinal + 2]
        offsets = [self._midnight_offset(probe) for probe in probes]
        if offsets.count(offsets[0]) == 4:
            base = midnight - offsets[0]
            return _merged([(base + start, base + end) for start, end in wall]), base
        # (period start, period end, offset) covering the window, one period per offset in force.
        periods = []
        touched = False  # whether a change skips or repeats a wall time of this date, midnights included
        period_start = _midnight_us(probes[0])
        for i in range(3):
            if offsets[i] != offsets[i + 1]:
                change = self._offset_change(_midnight_us(probes[i]), _midnight_us(probes[i + 1]), offsets[i])
                periods.append((period_start, change, offsets[i]))
                period_start = change
                low_wall, high_wall = sorted((change + offsets[i], change + offsets[i + 1]))
                touched = touched or (high_wall >= midnight and low_wall <= midnight + _DAY_US)
        periods.append((period_start, _midnight_us(probes[3]), offsets[3]))
        ranges = []
        for first, last, offset in periods:
            for start, end in wall:
                clipped = (max(first, midnight + start - offset), min(last, midnight + end - offset))
                if clipped[0] < clipped[1]:
                    ranges.append(clipped)
        if touched:
            return _merged(sorted(ranges)), None
        # Untouched, the date lives in exactly one period: the one holding its midnight read with that offset.
        base = next(midnight - offset for first, last, offset in periods if first <= midnight - offset < last)
        return _merged(sorted(ranges)), base

    def _offset_change(self, low_us: int, high_us: int, low_offset: int) -> int:
        """The first instant in (low, high] whose offset differs from ``low_offset``; zones change on whole seconds."""
        low, high = low_us // _SECOND_US, high_us // _SECOND_US
        while high - low > 1:
            middle = (low + high) // 2
            if self._offset_at(middle * _SECOND_US) == low_offset:
                low = middle
            else:
                high = middle
        return high * _SECOND_US


def _wall_intervals(intervals: Iterable[Interval]) -> tuple[tuple[int, int], ...]:
    """Intervals as microseconds after midnight, touching ones merged."""
    return _merged([(_wall_us(start, is_end=False), _wall_us(end, is_end=True)) for start, end in intervals])


def _midnight_us(ordinal: int) -> int:
    """The local midnight of a date read as if it were UTC, in microseconds since the epoch."""
    return (ordinal - _EPOCH_ORDINAL) * _DAY_US


def _merged(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@functools.lru_cache(maxsize=64)
def _shared_profile(calendar: WorkCalendar) -> _Profile:
    return _Profile(calendar)


def _profile(calendar: WorkCalendar) -> _Profile:
    """The calendar's profile, kept on the instance and shared by equal calendars (rebuilt per request, say)."""
    profile = calendar.__dict__.get("_profile")
    if profile is None:
        profile = _shared_profile(calendar)
        object.__setattr__(calendar, "_profile", profile)
    return profile


def _check_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise ValueError(f"{name} must be a datetime, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")


def _locate(profile: _Profile, moment: datetime) -> tuple[int, _Block, int]:
    """The index of the block holding ``moment``, the block, and the working time from its start up to ``moment``."""
    tz = profile.tz
    if moment.tzinfo is not tz:
        moment = moment.astimezone(tz)
    index, day = divmod(moment.toordinal(), _BLOCK_DAYS)
    block = profile.blocks.get(index) or profile.block(index)
    elapsed = block.prefix[day]
    ranges = block.days[day]
    if ranges:
        base = block.bases[day]
        if base is None:
            # Near an offset change the wall time may be ambiguous or missing: read the instant, then its real date.
            instant = (moment - _UTC_EPOCH) // _US
            real = (_UTC_EPOCH + _US * instant).astimezone(tz)
            if real.toordinal() != moment.toordinal():
                return _locate(profile, real)
        else:
            instant = base + ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _SECOND_US
            instant += moment.microsecond
        for start, end in ranges:
            if start >= instant:
                break
            elapsed += (end if end < instant else instant) - start
    return index, block, elapsed


def add_working_time(start: datetime, duration: timedelta, calendar: WorkCalendar) -> datetime:
    """The aware instant, in ``calendar.tz``, at which ``duration`` of working time since ``start`` has elapsed."""
    profile = calendar.__dict__.get("_profile") or _profile(calendar)
    if start.__class__ is not datetime or start.tzinfo is not profile.tz:
        _check_aware(start, "start")
    if duration.__class__ is not timedelta and not isinstance(duration, timedelta):
        raise ValueError(f"duration must be a timedelta, got {duration!r}")
    if duration < _ZERO:
        raise ValueError(f"duration must not be negative, got {duration}")
    index, block, target = _locate(profile, start)
    target += duration // _US
    # A zero duration looks for the first working instant at or after start (the next opening when start is off
    # hours); a positive one for the first instant by which the duration has fully elapsed (closing time stays).
    find = bisect_right if not duration else bisect_left
    while target > block.total or (not duration and target == block.total):
        target -= block.total
        index += 1
        block = profile.blocks.get(index) or profile.block(index)
    day = find(block.prefix, target, 1) - 1
    target -= block.prefix[day]
    for range_start, range_end in block.days[day]:
        length = range_end - range_start
        if target < length or (duration and target == length):
            instant = range_start + target
            base = block.bases[day]
            if base is None:
                return (_UTC_EPOCH + _US * instant).astimezone(profile.tz)
            return block.midnights[day] + _US * (instant - base)
        target -= length
    raise AssertionError("unreachable: the prefix sums located a day without enough working time")


def working_time_between(start: datetime, end: datetime, calendar: WorkCalendar) -> timedelta:
    """The working time in ``[start, end)``; ``timedelta(0)`` when ``end`` is not after ``start``."""
    profile = calendar.__dict__.get("_profile") or _profile(calendar)
    if start.__class__ is not datetime or start.tzinfo is not profile.tz:
        _check_aware(start, "start")
    if end.__class__ is not datetime or end.tzinfo is not profile.tz:
        _check_aware(end, "end")
    start_index, _, elapsed = _locate(profile, start)
    end_index, _, elapsed_at_end = _locate(profile, end)
    if end_index < start_index:
        return _ZERO
    for index in range(start_index, end_index):
        elapsed_at_end += profile.block(index).total
    # Working time only grows with real time, so an end at or before start gives a non-positive difference.
    return _US * max(0, elapsed_at_end - elapsed)
