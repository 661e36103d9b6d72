"""Figures read inside a use case's transaction: progress, streak, pain, the user's plan,
the recent days, and the progression rule applied to the stored levels."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import mean

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content, Routine
from bot.domain.history import CHART_DAYS, DayRecord, day_records
from bot.domain.progress import SESSION_STATUS, Progress, summarize
from bot.domain.progression import USUAL_SPAN, WINDOW, LevelChange, Move, Review, review, settle
from bot.domain.variants import PlanStep, default_choice, plan, step_down, step_up
from bot.storage import repo
from bot.storage.models import User
from bot.usecases.common import today_of


async def progress_of(s: AsyncSession, user: User, now: datetime) -> tuple[Progress, date]:
    today = today_of(user, now)
    statuses = await repo.session_statuses(s, user.id)
    return summarize({d: SESSION_STATUS[st] for d, st in statuses.items()}, today), today


async def streak_of(s: AsyncSession, user: User, now: datetime) -> int:
    summary, _ = await progress_of(s, user, now)
    return summary.current_streak


async def average_pain(s: AsyncSession, user: User, today: date) -> float | None:
    ratings = await repo.recent_pain(s, user.id, today - timedelta(days=27))
    return mean(ratings) if ratings else None


async def plan_of(s: AsyncSession, user_id: int, routine: Routine) -> tuple[PlanStep, ...]:
    """The routine as this user does it: their easier variants and levels."""
    return plan(routine.exercises, await repo.exercise_choices(s, user_id))


async def recent_days(
    s: AsyncSession, user: User, today: date, days: int = CHART_DAYS
) -> tuple[DayRecord, ...]:
    """The last `days` local days up to `today`: status, pain before and after, note."""
    logged = await repo.day_records(s, user.id, today - timedelta(days=days - 1))
    return day_records(logged, today, days)


async def apply_progression(s: AsyncSession, user: User, content: Content, now: datetime) -> Review:
    """Review the weeks since the last change (see domain.progression) and move the user's
    routine up or down a level when the rule says so."""
    today = today_of(user, now)
    first = await repo.first_session_day(s, user.id)
    routine = content.routines.get(user.routine_id or "")
    if first is None or routine is None:
        return Review(Move.HOLD, None)
    records = await repo.day_records(s, user.id, today - WINDOW - USUAL_SPAN)
    since = user.level_changed_on or first - timedelta(days=1)
    result = review(records, today, since)
    if result.move not in (Move.UP, Move.DOWN):
        return result
    choices = await repo.exercise_choices(s, user.id)
    changes = []
    for slot in routine.exercises:
        current = choices.get(slot, default_choice(slot))
        if result.move is Move.UP:
            doing = [choices.get(o, default_choice(o)).exercise_id for o in routine.exercises]
            moved = step_up(slot, current, content.ladders, avoid=doing)
        else:
            moved = step_down(current, content.ladders)
        if moved != current:
            await repo.set_exercise_choice(s, user.id, slot, moved, now)
            choices[slot] = moved
            changes.append(LevelChange(slot, current, moved))
    if changes:
        user.level_changed_on = today
    return settle(result, changes)
