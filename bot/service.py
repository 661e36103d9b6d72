"""Use cases shared by the handlers and the dispatcher: domain logic applied to stored rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content import Content, Routine
from bot.domain.history import next_weekly
from bot.domain.progress import SESSION_STATUS, Progress, summarize
from bot.domain.progression import (
    USUAL_SPAN,
    WINDOW,
    LevelChange,
    Move,
    Review,
    review,
    settle,
)
from bot.domain.schedule import local_date, next_due
from bot.domain.variants import PlanStep, default_choice, plan, step_down, step_up
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import Session, User

Clock = Callable[[], datetime]

SNOOZE = timedelta(hours=1)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Deps:
    """What every handler and job needs, built once per application."""

    settings: Settings
    content: Content
    db: Database
    clock: Clock
    zones: frozenset[str]


def zone_of(user: User) -> ZoneInfo:
    return ZoneInfo(user.timezone or "UTC")


def today_of(user: User, now: datetime) -> date:
    return local_date(now, zone_of(user))


async def reschedule(s: AsyncSession, user: User, now: datetime) -> date | None:
    """Set the user's next reminder after `now`, never on a day that already has a session."""
    plan_summary(user, now)
    if (
        not user.active
        or user.reminder_time is None
        or not user.scheduled
        or user.red_flag_at is not None  # a red flag at check-in: nothing until /resume
    ):
        user.next_due_at = None
        return None
    latest = await repo.latest_session_day(s, user.id)
    instant, day = next_due(
        user.reminder_time,
        zone_of(user),
        now,
        earliest_day=latest + timedelta(days=1) if latest else None,
        days=user.days,
    )
    user.next_due_at = instant
    return day


def plan_summary(user: User, now: datetime) -> None:
    """Set the instant of the user's next weekly summary (their day, at their reminder time).

    One that is due already is left for the dispatcher to send. A summary sent earlier today
    has moved `next_summary_at` a week on; planning again starts from six days before that,
    so a changed time or zone never brings a second summary on the same day.
    """
    if (
        not user.active
        or not user.scheduled
        or user.summary_day is None
        or user.red_flag_at is not None  # nothing at all until /resume
    ):
        user.next_summary_at = None
        return
    current = user.next_summary_at
    if current is not None and current <= now:
        return
    assert user.reminder_time is not None
    zone = zone_of(user)
    earliest = None if current is None else local_date(current, zone) - timedelta(days=6)
    user.next_summary_at, _ = next_weekly(
        user.reminder_time, user.summary_day, zone, now, earliest_day=earliest
    )


def next_session_day(user: User) -> date | None:
    return None if user.next_due_at is None else local_date(user.next_due_at, zone_of(user))


async def open_today(s: AsyncSession, user: User, now: datetime) -> Session:
    """Today's session row, created (as sent now) when the reminder has not come yet."""
    assert user.routine_id is not None
    today = today_of(user, now)
    session = await repo.get_session(s, user.id, today)
    if session is None:
        session = Session(
            user_id=user.id,
            day=today,
            routine_id=user.routine_id,
            status="sent",
            due_at=now,
            claimed_at=now,
            sent_at=now,
        )
        s.add(session)
        await s.flush()
        await reschedule(s, user, now)
    return session


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
