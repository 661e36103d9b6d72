"""Guided mode: the session one exercise per message, with Next / Back, a hold timer and
"This hurts". The step on screen and the timer's due instant live in the session row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from bot.callbacks import GuidedAction
from bot.content import Content, Routine
from bot.domain.rules import Liveness, StepMove, guided_target
from bot.domain.states import SessionStatus
from bot.domain.variants import Choice, PlanStep, easier
from bot.storage import repo
from bot.storage.db import Database
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
        session = await live_session(s, user, day, now, Liveness.RECENT)
        routine = content.routines.get(session.routine_id)
        if routine is None or session.status == SessionStatus.SKIPPED:
            raise Expired
        steps = await plan_of(s, user_id, routine)
        show = guided_target(MOVES[action], step, session.guided_step, len(steps))
        if show is None:
            raise Expired
        if action is GuidedAction.TIMER:
            exercise = content.exercises[steps[step].exercise_id]
            hold = exercise.level(steps[step].level).hold_seconds
            if hold is None:
                raise Expired
            # The tick sends the message when it is due, so a restart does not lose it.
            session.timer_due_at = now + timedelta(seconds=hold)
            session.timer_exercise = exercise.id
            return TimerStarted(hold)
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
        session = await live_session(s, user, day, now, Liveness.RECENT)
        routine = content.routines.get(session.routine_id)
        if routine is None or session.status == SessionStatus.SKIPPED:
            raise Expired
        steps = await plan_of(s, user_id, routine)
        if not 0 <= step < len(steps):
            raise Expired
        eased = await swap_easier(s, user_id, steps[step], content, now)
        if eased.easier is not None:
            steps = await plan_of(s, user_id, routine)
        return EasedStep(eased, steps)
