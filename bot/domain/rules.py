"""The small rules the use cases apply: how long a session's buttons stay live, checking a
session in, and extending a pause. (The safety screen's rules: bot/domain/triage.py.)"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum, StrEnum

from bot.domain.states import SessionStatus


class Liveness(Enum):
    """How long after its day a session's button still acts."""

    TODAY = 0  # snooze and skip: only the day itself
    RECENT = 1  # done, partly done, guided steps, pain before: today and yesterday
    ALWAYS = None  # pain after, a note, red flags: they answer a check-in already made


def button_live(day: date, today: date, liveness: Liveness) -> bool:
    """Whether a button of the session on `day` still acts `today`."""
    if liveness.value is None:
        return True
    return today - timedelta(days=liveness.value) <= day <= today


CHECKED_IN = frozenset({SessionStatus.DONE, SessionStatus.PARTLY})


def check_in(status: str, *, partly: bool) -> SessionStatus | None:
    """The status after Done (or Partly done), or None when it changes nothing.

    Done after Partly done upgrades it; nothing else changes a day that is checked in.
    """
    wanted = SessionStatus.PARTLY if partly else SessionStatus.DONE
    if status == SessionStatus.DONE or status == wanted:
        return None
    return wanted


def extend_pause(first_day: date, paused_until: date | None, days: int) -> date:
    """The first day reminders resume after pausing the next `days` session days; a pause
    already running is extended, not restarted."""
    start = max(first_day, paused_until or first_day)
    return start + timedelta(days=days)


class StepMove(StrEnum):
    """A press in guided mode that changes the step on screen."""

    START = "start"
    NEXT = "next"
    BACK = "back"
    STAY = "stay"  # the same step again (after "This hurts")


def guided_target(move: StepMove, step: int, on_screen: int | None, count: int) -> int | None:
    """The step to show after `move` from `step`: `count` means the session is finished;
    None means the button is stale (an older step's, pressed twice, or Back on the first)."""
    if move is StepMove.START:
        return 0
    if on_screen != step or step >= count:
        return None
    if move is StepMove.NEXT:
        return step + 1
    if move is StepMove.BACK:
        return step - 1 if step > 0 else None
    return step
