"""The small rules the use cases apply, as tables: button liveness, check-in, pause, guided
steps. (The red-flag screen's moves: tests/test_triage.py.)"""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.rules import (
    Liveness,
    StepMove,
    button_live,
    check_in,
    extend_pause,
    guided_target,
)
from bot.domain.states import SessionStatus

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("days_ago", "liveness", "live"),
    [
        (0, Liveness.TODAY, True),
        (1, Liveness.TODAY, False),
        (0, Liveness.RECENT, True),
        (1, Liveness.RECENT, True),
        (2, Liveness.RECENT, False),
        (-1, Liveness.RECENT, False),  # a day that has not come
        (0, Liveness.ALWAYS, True),
        (30, Liveness.ALWAYS, True),
    ],
)
def test_a_sessions_buttons_act_for_as_long_as_their_kind_allows(
    days_ago: int, liveness: Liveness, live: bool
) -> None:
    day = date.fromordinal(TODAY.toordinal() - days_ago)
    assert button_live(day, TODAY, liveness) is live


@pytest.mark.parametrize(
    ("before", "partly", "after"),
    [
        (SessionStatus.SENT, False, SessionStatus.DONE),
        (SessionStatus.SENT, True, SessionStatus.PARTLY),
        (SessionStatus.PENDING, False, SessionStatus.DONE),
        (SessionStatus.SKIPPED, False, SessionStatus.DONE),
        (SessionStatus.MISSED, True, SessionStatus.PARTLY),
        (SessionStatus.PARTLY, False, SessionStatus.DONE),  # done after partly upgrades it
        (SessionStatus.PARTLY, True, None),  # the same again changes nothing
        (SessionStatus.DONE, False, None),
        (SessionStatus.DONE, True, None),  # partly never downgrades a done day
    ],
)
def test_checking_in_upgrades_partly_to_done_and_never_downgrades(
    before: SessionStatus, partly: bool, after: SessionStatus | None
) -> None:
    assert check_in(before, partly=partly) == after


@pytest.mark.parametrize(
    ("first_day", "paused_until", "days", "resumes"),
    [
        (date(2026, 11, 22), None, 3, date(2026, 11, 25)),
        # A pause already running is extended from its end, not restarted:
        (date(2026, 11, 22), date(2026, 11, 25), 7, date(2026, 12, 2)),
        # A pause that has ended counts from the next session day:
        (date(2026, 11, 22), date(2026, 11, 20), 1, date(2026, 11, 23)),
    ],
)
def test_pausing_covers_the_next_session_days_and_extends_a_running_pause(
    first_day: date, paused_until: date | None, days: int, resumes: date
) -> None:
    assert extend_pause(first_day, paused_until, days) == resumes


@pytest.mark.parametrize(
    ("move", "step", "on_screen", "shown"),
    [
        (StepMove.START, 0, None, 0),
        (StepMove.START, 2, 1, 0),  # Start again from the session message
        (StepMove.NEXT, 0, 0, 1),
        (StepMove.NEXT, 2, 2, 3),  # Finish: one past the last of three
        (StepMove.BACK, 1, 1, 0),
        (StepMove.BACK, 0, 0, None),  # no Back on the first step
        (StepMove.STAY, 1, 1, 1),
        (StepMove.NEXT, 0, 1, None),  # an older step's button
        (StepMove.NEXT, 1, None, None),  # pressed after Finish
        (StepMove.NEXT, 3, 3, None),  # a step the plan no longer has
    ],
)
def test_guided_mode_moves_only_from_the_step_on_screen(
    move: StepMove, step: int, on_screen: int | None, shown: int | None
) -> None:
    assert guided_target(move, step, on_screen, 3) == shown
