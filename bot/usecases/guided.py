"""Guided mode: the session one exercise per message, with Next / Back, a hold timer and
"This hurts". The step on screen and the timer's due instant live in the session row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm.attributes import flag_modified

from bot.callbacks import GuidedAction
from bot.content import Content, Routine
from bot.domain.holds import hold_of
from bot.domain.rules import Liveness, StepMove, guided_target
from bot.domain.states import SessionStatus
from bot.domain.variants import Choice, PlanStep, easier
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import Session, User
from bot.usecases.common import Expired, locked_user
from bot.usecases.figures import plan_of
from bot.usecases.sessions import CheckedIn, check_in_session, live_session

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

MOVES = {
    GuidedAction.START: StepMove.START,
    GuidedAction.NEXT: StepMove.NEXT,
    GuidedAction.BACK: StepMove.BACK,
    GuidedAction.HURTS: StepMove.STAY,
    GuidedAction.TIMER: StepMove.STAY,
}


@dataclass(frozen=True, slots=True)
class Eased:
    """What "This hurts" did: the exercise swapped for an easier form, or not (the gentlest)."""

    exercise: str  # names
    easier: str | None


@dataclass(frozen=True, slots=True)
class GuidedStep:
    routine: Routine
    steps: tuple[PlanStep, ...]
    show: int
    eased: Eased | None = None


@dataclass(frozen=True, slots=True)
class TimerStarted:
    seconds: int


def _start_timer(
    session: Session, step: PlanStep, hold: int, now: datetime, content: Content
) -> TimerStarted:
    """Time hold `hold` of the step; the tick sends the message when it is due, so a restart
    does not lose it."""
    exercise = content.exercises[step.exercise_id]
    level = exercise.level(step.level)
    if level.hold_seconds is None or hold_of(hold, level.holds, level.sides) is None:
        raise Expired
    session.timer_due_at = now + timedelta(seconds=level.hold_seconds)
    session.timer_exercise = exercise.id
    # Written even when unchanged: the last timer's record (bot/timers.py) may clear it after
    # this row was read, and an unchanged attribute is left out of the UPDATE.
    flag_modified(session, "timer_exercise")
    session.timer_hold = hold
    session.timer_level = step.level
    # A new timer is not claimed yet, even when the last one's claim was never cleared (a
    # restart between its send and its record): else it would wait for that claim's lease.
    session.timer_claimed_at = None
    return TimerStarted(level.hold_seconds)


async def _guided_session(
    s: AsyncSession, user: User, day: date, now: datetime, content: Content
) -> tuple[Session, Routine, tuple[PlanStep, ...]]:
    """The session of `day` that guided mode (chat or Mini App) may still move through, with
    its routine and steps; Expired when it is gone or skipped."""
    session = await live_session(s, user, day, now, Liveness.RECENT)
    routine = content.routines.get(session.routine_id)
    if routine is None or session.status == SessionStatus.SKIPPED:
        raise Expired
    return session, routine, await plan_of(s, user.id, routine)


async def start_hold(
    db: Database, user_id: int, day: date, step: int, hold: int, now: datetime, content: Content
) -> TimerStarted:
    """Time the next hold of the step on screen (the time's-up message's button)."""
    async with locked_user(db, user_id) as (s, user):
        session, _, steps = await _guided_session(s, user, day, now, content)
        if guided_target(StepMove.STAY, step, session.guided_step, len(steps)) is None:
            raise Expired
        return _start_timer(session, steps[step], hold, now, content)


async def press_guided(
    db: Database,
    user_id: int,
    day: date,
    step: int,
    action: GuidedAction,
    now: datetime,
    content: Content,
) -> GuidedStep | TimerStarted | CheckedIn:
    """Start, move through, time or ease a step; Finish on the last step checks the day in."""
    async with locked_user(db, user_id) as (s, user):
        session, routine, steps = await _guided_session(s, user, day, now, content)
        show = guided_target(MOVES[action], step, session.guided_step, len(steps))
        if show is None:
            raise Expired
        if action is GuidedAction.TIMER:  # the step's first hold
            return _start_timer(session, steps[step], 0, now, content)
        eased = None
        if action is GuidedAction.HURTS:
            eased = await swap_easier(s, user_id, steps[step], content, now)
            if eased.easier is not None:
                steps = await plan_of(s, user_id, routine)
                show = min(step, len(steps) - 1)
        if show == len(steps):  # Finish on the last step
            session.guided_step = None
            return await check_in_session(s, user, day, now, partly=False)
        session.guided_step = show
        return GuidedStep(routine, steps, show, eased)


async def swap_easier(
    s: AsyncSession, user_id: int, current: PlanStep, content: Content, now: datetime
) -> Eased:
    """This hurts: swap the easier form in for the step's slot, remembered so the next
    sessions use it too; nothing changes at the gentlest form."""
    before = content.exercises[current.exercise_id].name
    variant = easier(Choice(current.exercise_id, current.level), content.ladders)
    if variant is None:
        return Eased(before, None)
    await repo.set_exercise_choice(s, user_id, current.slot, variant, now)
    return Eased(before, content.exercises[variant.exercise_id].name)


@dataclass(frozen=True, slots=True)
class EasedStep:
    eased: Eased
    steps: tuple[PlanStep, ...]  # the session's steps after the swap


async def ease_step(
    db: Database, user_id: int, day: date, step: int, now: datetime, content: Content
) -> EasedStep:
    """This hurts on step `step` of the session of `day`, from the Mini App (the page keeps
    its own place in the session, so the chat's step on screen does not matter)."""
    async with locked_user(db, user_id) as (s, user):
        _, routine, steps = await _guided_session(s, user, day, now, content)
        if not 0 <= step < len(steps):
            raise Expired
        eased = await swap_easier(s, user_id, steps[step], content, now)
        if eased.easier is not None:
            steps = await plan_of(s, user_id, routine)
        return EasedStep(eased, steps)
