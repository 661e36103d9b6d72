"""Guided-mode hold timers: the due instant is a database row, sent by the delivery tick.

A timer is claimed (cleared) and then sent, so a restart never loses one that is not yet due
and never sends one twice; one that comes due while the bot is down for long is dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import TelegramError

from bot import render
from bot.storage import repo
from bot.usecases.common import Deps

log = logging.getLogger(__name__)

BATCH = 100
STALE_AFTER = timedelta(minutes=10)  # a timer this late is no use to anyone mid-exercise


async def send_due_timers(deps: Deps, bot: Bot, now: datetime) -> int:
    """Message every user whose hold timer is up; return how many were sent."""
    async with deps.db.transaction() as s:
        due = await repo.claim_due_timers(s, now, BATCH)
    sent = 0
    for chat_id, due_at, exercise_id in due:
        exercise = deps.content.exercises.get(exercise_id or "")
        if exercise is None or now - due_at > STALE_AFTER:
            continue
        try:
            await bot.send_message(chat_id, render.timer_done(deps.content, exercise))
        except TelegramError as e:
            log.warning("timer message to chat %s failed: %s", chat_id, e)
        else:
            sent += 1
    return sent
