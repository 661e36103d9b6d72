"""The pain-response rule that moves a user's routine up or down a level.

In plain words (the bot says the same in `progression_rule`):
- Every two weeks: if at least 80% of the sessions were done (a partly done one counts half),
  the pain rated after sessions stayed at 5/10 or lower (rated at least twice), and it was never
  worse the next day, the routine moves up a level.
- When pain rises — a session rated above 5/10, or 2 points worse than before it, or the next
  day 2 points worse — twice since the last change, the routine steps down a level.
- A rating of 7 or more, or 3 over the user's usual, holds the routine where it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.history import DayRecord
from bot.domain.progress import DayStatus, pain_needs_care

WINDOW = timedelta(days=14)
USUAL_SPAN = timedelta(days=28)
MIN_ADHERENCE = 0.8
MAX_SESSION_PAIN = 5
MIN_RATINGS = 2
RISE = 2  # points of pain that count as "pain rose"
RISES_TO_STEP_DOWN = 2
_DONE = {DayStatus.DONE: 1.0, DayStatus.PARTLY: 0.5}
# An open session of an earlier day was never done: it counts, as not done.
_COUNTED = {DayStatus.DONE, DayStatus.PARTLY, DayStatus.SKIPPED, DayStatus.MISSED, DayStatus.OPEN}


class Move(StrEnum):
    UP = "up"
    DOWN = "down"
    HOLD = "hold"  # not yet two weeks, or the two weeks did not qualify
    HELD_FOR_PAIN = "held"  # a 7+ or a jump of 3: no moving up; check with a clinician


@dataclass(frozen=True, slots=True)
class Review:
    move: Move
    adherence: float | None  # share of the window's sessions done; None without any


def review(records: Sequence[DayRecord], today: date, since: date) -> Review:
    """Decide the move on `today`, looking at the days after `since` (the last change, or the
    day before the first session), at most the last two weeks."""
    by_day = {r.day: r for r in records}
    start = max(since + timedelta(days=1), today - WINDOW + timedelta(days=1))
    window = [r for r in sorted(records, key=lambda r: r.day) if start <= r.day <= today]
    adherence = _adherence(window, today)
    rises = sum(_pain_rose(r, by_day.get(r.day + timedelta(days=1))) for r in window)
    if rises >= RISES_TO_STEP_DOWN:
        return Review(Move.DOWN, adherence)
    if any(_needs_care(r, records) for r in window):
        return Review(Move.HELD_FOR_PAIN, adherence)
    after = [r.pain_after for r in window if r.pain_after is not None]
    qualifies = (
        today - since >= WINDOW
        and adherence is not None
        and adherence >= MIN_ADHERENCE
        and len(after) >= MIN_RATINGS
        and max(after) <= MAX_SESSION_PAIN
        and not any(_worse_next_day(r, by_day.get(r.day + timedelta(days=1))) for r in window)
    )
    return Review(Move.UP if qualifies else Move.HOLD, adherence)


def _adherence(window: Sequence[DayRecord], today: date) -> float | None:
    # Today's session only counts once it is checked in; paused days never count.
    counted = [
        r.status
        for r in window
        if r.status is not None and r.status in _COUNTED and (r.day < today or r.status in _DONE)
    ]
    if not counted:
        return None
    return sum(_DONE.get(status, 0.0) for status in counted) / len(counted)


def _pain_rose(record: DayRecord, next_day: DayRecord | None) -> bool:
    after, before = record.pain_after, record.pain_before
    if after is not None and (
        after > MAX_SESSION_PAIN or (before is not None and after >= before + RISE)
    ):
        return True
    baseline = _baseline(record)
    return (
        baseline is not None
        and next_day is not None
        and next_day.pain_before is not None
        and next_day.pain_before >= baseline + RISE
    )


def _worse_next_day(record: DayRecord, next_day: DayRecord | None) -> bool:
    baseline = _baseline(record)
    return (
        baseline is not None
        and next_day is not None
        and next_day.pain_before is not None
        and next_day.pain_before > baseline
    )


def _baseline(record: DayRecord) -> int | None:
    """The day's pain as the next morning is compared with: before the session, else after."""
    return record.pain_before if record.pain_before is not None else record.pain_after


def _needs_care(record: DayRecord, records: Sequence[DayRecord]) -> bool:
    usual = usual_pain(records, record.day)
    return any(
        score is not None and pain_needs_care(score, usual)
        for score in (record.pain_before, record.pain_after)
    )


def usual_pain(records: Sequence[DayRecord], day: date) -> list[int]:
    """The ratings of the four weeks before `day`, the user's "usual"."""
    return [
        score
        for r in records
        if day - USUAL_SPAN <= r.day < day
        for score in (r.pain_before, r.pain_after)
        if score is not None
    ]
