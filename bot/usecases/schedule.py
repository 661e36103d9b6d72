"""The schedule: routine, daily time, time zone, days, second reminder, pausing, the weekly
summary's day, and the settings overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.rules import extend_pause
from bot.domain.states import Awaiting
from bot.storage.db import Database
from bot.storage.models import User
from bot.usecases.common import NeedsSetup, locked_user, today_of, zone_of
from bot.usecases.planning import next_session_day, plan_summary, reschedule


class SetupNeed(StrEnum):
    """What the schedule lacks next, or that it is complete."""

    ROUTINE = "routine"
    TIME = "time"
    ZONE = "zone"
    COMPLETE = "complete"
    RED_FLAG = "red_flag"  # complete, but stopped by a red flag at check-in until /resume


@dataclass(frozen=True, slots=True)
class SetupStep:
    need: SetupNeed
    routine_id: str | None = None
    reminder_time: time | None = None
    timezone: str | None = None
    next_day: date | None = None  # of the first session, once complete
    days: int = 127


async def next_setup_step(s: AsyncSession, user: User, now: datetime) -> SetupStep:
    """Wait for whatever the schedule still lacks, or plan the next reminder once complete."""
    if user.routine_id is None:
        user.awaiting = None
        return SetupStep(SetupNeed.ROUTINE)
    if user.reminder_time is None:
        user.awaiting = Awaiting.TIME
        return SetupStep(SetupNeed.TIME)
    if user.timezone is None:
        user.awaiting = Awaiting.ZONE
        return SetupStep(SetupNeed.ZONE)
    user.awaiting = None
    day = await reschedule(s, user, now)
    if day is None:
        return SetupStep(SetupNeed.RED_FLAG)
    return SetupStep(
        SetupNeed.COMPLETE, user.routine_id, user.reminder_time, user.timezone, day, user.days
    )


async def set_schedule(
    db: Database,
    user_id: int,
    now: datetime,
    *,
    routine_id: str | None = None,
    reminder_time: time | None = None,
    timezone: str | None = None,
) -> SetupStep:
    """Change the routine, the time or the zone, then take the next setup step."""
    async with locked_user(db, user_id) as (s, user):
        if routine_id is not None:
            user.routine_id = routine_id
        if reminder_time is not None:
            user.reminder_time = reminder_time
        if timezone is not None:
            user.timezone = timezone
        return await next_setup_step(s, user, now)


async def await_input(db: Database, user_id: int, awaiting: Awaiting) -> None:
    """Wait for typed text of this kind."""
    async with locked_user(db, user_id) as (_, user):
        user.awaiting = awaiting


async def current_routine(db: Database, user_id: int) -> str | None:
    async with locked_user(db, user_id) as (_, user):
        return user.routine_id


class Standing(StrEnum):
    RED_FLAG = "red_flag"
    UNSCHEDULED = "unscheduled"
    PAUSED = "paused"
    ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class SettingsView:
    routine_id: str | None
    reminder_time: time | None
    timezone: str | None
    days: int
    second_reminder_hours: int | None
    standing: Standing
    paused_through: date | None  # the last paused day, while paused
    next_day: date | None


def settings_of(user: User, now: datetime) -> SettingsView:
    today = today_of(user, now)
    next_day = next_session_day(user)
    paused_through = None
    if user.red_flag_at is not None:
        standing = Standing.RED_FLAG
    elif not user.scheduled or next_day is None:
        standing = Standing.UNSCHEDULED
    elif user.paused_until is not None and user.paused_until > today:
        standing = Standing.PAUSED
        paused_through = user.paused_until - timedelta(days=1)
    else:
        standing = Standing.ACTIVE
    return SettingsView(
        user.routine_id,
        user.reminder_time,
        user.timezone,
        user.days,
        user.second_reminder_hours,
        standing,
        paused_through,
        next_day,
    )


async def settings(db: Database, user_id: int, now: datetime) -> SettingsView:
    """Routine, time, zone, days and where the reminders stand."""
    async with locked_user(db, user_id) as (_, user):
        return settings_of(user, now)


@dataclass(frozen=True, slots=True)
class Paused:
    through: date | None  # the last paused day; None: stopped by a red flag, nothing changed


async def pause(db: Database, user_id: int, days: int) -> Paused:
    """Pause the next `days` session days, extending a pause already running."""
    async with locked_user(db, user_id) as (_, user):
        if user.red_flag_at is not None:
            return Paused(None)  # stopped already, until a clinician says go
        first_day = next_session_day(user)
        if first_day is None:
            raise NeedsSetup
        user.paused_until = extend_pause(first_day, user.paused_until, days)
        return Paused(user.paused_until - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Resumed:
    resumed: bool  # False: there was no pause to end
    next_day: date | None


async def resume(db: Database, user_id: int, now: datetime) -> Resumed:
    """End a pause, or the stop after a red flag at check-in, now."""
    async with locked_user(db, user_id) as (s, user):
        if not user.scheduled:
            raise NeedsSetup
        if user.red_flag_at is None and (
            user.paused_until is None or user.paused_until <= today_of(user, now)
        ):
            user.paused_until = None
            return Resumed(False, None)
        user.red_flag_at = user.paused_until = None
        return Resumed(True, await reschedule(s, user, now))


async def session_days(db: Database, user_id: int) -> int:
    """The weekdays with a session (a bit per day)."""
    async with locked_user(db, user_id) as (_, user):
        if not user.scheduled:
            raise NeedsSetup
        return user.days


async def save_days(db: Database, user_id: int, days: int, now: datetime) -> date | None:
    """Keep to these weekdays; return the next session's day (None: stopped by a red flag)."""
    async with locked_user(db, user_id) as (s, user):
        if not user.scheduled:
            raise NeedsSetup
        user.days = days
        return await reschedule(s, user, now)


async def set_second_reminder(db: Database, user_id: int, hours: int | None) -> None:
    async with locked_user(db, user_id) as (_, user):
        user.second_reminder_hours = hours


async def summary_day(db: Database, user_id: int) -> int | None:
    """The weekly summary's weekday (0 = Monday), None when off."""
    async with locked_user(db, user_id) as (_, user):
        return user.summary_day


async def set_summary_day(
    db: Database, user_id: int, weekday: int | None, now: datetime
) -> date | None:
    """Send the weekly summary on `weekday` (None: off); return the next summary's day."""
    async with locked_user(db, user_id) as (_, user):
        if not user.scheduled:
            raise NeedsSetup
        user.summary_day = weekday
        plan_summary(user, now)
        next_at = user.next_summary_at
        return None if next_at is None else next_at.astimezone(zone_of(user)).date()
