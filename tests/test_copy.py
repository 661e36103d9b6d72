"""Moving from the SQLite file to another database (PostgreSQL in the PostgreSQL run) keeps
every user's progress, and the bot carries on there as if nothing happened."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from bot.config import normalize_database_url
from tests.conftest import SESSION, RunningBot, onboard, pass_screen, step
from tests.processes import bot_env


async def copy_from(tmp_path, source_url: str, target_url: str) -> tuple[int, str]:
    env = bot_env("http://127.0.0.1:9/bot", target_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "copy-from", source_url, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_copy_from_sqlite_keeps_every_users_progress(tmp_path, settings, clock, ana):
    source_url = f"sqlite:///{tmp_path / 'old.db'}"  # the URL shape an operator would type
    old_settings = settings.model_copy(update={"database_url": normalize_database_url(source_url)})
    old = RunningBot(old_settings, clock)
    await old.start()
    try:
        await onboard(ana)
        clock.advance(timedelta(hours=1, minutes=30))
        await ana.wait_for_text(SESSION)
        await step(ana, "Done", "streak")
        await step(ana, "4", "4/10")
    finally:
        await old.stop()

    code, out = await copy_from(tmp_path, source_url, settings.database_url)
    assert code == 0, out
    assert out.strip() == (
        "Rows copied: demo_files 0, users 1, exercise_choices 0, quiz_attempts 1, sessions 1."
    )

    new = RunningBot(settings, clock)
    await new.start()
    try:
        progress = await step(ana, "/progress", "Your progress", tap=False)
        assert "Current streak: <b>1 day</b>" in progress and "4.0/10" in progress
        # A new quiz attempt gets a fresh id after the copied one.
        await step(ana, "/quiz", "Does any of these apply", tap=False)
        await pass_screen(ana, "Question 1 of 5")
        await step(ana, "Yes", "Question 2 of 5")
    finally:
        await new.stop()

    code, out = await copy_from(tmp_path, source_url, settings.database_url)
    assert code == 1 and "not empty" in out and "Traceback" not in out
