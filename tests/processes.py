"""`python -m bot` as real processes, and a database full of users due now, for the tests
that run the bot the way an operator does (crashes, several instances, webhook)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.storage import migrate
from bot.storage.db import Database
from bot.storage.models import Session, User


def bot_env(base_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot process: this one's, with the bot's settings replaced."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env.update(
        BOT_TOKEN="123456:TEST-TOKEN",
        TELEGRAM_BASE_URL=base_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


async def spawn_bot(
    cwd: Path, env: dict[str, str], *args: str, log: Path | None = None
) -> asyncio.subprocess.Process:
    """Start `python -m bot [args]`; its output goes to `log` (a file: a full pipe would stall
    the bot) or nowhere."""
    if log is None:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
            stdout=sink, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip


async def terminate(process: asyncio.subprocess.Process) -> int:
    """SIGTERM, as a process manager stops the bot; return the exit code."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for_port(port: int, timeout: float = 30) -> None:  # noqa: ASYNC109
    """Wait until something accepts connections on 127.0.0.1:port."""
    async with asyncio.timeout(timeout):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            await writer.wait_closed()
            return


async def seed_due_users(url: str, user_ids: Iterable[int]) -> None:
    """Users who finished onboarding, with a session due a minute ago (by the real clock)."""
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    rows = [
        {
            "id": user_id,
            "chat_id": user_id,
            "created_at": due,
            "active": True,
            "screen": "clear",
            "routine_id": "all-round",
            "reminder_time": due.time(),
            "timezone": "UTC",
            "next_due_at": due,
        }
        for user_id in user_ids
    ]
    db = Database(url)
    try:
        await migrate.upgrade(db.engine)
        async with db.transaction() as s:
            await s.execute(insert(User), rows)
    finally:
        await db.dispose()


async def session_rows(url: str) -> list[Session]:
    db = Database(url)
    try:
        async with db.transaction() as s:
            return list((await s.scalars(select(Session))).all())
    finally:
        await db.dispose()
