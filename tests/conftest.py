"""Shared fixtures: a fake clock, the fake Bot API server, and the real bot running against it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import demos
from bot.app import build_application, dispatcher_of
from bot.config import Settings, normalize_database_url
from bot.content import load_content
from bot.handlers.common import HipApp
from bot.storage.db import Database
from bot.storage.models import Session, User
from tests.fake_telegram import FakeTelegram, FakeUser

# Only a session message carries the stop-if-it-hurts cue.
SESSION = "Stop if the pain is sharp"
# Saturday 21 November 2026, 06:00 in Berlin.
START = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)


class FakeClock:
    """The bot's clock in tests: it moves only when the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class RunningBot:
    """The real Application, started and stopped the way `run_polling` does it."""

    def __init__(self, settings: Settings, clock: FakeClock) -> None:
        self.settings = settings
        self.clock = clock
        self.app: HipApp | None = None

    async def start(self) -> None:
        app = build_application(self.settings, clock=self.clock)
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        self.app = app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None and app.post_shutdown is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def tick(self) -> int:
        """Run one delivery pass now, after any the scheduler is running; return sends."""
        assert self.app is not None
        return await dispatcher_of(self.app).run_due()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


# The whole suite runs on SQLite by default, and on PostgreSQL when this points at a server.
# Each test starts from an empty public schema, so it must be a throwaway database.
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `postgres` are skipped, by name, when no server is configured."""
    if POSTGRES_URL:
        return
    for item in items:
        if item.get_closest_marker("postgres"):
            reason = f"{item.name} needs PostgreSQL: set TEST_DATABASE_URL (see README)"
            item.add_marker(pytest.mark.skip(reason=reason))


async def empty_postgres(url: str) -> None:
    """Drop every table, type and the migration history: the next start migrates from empty."""
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            await connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        await database.dispose()


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """An empty database for this test: a SQLite file, or PostgreSQL when configured."""
    if not POSTGRES_URL:
        return f"sqlite+aiosqlite:///{tmp_path / 'hipcheck.db'}"
    url = normalize_database_url(POSTGRES_URL)
    await empty_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str, telegram: FakeTelegram) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=telegram.token,
        database_url=database_url,
        telegram_base_url=telegram.base_url,
        tick_seconds=0.05,
    )


@pytest.fixture(scope="session")
def rendered_demos() -> None:
    """Draw every demonstration once per test run (the bot keeps them in a per-process cache),
    so a chat's first guided step does not wait for a drawing against the tests' timeouts."""
    content = load_content()
    for exercise_id, demo in content.demos.items():
        demos.animation(demo, content.exercises[exercise_id].name)
        demos.still(demo, content.exercises[exercise_id].name)


@pytest.fixture
async def bot(
    settings: Settings, clock: FakeClock, rendered_demos: None
) -> AsyncIterator[RunningBot]:
    running = RunningBot(settings, clock)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """A second handle on the bot's database, for looking at what it stored."""
    database = Database(settings.database_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def ana(telegram: FakeTelegram) -> FakeUser:
    return telegram.user(1001, "Ana")


async def sessions_of(db: Database, user_id: int) -> list[Session]:
    async with db.transaction() as s:
        return list((await s.scalars(select(Session).where(Session.user_id == user_id))).all())


async def user_row(db: Database, user_id: int) -> User | None:
    async with db.transaction() as s:
        return await s.get(User, user_id)


async def step(user: FakeUser, action: str, expect: str, *, tap: bool = True) -> str:
    """Tap a button (or send text) and wait for a bot message containing `expect`: a new one,
    or one edited since (the quiz's questions take each other's place in one message)."""
    before = user.snapshot()
    if tap:
        query_id = await user.tap(action)
        await user.wait_answered(query_id)
    else:
        await user.send(action)
    message = await user.wait_for_text(expect, since=before)
    return message.text


async def pass_screen(user: FakeUser, then: str) -> str:
    """Answer each of the three red-flag tiers "No, none of these" (the first tier's question
    is on screen); wait for `then` after the last."""
    await step(user, "No, none of these", "can't put weight on the leg")
    await step(user, "No, none of these", "Pain at night")
    return await step(user, "No, none of these", then)


async def reach_quiz(user: FakeUser) -> None:
    """/start, "I agree" under the privacy notice, "18 or over", no red flag at any tier: the
    quiz's first question is on screen. Every journey of a new user starts here."""
    await step(user, "/start", "Your data, in short", tap=False)
    await step(user, "I agree", "How old are you")
    await step(user, "18 or over", "Does any of these apply")
    await pass_screen(user, "Question 1 of 5")


async def onboard(
    user: FakeUser, *, answers: str = "yynnn", at: str = "07:30", zone: str = "Europe/Berlin"
) -> str:
    """From /start to a scheduled routine, by buttons alone; returns the confirmation."""
    await reach_quiz(user)
    for index, answer in enumerate(answers):
        following = f"Question {index + 2} of 5" if index < 4 else "suggestion"
        await step(user, "Yes" if answer == "y" else "No", following)
    await step(user, "✅", "What time")
    await step(user, at, "time zone")
    return await step(user, zone, "All set")
