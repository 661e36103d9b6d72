"""The weekly summary: on the user's chosen day, at their reminder time, the four-week chart
with the week's numbers.

Driven by the database like the daily session: `users.next_summary_at` (indexed) holds each
user's next summary. The dispatcher's tick calls `send_due_summaries`, which claims a batch of
due users and moves each one's instant a week on in the same transaction, and only then renders
and sends. So a restart or a second instance never sends a week's summary twice; a crash
between the claim and the send loses that one summary (at most once, by choice: it is a
digest, not the session itself).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot import render
from bot.charts import progress_chart
from bot.domain.history import DayRecord, next_weekly
from bot.domain.schedule import local_date
from bot.network import retry_seconds
from bot.storage import repo
from bot.storage.models import User
from bot.usecases.common import Deps, zone_of
from bot.usecases.figures import recent_days, streak_of
from bot.usecases.general import user_blocked

log = logging.getLogger(__name__)

BATCH = 10  # summaries claimed at a time: each is a chart render of about 0.1 s of CPU
MAX_ATTEMPTS = 4
FILENAME = "hip-check-4-weeks.png"


@dataclass(frozen=True, slots=True)
class SummaryJob:
    user_id: int
    chat_id: int
    caption: str
    days: tuple[DayRecord, ...]


async def send_due_summaries(deps: Deps, bot: Bot, now: datetime) -> int:
    """Claim one batch of due summaries and send them; return how many were claimed."""
    async with deps.db.transaction() as s:
        users = await repo.claim_due_summaries(s, now, BATCH)
        jobs = [job for user in users if (job := await _plan(s, deps, user, now)) is not None]
    await asyncio.gather(*(_send(deps, bot, job) for job in jobs))
    return len(users)


async def _plan(s: AsyncSession, deps: Deps, user: User, now: datetime) -> SummaryJob | None:
    """Move the user's summary a week on; return the one to send now, if any."""
    due = user.next_summary_at
    assert due is not None
    if not user.active or not user.scheduled or user.summary_day is None:
        user.next_summary_at = None
        return None
    assert user.reminder_time is not None
    zone = zone_of(user)
    day = local_date(due, zone)
    user.next_summary_at, _ = next_weekly(
        user.reminder_time,
        user.summary_day,
        zone,
        max(due, now),
        earliest_day=day + timedelta(days=1),
    )
    if now - due > deps.settings.grace:
        return None  # the bot was down past the grace window: this week's is skipped
    if user.paused_until is not None and day < user.paused_until:
        return None  # reminders are paused: so is the summary
    days = await recent_days(s, user, day)
    if all(d.status is None for d in days):
        return None  # nothing to show in four weeks
    caption = render.summary_caption(deps.content, days, await streak_of(s, user, now))
    return SummaryJob(user.id, user.chat_id, caption, days)


async def _send(deps: Deps, bot: Bot, job: SummaryJob) -> bool:
    labels = render.chart_labels(deps.content)
    png = await asyncio.to_thread(progress_chart, job.days, labels)
    for _ in range(MAX_ATTEMPTS):
        try:
            await bot.send_photo(job.chat_id, png, caption=job.caption, filename=FILENAME)
        except RetryAfter as e:
            await asyncio.sleep(retry_seconds(e))
        except Forbidden:
            log.info("user %s blocked the bot; reminders stopped", job.user_id)
            await user_blocked(deps.db, job.user_id)
            return False
        except TelegramError as e:
            log.warning("weekly summary for user %s not sent: %s", job.user_id, e)
            return False
        else:
            return True
    log.warning("weekly summary for user %s not sent: rate limited throughout", job.user_id)
    return False
