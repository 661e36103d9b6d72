"""The user's log over time, as charts, summaries, reports and progression read it: one record
per day, adherence, pain by week.

Pure data in, plain numbers out; these functions show what was recorded and never judge it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from bot.domain.progress import DayStatus, effective_status, summarize
from bot.domain.schedule import next_due

CHART_DAYS = 28


@dataclass(frozen=True, slots=True)
class DayRecord:
    """One local day of the log: the session's status (None: no session that day), the knee
    pain rated before and after it (0–10; the rating after is what the app calls "pain"), and
    the note typed at check-in."""

    day: date
    status: DayStatus | None
    pain_before: int | None = None
    pain_after: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Adherence:
    """Counts of session days by outcome, the completion rate and the streaks."""

    done: int
    partly: int
    skipped: int
    missed: int
    paused: int
    rate: float | None  # (done + partly) / every counted day; None before any counted day
    current_streak: int
    best_streak: int


@dataclass(frozen=True, slots=True)
class WeekPain:
    """The pain ratings of one week (Monday to Sunday)."""

    week_start: date
    done: int
    partly: int
    ratings: int
    average: float | None
    low: int | None
    high: int | None


def day_records(
    logged: Iterable[DayRecord], today: date, days: int = CHART_DAYS
) -> tuple[DayRecord, ...]:
    """The last `days` local days up to `today`, oldest first, from the records of the days
    with a session: a day without one has status None; an open session of an earlier day was
    missed."""
    by_day = {r.day: r for r in logged}
    first = today - timedelta(days=days - 1)
    records = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        record = by_day.get(day)
        if record is None:
            records.append(DayRecord(day, None))
        elif record.status is None:
            records.append(record)
        else:
            records.append(replace(record, status=effective_status(record.status, day, today)))
    return tuple(records)


def adherence(statuses: Mapping[date, DayStatus], today: date) -> Adherence:
    """Adherence over every recorded day up to `today`; an open session today is not counted."""
    counted = [effective_status(s, d, today) for d, s in statuses.items() if d <= today]
    done = counted.count(DayStatus.DONE)
    partly = counted.count(DayStatus.PARTLY)
    skipped = counted.count(DayStatus.SKIPPED)
    missed = counted.count(DayStatus.MISSED)
    total = done + partly + skipped + missed
    progress = summarize(statuses, today)
    return Adherence(
        done=done,
        partly=partly,
        skipped=skipped,
        missed=missed,
        paused=counted.count(DayStatus.PAUSED),
        rate=(done + partly) / total if total else None,
        current_streak=progress.current_streak,
        best_streak=progress.best_streak,
    )


def weekly_pain(records: Iterable[DayRecord]) -> tuple[WeekPain, ...]:
    """Group day records by week (Monday first), oldest first, with their pain ratings."""
    weeks: dict[date, list[DayRecord]] = {}
    for record in records:
        start = record.day - timedelta(days=record.day.weekday())
        weeks.setdefault(start, []).append(record)
    return tuple(_week(start, weeks[start]) for start in sorted(weeks))


def _week(start: date, records: Sequence[DayRecord]) -> WeekPain:
    ratings = [r.pain_after for r in records if r.pain_after is not None]
    return WeekPain(
        week_start=start,
        done=sum(1 for r in records if r.status is DayStatus.DONE),
        partly=sum(1 for r in records if r.status is DayStatus.PARTLY),
        ratings=len(ratings),
        average=mean(ratings) if ratings else None,
        low=min(ratings) if ratings else None,
        high=max(ratings) if ratings else None,
    )


def average_pain(records: Iterable[DayRecord]) -> float | None:
    """The average rating after sessions."""
    ratings = [r.pain_after for r in records if r.pain_after is not None]
    return mean(ratings) if ratings else None


def next_weekly(
    at: time, weekday: int, zone: ZoneInfo, after: datetime, *, earliest_day: date | None = None
) -> tuple[datetime, date]:
    """The first `at` on a `weekday` (0 = Monday) strictly after `after`, same DST rules as
    the daily reminder: (UTC instant, local day)."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0-6, not {weekday}")
    instant, day = next_due(at, zone, after, earliest_day=earliest_day)
    while day.weekday() != weekday:
        instant, day = next_due(at, zone, after, earliest_day=day + timedelta(days=1))
    return instant, day
