"""What every benchmark shares: the fake Bot API's process, filled databases, the running bot."""

from __future__ import annotations

import asyncio
import logging
import random
import subprocess
import sys
import time as _time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, insert

from bot.app import build_application
from bot.config import Settings
from bot.domain.schedule import next_due
from bot.handlers.common import HipApp
from bot.storage import migrate
from bot.storage.db import Database
from bot.storage.models import Session, User

TOKEN = "123456:bench"
ROUTINES = ("desk-hips", "knee-line", "steady-hips", "gentle-stretch", "all-round")
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC")
FIRST_USER = 1_000_000
ROOT = Path(__file__).resolve().parents[1]


class FakeApiProcess:
    """The lean fake Bot API in a process of its own, so its cost is not the bot's."""

    def __init__(self) -> None:
        self.port = 0
        self._process: subprocess.Popen[str] | None = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> FakeApiProcess:
        self._process = subprocess.Popen(  # noqa: ASYNC220 - once, before anything is timed
            [sys.executable, "-m", "bench.fake_api", TOKEN],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.port = int(await asyncio.to_thread(self._process.stdout.readline))
        self._client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=60)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._process is not None:
            self._process.terminate()
            await asyncio.to_thread(self._process.wait, 10)
            if self._process.stdout is not None:
                self._process.stdout.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def ctl(self, name: str, **params: Any) -> Any:
        assert self._client is not None
        response = await self._client.post(f"/_ctl/{name}", json=params)
        body = response.json()
        if not body["ok"]:
            raise RuntimeError(body["description"])
        return body["result"]


def settings_for(db_path: Path, api: FakeApiProcess, **overrides: Any) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=sqlite_url(db_path),
        telegram_base_url=api.base_url,
        log_level="WARNING",
        **overrides,
    )


def sqlite_url(db_path: Path) -> str:
    return f"sqlite+aiosqlite:///{db_path}"


@dataclass(frozen=True)
class Due:
    """Users to create: how many, when each is due (None: computed from their daily time)."""

    count: int
    due_at: list[datetime] | None = None
    history: bool = False  # give each user yesterday's (done) session, like a database in use


async def make_database(db_path: Path, users: Due, now: datetime) -> None:
    """A migrated database holding `users` scheduled users (written in bulk, not measured)."""
    await asyncio.to_thread(db_path.unlink, missing_ok=True)
    database = Database(sqlite_url(db_path))
    await migrate.upgrade(database.engine)
    await database.dispose()
    await asyncio.to_thread(_fill, db_path, users, now)


def _fill(db_path: Path, users: Due, now: datetime) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    rows = list(_user_rows(users, now))
    with engine.begin() as connection:
        for chunk in _chunks(rows, 20_000):
            connection.execute(insert(User), chunk)
        if users.history:
            sessions = [
                {
                    "user_id": row["id"],
                    "day": row["next_due_at"].date() - timedelta(days=1),
                    "routine_id": row["routine_id"],
                    "status": "done",
                    "due_at": row["next_due_at"] - timedelta(days=1),
                    "claimed_at": row["next_due_at"] - timedelta(days=1),
                    "sent_at": row["next_due_at"] - timedelta(days=1),
                    "late": False,
                }
                for row in rows
            ]
            for chunk in _chunks(sessions, 20_000):
                connection.execute(insert(Session), chunk)
    engine.dispose()


def _user_rows(users: Due, now: datetime) -> Iterator[dict[str, Any]]:
    rng = random.Random(7)
    for index in range(users.count):
        zone = ZONES[index % len(ZONES)]
        at = time(rng.randrange(6, 22), rng.choice((0, 15, 30, 45)))
        if users.due_at is not None:
            due = users.due_at[index]
        else:
            due, _ = next_due(at, ZoneInfo(zone), now)
        yield {
            "id": FIRST_USER + index,
            "chat_id": FIRST_USER + index,
            "created_at": now - timedelta(days=30),
            "active": True,
            "screen": "clear",
            "routine_id": ROUTINES[index % len(ROUTINES)],
            "reminder_time": at,
            "timezone": zone,
            "next_due_at": due,
            "paused_until": None,
        }


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class RunningBot:
    """The real Application, started and stopped the way `run_polling` does it."""

    def __init__(self, settings: Settings) -> None:
        self.app: HipApp = build_application(settings)

    async def __aenter__(self) -> HipApp:
        app = self.app
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        return app

    async def __aexit__(self, *_exc: object) -> None:
        app = self.app
        assert app.updater is not None and app.post_shutdown is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


async def wait_for_count(api: FakeApiProcess, target: int, *, stall: float = 60.0) -> int:
    """Wait until the server accepted `target` messages, or none arrived for `stall` s."""
    count, last_change, loop = 0, 0.0, asyncio.get_running_loop()
    last_change = loop.time()
    while True:
        now_count = await api.ctl("count")
        if now_count != count:
            count, last_change = now_count, loop.time()
        if count >= target or loop.time() - last_change > stall:
            return int(count)
        await asyncio.sleep(0.5)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def machine_reference_ms() -> float:
    """The median CPU time of a fixed pure-Python loop (a million additions), in ms: how fast
    this machine runs Python, to compare CPU figures measured on different machines."""
    times = []
    for _ in range(5):
        start, total = _time.process_time(), 0
        for number in range(1_000_000):
            total += number
        times.append(1000 * (_time.process_time() - start))
    return sorted(times)[2]


def quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="  [%(levelname)s %(name)s] %(message)s")


def today_utc() -> date:
    return datetime.now(UTC).date()
