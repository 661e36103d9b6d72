"""The weekly summary: on the user's chosen day, at their reminder time, the four-week chart
with the week's numbers.

Driven by the database like the daily session: `users.next_summary_at` (indexed) holds each
user's next summary. The dispatcher's tick calls `send_due_summaries`, which claims a batch of
due users (`summary_claimed_at`, a lease like a session's `claimed_at`), renders and sends,
and then, in one single-row UPDATE, moves the user's instant a week on and clears the claim.
A crash between claim and send leaves the claim; once the lease (CLAIM_LEASE_SECONDS) runs
out a later tick sends it, if still within the grace window. So a summary is sent at least
once; only a crash after Telegram accepted it and before that UPDATE sends it twice.
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
from bot.storage import claims
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
    due: datetime  # the instant claimed
    following: datetime  # the next week's instant, recorded once this one is sent
    language: str | None = None  # the user's content language (None: English)


async def send_due_summaries(deps: Deps, bot: Bot, now: datetime) -> int:
    """Claim one batch of due summaries and send them; return how many were claimed."""
    async with deps.db.transaction() as s:
        users = await claims.claim_due_summaries(s, now, now - deps.settings.claim_lease, BATCH)
        jobs = [job for user in users if (job := await _plan(s, deps, user, now)) is not None]
    await asyncio.gather(*(_send(deps, bot, job) for job in jobs))
    return len(users)


async def _plan(s: AsyncSession, deps: Deps, user: User, now: datetime) -> SummaryJob | None:
    """Claim the user's due summary and return it; or move it a week on and return None."""
    due = user.next_summary_at
    assert due is not None
    if not user.active or not user.scheduled or user.summary_day is None:
        user.next_summary_at = user.summary_claimed_at = None
        return None
    assert user.reminder_time is not None
    zone = zone_of(user)
    day = local_date(due, zone)
    following, _ = next_weekly(
        user.reminder_time,
        user.summary_day,
        zone,
        max(due, now),
        earliest_day=day + timedelta(days=1),
    )
    # Past the grace window (the bot was down, or a retry after a crash came too late), or
    # paused reminders, or nothing to show in four weeks: this week's is skipped.
    skipped = now - due > deps.settings.grace or (
        user.paused_until is not None and day < user.paused_until
    )
    days = () if skipped else await recent_days(s, user, day)
    if all(d.status is None for d in days):
        user.next_summary_at, user.summary_claimed_at = following, None
        return None
    user.summary_claimed_at = now
    content = deps.content.for_language(user.language)
    caption = render.summary_caption(content, days, await streak_of(s, user, now))
    return SummaryJob(user.id, user.chat_id, caption, days, due, following, user.language)


async def _send(deps: Deps, bot: Bot, job: SummaryJob) -> bool:
    """Send one summary and record it.

    Only a summary that surely did not go out (rate limited throughout) keeps its claim for a
    tick after the lease. Any other fault ends it: a timeout or dropped connection may have
    delivered it already, and the transport has retried those (bot/network.py).
    """
    labels = render.chart_labels(deps.content.for_language(job.language))
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
            await _record(deps, job)  # given up
            return False
        else:
            await _record(deps, job)
            return True
    log.warning("weekly summary for user %s rate limited throughout; will retry", job.user_id)
    return False


async def _record(deps: Deps, job: SummaryJob) -> None:
    async with deps.db.transaction() as s:
        await claims.record_summary(s, job.user_id, job.due, job.following)
