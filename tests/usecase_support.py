"""What the use-case tests share: a migrated database that counts its transactions, the
content, and a user brought to a scheduled routine through the use cases alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.content import Content, load_content
from bot.domain.triage import AgeBand, ScreenAnswer, Tier, Verdict
from bot.storage import migrate
from bot.storage.db import Database
from bot.usecases import onboarding, schedule

# Saturday 21 November 2026, 06:00 in Berlin (the e2e tests' start).
NOW = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
ANA = 1001


class CountingDatabase(Database):
    """The bot's Database, counting the units of work it hands out (ORM or Core, writing or
    only reading)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.transactions = 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        self.transactions += 1
        async with super().transaction() as session:
            yield session

    @asynccontextmanager
    async def core_transaction(self) -> AsyncIterator[AsyncConnection]:
        self.transactions += 1
        async with super().core_transaction() as connection:
            yield connection

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        self.transactions += 1
        async with super().reading() as session:
            yield session


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[CountingDatabase]:
    database = CountingDatabase(database_url)
    await migrate.upgrade(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


async def scheduled_user(
    db: Database, content: Content, user_id: int = ANA, now: datetime = NOW
) -> None:
    """/start, no red flags, the desk routine at 07:30 in Berlin."""
    await reach_quiz(db, content, user_id, now)
    await schedule.set_schedule(
        db,
        user_id,
        now,
        routine_id="desk-hips",
        reminder_time=time(7, 30),
        timezone="Europe/Berlin",
    )


async def reach_quiz(
    db: Database, content: Content, user_id: int = ANA, now: datetime = NOW
) -> onboarding.QuizStep:
    """/start, "I agree", an adult, "no" at every red-flag tier: the quiz's first question."""
    await onboarding.start(db, user_id, user_id, now, content)
    await onboarding.agree_privacy(db, user_id, now, content)
    step = await onboarding.answer_age(db, user_id, AgeBand.ADULT, now, content)
    for tier in Tier:
        step = await onboarding.answer_red_flags(
            db, user_id, Verdict(tier.value), ScreenAnswer.NO, now, content
        )
    return step
