"""Guided-mode use cases, called directly: stepping, the timer, "This hurts", and Finish
checking the day in within the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.callbacks import GuidedAction
from bot.content import Content
from bot.domain.states import SessionStatus
from bot.storage.models import Session
from bot.usecases import sessions
from bot.usecases.common import Expired
from bot.usecases.guided import GuidedStep, TimerStarted, press_guided, start_hold
from bot.usecases.sessions import CheckedIn
from tests.usecase_support import ANA, NOW, CountingDatabase, content, db, scheduled_user

__all__ = ["content", "db"]  # fixtures


async def test_finish_on_the_last_step_checks_the_day_in_within_one_transaction(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    shown = await press_guided(db, ANA, day, 0, GuidedAction.START, NOW, content)
    assert isinstance(shown, GuidedStep) and shown.show == 0
    for step in range(len(shown.steps) - 1):
        shown = await press_guided(db, ANA, day, step, GuidedAction.NEXT, NOW, content)
        assert isinstance(shown, GuidedStep) and shown.show == step + 1
    db.transactions = 0
    finished = await press_guided(db, ANA, day, shown.show, GuidedAction.NEXT, NOW, content)
    assert db.transactions == 1
    assert isinstance(finished, CheckedIn)
    assert finished.changed and finished.status is SessionStatus.DONE
    async with db.transaction() as s:
        session = (await s.scalars(select(Session).where(Session.user_id == ANA))).one()
        assert (session.status, session.guided_step) == ("done", None)


@pytest.mark.parametrize(
    ("presses", "stale"),
    [
        ([(0, GuidedAction.START), (0, GuidedAction.NEXT)], (0, GuidedAction.NEXT)),
        ([(0, GuidedAction.START)], (0, GuidedAction.BACK)),
        ([(0, GuidedAction.START)], (1, GuidedAction.NEXT)),
    ],
)
async def test_an_older_steps_button_has_expired(
    db: CountingDatabase,
    content: Content,
    presses: list[tuple[int, GuidedAction]],
    stale: tuple[int, GuidedAction],
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    for step, action in presses:
        await press_guided(db, ANA, day, step, action, NOW, content)
    with pytest.raises(Expired):
        await press_guided(db, ANA, day, *stale, NOW, content)


async def test_the_timer_is_stored_as_a_due_instant(db: CountingDatabase, content: Content) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    await press_guided(db, ANA, day, 0, GuidedAction.START, NOW, content)
    started = await press_guided(db, ANA, day, 0, GuidedAction.TIMER, NOW, content)
    assert started == TimerStarted(30)
    async with db.transaction() as s:
        session = (await s.scalars(select(Session).where(Session.user_id == ANA))).one()
        assert session.timer_due_at == NOW + timedelta(seconds=30)


async def test_this_hurts_swaps_in_an_easier_form_for_this_and_later_sessions(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    await press_guided(db, ANA, day, 0, GuidedAction.START, NOW, content)
    gentlest = await press_guided(db, ANA, day, 0, GuidedAction.HURTS, NOW, content)
    assert isinstance(gentlest, GuidedStep) and gentlest.eased is not None
    assert gentlest.eased.easier is None  # the soft-tissue warm-up has nothing gentler
    await press_guided(db, ANA, day, 0, GuidedAction.NEXT, NOW, content)
    eased = await press_guided(db, ANA, day, 1, GuidedAction.HURTS, NOW, content)
    assert isinstance(eased, GuidedStep) and eased.show == 1 and eased.eased is not None
    assert eased.eased.easier is not None and eased.steps[1].exercise_id == "chair-hip-flexor"
    later = await sessions.open_session_today(db, ANA, NOW + timedelta(days=1))
    assert later.choices["hip-flexor-release"].exercise_id == "chair-hip-flexor"


async def test_each_hold_of_a_step_has_its_timer_and_none_beyond_the_last(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    await press_guided(db, ANA, day, 0, GuidedAction.START, NOW, content)
    await press_guided(db, ANA, day, 0, GuidedAction.NEXT, NOW, content)  # 3 ways × 2 sides
    started = await start_hold(db, ANA, day, 1, 5, NOW, content)
    assert started == TimerStarted(30)
    async with db.transaction() as s:
        session = (await s.scalars(select(Session).where(Session.user_id == ANA))).one()
        assert (session.timer_exercise, session.timer_hold, session.timer_level) == (
            "hip-flexor-release",
            5,
            1,
        )
        assert session.timer_due_at == NOW + timedelta(seconds=30)
    with pytest.raises(Expired):
        await start_hold(db, ANA, day, 1, 6, NOW, content)  # there are six holds
    with pytest.raises(Expired):
        await start_hold(db, ANA, day, 0, 1, NOW, content)  # not the step on screen
