"""The pain-response rule that moves a user's routine up or down a level, and the one message
each outcome gets.

In plain words (the bot says the same in `progression_rule`):
- Pain after a session up to 5/10 is fine. A session counts as "too much" when the rating after
  it is above 5/10, or when the rating before the next day's session is 2 or more points above
  the day before's (before the session, else after it) and above 2/10.
- Too much twice since the last change (at most two weeks): the routine steps down a level.
- Every two weeks: at least 80% of sessions done (partly done counts half), pain after sessions
  rated at least twice and never above 5/10, never higher before a session than the day
  before's: the routine moves up a level.
- A rating of 7 or more, or 3 over the user's usual, never lets the routine move up, and the
  rating itself always gets the advice to check with a clinician.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.history import DayRecord
from bot.domain.progress import DayStatus, pain_needs_care
from bot.domain.variants import Choice

WINDOW = timedelta(days=14)
USUAL_SPAN = timedelta(days=28)
MIN_ADHERENCE = 0.8
MAX_SESSION_PAIN = 5
MIN_RATINGS = 2
RISE = 2  # points of pain, the next day, that count as "pain rose"
MILD = 2  # a rating this low never counts as too much
RISES_TO_STEP_DOWN = 2
_DONE = {DayStatus.DONE: 1.0, DayStatus.PARTLY: 0.5}
# An open session of an earlier day was never done: it counts, as not done.
_COUNTED = {DayStatus.DONE, DayStatus.PARTLY, DayStatus.SKIPPED, DayStatus.MISSED, DayStatus.OPEN}


class Move(StrEnum):
    UP = "up"
    DOWN = "down"
    HOLD = "hold"  # not yet two weeks, or the two weeks did not qualify
    HELD_FOR_PAIN = "held"  # a 7+ or a jump of 3: no moving up; check with a clinician
    GENTLEST = "gentlest"  # too much pain twice, and nothing easier to step down to


@dataclass(frozen=True, slots=True)
class LevelChange:
    """One exercise of the routine (its slot) that moved: the form and level before and after."""

    slot: str
    before: Choice
    after: Choice


@dataclass(frozen=True, slots=True)
class Review:
    move: Move
    adherence: float | None  # share of the window's sessions done; None without any
    changes: tuple[LevelChange, ...] = ()  # what moved (see `settle`)


class Outcome(StrEnum):
    """What a pain rating leads to: one outcome, so one message."""

    NOTED = "noted"  # nothing changes
    CARE = "care"  # a 7+ or a jump: ease off and check with a clinician; the level stays
    UP = "up"  # the routine moved up; the message says what changed
    DOWN = "down"  # too much pain twice: a level easier; it says what changed
    DOWN_CARE = "down_care"  # both of the above at once, in one message
    GENTLEST = "gentlest"  # too much pain twice at the gentlest level: check with a clinician


# The message each outcome gets (content/messages.yaml).
MESSAGE_KEY: Mapping[Outcome, str] = {
    Outcome.NOTED: "pain_thanks",
    Outcome.CARE: "pain_high",
    Outcome.UP: "level_up",
    Outcome.DOWN: "level_down",
    Outcome.DOWN_CARE: "level_down_care",
    Outcome.GENTLEST: "level_gentlest",
}


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


def settle(result: Review, changes: Sequence[LevelChange]) -> Review:
    """The review as it turned out once applied: a move up that changed nothing (everything at
    its top level) is no move; a step down with nothing easier left is GENTLEST."""
    if result.move not in (Move.UP, Move.DOWN):
        return result
    if changes:
        return replace(result, changes=tuple(changes))
    return replace(result, move=Move.HOLD if result.move is Move.UP else Move.GENTLEST)


def outcome(result: Review, rating_needs_care: bool) -> Outcome:
    """The one outcome of a rating, from the settled review and whether the rating itself is
    7+ or a jump of 3 over the usual (which always gets the advice to see a clinician: CARE,
    DOWN_CARE and GENTLEST all say it)."""
    if result.move is Move.GENTLEST:
        return Outcome.GENTLEST
    if result.move is Move.DOWN:
        return Outcome.DOWN_CARE if rating_needs_care else Outcome.DOWN
    if rating_needs_care:
        return Outcome.CARE
    return Outcome.UP if result.move is Move.UP else Outcome.NOTED


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
    """Too much: above 5/10 after the session, or 2+ points worse (and above mild) the next
    day before that day's session."""
    if record.pain_after is not None and record.pain_after > MAX_SESSION_PAIN:
        return True
    baseline = _baseline(record)
    return (
        baseline is not None
        and next_day is not None
        and next_day.pain_before is not None
        and next_day.pain_before >= baseline + RISE
        and next_day.pain_before > MILD
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
