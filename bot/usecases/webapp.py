"""What the Mini App's pages show that the chat's views do not: today's session with its steps
as this user does them, the guided timers per hold, the four-week calendar with pain, the
levels and the next progression check, the settings with the next reminder, and the session
message to edit after a Finish in the page. The actions themselves are the chat's use cases
(bot/usecases/sessions.py, guided.py, schedule.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.content import Content, Routine
from bot.domain.history import DayRecord
from bot.domain.progress import Progress
from bot.domain.progression import WINDOW
from bot.domain.schedule import local_date, next_due
from bot.domain.states import SessionStatus
from bot.domain.variants import PlanStep
from bot.storage import repo
from bot.storage.db import Database
from bot.usecases.common import Expired, NeedsSetup, locked_user, zone_of
from bot.usecases.figures import plan_of, progress_of, recent_days
from bot.usecases.planning import open_today
from bot.usecases.schedule import SettingsView, settings_of

CALENDAR_DAYS = 28


@dataclass(frozen=True, slots=True)
class SessionPage:
    day: date
    status: SessionStatus
    routine: Routine
    steps: tuple[PlanStep, ...]
    pain_before: int | None


async def session_page(db: Database, user_id: int, now: datetime, content: Content) -> SessionPage:
    """Today's session as this user does it, opened now when the reminder has not come yet
    (as /today does: the reminder will not repeat it)."""
    async with locked_user(db, user_id) as (s, user):
        if user.routine_id is None:
            raise NeedsSetup
        session = await open_today(s, user, now)
        routine = content.routines.get(session.routine_id)
        if routine is None:
            raise NeedsSetup
        steps = await plan_of(s, user_id, routine)
        return SessionPage(
            session.day, SessionStatus(session.status), routine, steps, session.pain_before
        )


@dataclass(frozen=True, slots=True)
class SessionMessage:
    """The chat a session belongs to, the message it went out in (None: never sent as one),
    and what that message showed."""

    chat_id: int
    message_id: int | None
    routine: Routine
    steps: tuple[PlanStep, ...]
    day: date
    late: bool


async def session_message(
    db: Database, user_id: int, day: date, content: Content
) -> SessionMessage:
    """The message of the session of `day` (checked in already, so it exists)."""
    async with locked_user(db, user_id) as (s, user):
        session = await repo.get_session(s, user_id, day)
        routine = None if session is None else content.routines.get(session.routine_id)
        if session is None or routine is None:
            raise Expired
        steps = await plan_of(s, user_id, routine)
        return SessionMessage(
            user.chat_id, session.message_id, routine, steps, session.day, session.late
        )


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    level: int
    max_level: int


@dataclass(frozen=True, slots=True)
class ProgressPage:
    summary: Progress
    today: date
    days: tuple[DayRecord, ...]  # the last CALENDAR_DAYS local days, oldest first
    session_days: int  # the weekday bits: a day off the schedule without a session is a rest
    levels: tuple[Level, ...]
    next_check: date | None  # when the progression rule next looks at the levels
    first_day: date | None  # of the first session: the days before it were no one's to miss


async def progress_page(
    db: Database, user_id: int, now: datetime, content: Content
) -> ProgressPage:
    async with locked_user(db, user_id) as (s, user):
        summary, today = await progress_of(s, user, now)
        days = await recent_days(s, user, today, CALENDAR_DAYS)
        levels: list[Level] = []
        routine = content.routines.get(user.routine_id or "")
        if routine is not None:
            for step in await plan_of(s, user_id, routine):
                exercise = content.exercises[step.exercise_id]
                count = len(exercise.levels)
                levels.append(Level(exercise.name, min(step.level, count), count))
        first = await repo.first_session_day(s, user_id)
        since = user.level_changed_on or (None if first is None else first - timedelta(days=1))
        next_check = None if since is None else max(since + WINDOW, today)
        return ProgressPage(summary, today, days, user.days, tuple(levels), next_check, first)


@dataclass(frozen=True, slots=True)
class SettingsPage:
    view: SettingsView
    summary_day: int | None
    paused_until: date | None  # the first day reminders come again, while paused
    next_reminder: datetime | None  # in the user's zone


async def settings_page(db: Database, user_id: int, now: datetime) -> SettingsPage:
    async with locked_user(db, user_id) as (_, user):
        view = settings_of(user, now)
        zone = zone_of(user)
        next_at = user.next_due_at
        paused = view.paused_through and view.paused_through + timedelta(days=1)
        if next_at is not None and paused is not None and local_date(next_at, zone) < paused:
            # The paused days get no reminder: the next one comes once the pause is over.
            assert user.reminder_time is not None
            next_at, _ = next_due(
                user.reminder_time, zone, now, earliest_day=paused, days=user.days
            )
        return SettingsPage(
            view, user.summary_day, paused, None if next_at is None else next_at.astimezone(zone)
        )
