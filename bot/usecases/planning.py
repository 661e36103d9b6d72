"""Steps shared by several use cases and the dispatcher, inside their transaction: planning
the next reminder and summary, and opening today's session."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.history import next_weekly
from bot.domain.schedule import local_date, next_due
from bot.domain.states import SessionStatus
from bot.storage import repo
from bot.storage.models import Session, User
from bot.usecases.common import today_of, zone_of


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


class SummaryPlanned(Protocol):
    """What `plan_summary` reads and moves: an ORM `User`, or the dispatcher's claimed row."""

    active: bool
    summary_day: int | None
    red_flag_at: datetime | None
    next_summary_at: datetime | None
    reminder_time: time | None

    @property
    def timezone(self) -> str | None: ...

    @property
    def scheduled(self) -> bool: ...


def plan_summary(user: SummaryPlanned, now: datetime) -> None:
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
            status=SessionStatus.SENT,
            due_at=now,
            claimed_at=now,
            sent_at=now,
        )
        s.add(session)
        await s.flush()
        await reschedule(s, user, now)
    return session
