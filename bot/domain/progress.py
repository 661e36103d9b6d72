"""Streaks, counts and the four-week calendar, from the status of each local day.

Paused days neither break a streak nor count against the completion rate; skipped and missed
days do. Today only counts once it is done: an open session today never breaks anything. A
partly done day counts as done here: showing up keeps the streak going.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import median

from bot.domain.states import SessionStatus


class DayStatus(StrEnum):
    DONE = "done"
    PARTLY = "partly"  # "Partly done": it keeps the streak and counts as showing up
    SKIPPED = "skipped"
    MISSED = "missed"  # the session was sent, or due, and never marked done
    PAUSED = "paused"
    OPEN = "open"  # sent today, not done yet


SHOWED_UP = frozenset({DayStatus.DONE, DayStatus.PARTLY})
# A session row's status, as these maths read it.
SESSION_STATUS: Mapping[str, DayStatus] = {
    SessionStatus.DONE: DayStatus.DONE,
    SessionStatus.PARTLY: DayStatus.PARTLY,
    SessionStatus.SKIPPED: DayStatus.SKIPPED,
    SessionStatus.MISSED: DayStatus.MISSED,
    SessionStatus.PAUSED: DayStatus.PAUSED,
    SessionStatus.PENDING: DayStatus.OPEN,
    SessionStatus.SENT: DayStatus.OPEN,
}
CALENDAR_DAYS = 28
_SYMBOL = {
    DayStatus.DONE: "✅",
    DayStatus.PARTLY: "◐",
    DayStatus.SKIPPED: "⏭",
    DayStatus.MISSED: "✖",
    DayStatus.PAUSED: "⏸",
}
_NONE_SYMBOL = "·"


@dataclass(frozen=True, slots=True)
class Progress:
    current_streak: int
    best_streak: int
    done_this_week: int
    done_this_month: int
    completion_rate: float | None  # over the last four weeks; None before any counted day
    calendar: tuple[tuple[date, DayStatus | None], ...]  # four whole weeks, Monday first


def effective_status(status: DayStatus, day: date, today: date) -> DayStatus:
    """An open session from an earlier day was never done: it counts as missed."""
    return DayStatus.MISSED if status is DayStatus.OPEN and day < today else status


def summarize(days: Mapping[date, DayStatus], today: date) -> Progress:
    """Progress as the user sees it on `today` (their local date)."""
    statuses = {d: effective_status(s, d, today) for d, s in days.items() if d <= today}
    current = best = 0
    if statuses:
        day = min(statuses)
        while day <= today:
            status = statuses.get(day)
            if status in SHOWED_UP:
                current += 1
                best = max(best, current)
            elif status is DayStatus.PAUSED or (day == today and status in (None, DayStatus.OPEN)):
                pass
            else:  # skipped, missed, or a past day with no session at all
                current = 0
            day += timedelta(days=1)

    week_start = today - timedelta(days=today.weekday())
    done_days = [d for d, s in statuses.items() if s in SHOWED_UP]
    calendar_start = week_start - timedelta(weeks=3)
    return Progress(
        current_streak=current,
        best_streak=best,
        done_this_week=sum(1 for d in done_days if d >= week_start),
        done_this_month=sum(1 for d in done_days if (d.year, d.month) == (today.year, today.month)),
        completion_rate=_completion_rate(statuses, today),
        calendar=tuple(
            (d, statuses.get(d))
            for d in (calendar_start + timedelta(days=i) for i in range(CALENDAR_DAYS))
        ),
    )


def _completion_rate(statuses: Mapping[date, DayStatus], today: date) -> float | None:
    """Share of the last four weeks' session days that were done (paused days left out).

    A past day with no session at all, after the first one, counts as not done.
    """
    if not statuses:
        return None
    day = max(min(statuses), today - timedelta(days=CALENDAR_DAYS - 1))
    done = total = 0
    while day <= today:
        status = statuses.get(day)
        if status is not DayStatus.PAUSED and (day < today or status in SHOWED_UP):
            total += 1
            done += status in SHOWED_UP
        day += timedelta(days=1)
    return done / total if total else None


WEEKDAY_HEADS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def calendar_lines(
    progress: Progress,
    today: date,
    *,
    heads: Sequence[str] = WEEKDAY_HEADS,
    months: Sequence[str] = MONTHS,
) -> list[str]:
    """The calendar as text: a header (two-letter weekdays) and one line per week, Monday
    first, each starting with its Monday ("16 Nov")."""
    lines = ["        " + " ".join(head[:2].ljust(2) for head in heads)]
    for week in range(4):
        cells = progress.calendar[week * 7 : week * 7 + 7]
        symbols = [_symbol(day, status, today) for day, status in cells]
        monday = cells[0][0]
        lines.append(f"{monday.day:02d} {months[monday.month - 1]}  " + "  ".join(symbols).rstrip())
    return lines


def _symbol(day: date, status: DayStatus | None, today: date) -> str:
    if day > today:
        return " "
    if status is None or status is DayStatus.OPEN:
        return _NONE_SYMBOL
    return _SYMBOL[status]


PAIN_HIGH = 7
PAIN_JUMP = 3


def pain_needs_care(score: int, usual: Sequence[int]) -> bool:
    """A rating of 7 or more, or 3 above the user's usual (median), means ease off and check in."""
    return score >= PAIN_HIGH or (bool(usual) and score >= median(usual) + PAIN_JUMP)
