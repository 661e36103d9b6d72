"""Reminder instants in a user's time zone, including the days the clocks change.

Rules, chosen so a daily reminder fires exactly once per local day:
- A local time that does not exist (the spring-forward gap) moves forward by the length of the
  gap, as the clocks did: 02:30 on the night Berlin jumps from 02:00 to 03:00 fires at 03:30.
- A local time that happens twice (the fall-back overlap) fires at its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVERY_DAY = 0b1111111  # a bit per weekday, Monday = 1 ... Sunday = 64
WEEKDAYS = 0b0011111

_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.hH]\s*(\d{2})\s*$")


class BadTime(ValueError):
    """Text that is not a time of day."""


def parse_time(text: str) -> time:
    """Read a 24-hour time such as "7:30", "07:30" or "19.05"; raise BadTime otherwise."""
    match = _TIME.match(text)
    if not match:
        raise BadTime(text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise BadTime(text)
    return time(hour, minute)


def format_time(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def due_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of the reminder at local time `at` on local `day` (see module rules)."""
    # fold=0 picks the first occurrence of an ambiguous time and, for a missing time, the
    # offset in force before the gap, which lands the instant after the gap by its length.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def on_day(days: int, day: date) -> bool:
    """Whether the weekday set `days` (a bit per weekday) includes `day`."""
    return bool(days >> day.weekday() & 1)


def next_due(
    at: time,
    zone: ZoneInfo,
    after: datetime,
    *,
    earliest_day: date | None = None,
    days: int = EVERY_DAY,
) -> tuple[datetime, date]:
    """The first reminder strictly after `after`, on `earliest_day` or later, on one of the
    weekdays in `days`: (UTC instant, day)."""
    days = days & EVERY_DAY or EVERY_DAY  # an empty set would never fire
    day = local_date(after, zone) - timedelta(days=1)
    if earliest_day is not None and earliest_day > day:
        day = earliest_day
    while True:
        instant = due_instant(day, at, zone)
        if instant > after and on_day(days, day):
            return instant, day
        day += timedelta(days=1)


def second_reminder_at(
    due: datetime, hours: int | None, zone: ZoneInfo, now: datetime
) -> datetime | None:
    """The instant of the optional second reminder: `hours` after `due`, the same local day,
    still ahead; otherwise None."""
    if not hours:
        return None
    again = due + timedelta(hours=hours)
    if local_date(again, zone) != local_date(due, zone) or again <= now:
        return None
    return again
