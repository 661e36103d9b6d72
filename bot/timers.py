"""Guided-mode hold timers: the due instant is a database row, sent by the delivery tick.

Like a session: a tick claims the due timer (`timer_claimed_at`, a lease), sends the message,
then clears the timer in one single-row UPDATE. A restart never loses a timer that is not yet
due; a crash between claim and send leaves the claim, and a tick after the lease
(CLAIM_LEASE_SECONDS) sends it, unless it is by then too late to be of use (STALE_AFTER). Only a
crash after Telegram accepted the message and before that UPDATE sends it twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from bot import render
from bot.storage import claims, repo
from bot.usecases.common import Deps

log = logging.getLogger(__name__)

BATCH = 100
STALE_AFTER = timedelta(minutes=10)  # a timer this late is no use to anyone mid-exercise


async def send_due_timers(deps: Deps, bot: Bot, now: datetime) -> int:
    """Message every user whose hold timer is up; return how many were sent."""
    async with deps.db.transaction() as s:
        due = await claims.claim_due_timers(s, now, now - deps.settings.claim_lease, BATCH)
        languages = await repo.languages_by_chat(s, [timer.chat_id for timer in due])
    sent = 0
    for timer in due:
        session_id, chat_id, due_at = timer.session_id, timer.chat_id, timer.due_at
        content = deps.content.for_language(languages.get(chat_id))
        exercise = content.exercises.get(timer.exercise_id or "")
        if exercise is not None and now - due_at <= STALE_AFTER:
            text, markup = render.timer_done(
                content, exercise, timer.level, timer.hold, timer.day, timer.step
            )
            try:
                await bot.send_message(chat_id, text, reply_markup=markup)
            except RetryAfter as e:  # surely not sent: the claim stays for a tick after the lease
                log.warning("timer message to chat %s rate limited (%s); will retry", chat_id, e)
                continue
            except TelegramError as e:  # a timeout may have delivered it: not sent again
                log.warning("timer message to chat %s failed: %s", chat_id, e)
            else:
                sent += 1
        async with deps.db.transaction() as s:
            await claims.record_timer(s, session_id, due_at)
    return sent
