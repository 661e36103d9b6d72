"""What the charts show, gathered from the database."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.history import CHART_DAYS, DayRecord, day_records
from bot.service import day_statuses
from bot.storage import repo
from bot.storage.models import User


async def recent_days(
    s: AsyncSession, user: User, today: date, days: int = CHART_DAYS
) -> tuple[DayRecord, ...]:
    """The last `days` local days up to `today`: each day's session status and pain rating."""
    since = today - timedelta(days=days - 1)
    statuses = await day_statuses(s, user, since)
    pain = await repo.pain_by_day(s, user.id, since)
    return day_records(statuses, pain, today, days)
