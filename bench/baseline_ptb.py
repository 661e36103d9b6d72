"""The textbook alternative: one JobQueue `run_daily` job per user, as PTB's examples do it.

Started like the bot (BOT_TOKEN, TELEGRAM_BASE_URL, DATABASE_URL from the environment), it reads
every scheduled user from the same database at start and gives each a daily job, the way a bot
built on timerbot.py restores its reminders after a restart.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import time
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, ContextTypes


async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the daily reminder."""
    assert context.job is not None and context.job.chat_id is not None
    await context.bot.send_message(context.job.chat_id, "Time for your hip routine!")


async def restore_jobs(application: Application) -> None:  # type: ignore[type-arg]
    """Give every scheduled user a daily job."""
    assert application.job_queue is not None
    path = os.environ["DATABASE_URL"].split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT id, chat_id, reminder_time, timezone FROM users"
            " WHERE active AND reminder_time IS NOT NULL"
        ).fetchall()
    for user_id, chat_id, at, zone in rows:
        when = time.fromisoformat(at).replace(tzinfo=ZoneInfo(zone))
        application.job_queue.run_daily(remind, when, chat_id=chat_id, name=str(user_id))


def main() -> None:
    application = (
        Application.builder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .post_init(restore_jobs)
        .build()
    )
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
