"""Users who blocked the bot and stayed away RETENTION_DAYS are deleted, every row of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.config import Settings
from bot.storage import claims, migrate, repo
from bot.storage.db import Database
from bot.storage.models import ExerciseChoice, QuizAttempt, Session, User
from tests.conftest import SESSION, onboard, user_row

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
YEAR = timedelta(days=365)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await migrate.upgrade(database.engine)
    try:
        yield database
    finally:
        await database.dispose()


async def add_user_with_rows(db: Database, user_id: int) -> None:
    async with db.transaction() as s:
        await repo.add_user(s, user_id, user_id, T0)
        s.add(QuizAttempt(user_id=user_id, answers="yynnn", started_at=T0, finished_at=T0))
        s.add(
            Session(
                user_id=user_id,
                day=date(2026, 1, 5),
                routine_id="desk-hips",
                status="done",
                due_at=T0,
                pain=3,
                note="sore",
            )
        )
        s.add(
            ExerciseChoice(
                user_id=user_id,
                slot="glute-bridge",
                exercise_id="glute-bridge",
                level=2,
                changed_at=T0,
            )
        )


async def block(db: Database, user_id: int, at: datetime | None) -> None:
    async with db.transaction() as s:
        await repo.set_inactive(s, user_id, at)


async def sweep(db: Database, now: datetime, limit: int = 500) -> int:
    async with db.transaction() as s:
        return await claims.delete_long_inactive(s, now, YEAR, limit)


async def rows_of(db: Database, user_id: int) -> dict[str, int]:
    async with db.transaction() as s:
        return {table: len(rows) for table, rows in (await repo.user_rows(s, user_id)).items()}


async def since(db: Database, user_id: int) -> datetime | None:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return user.inactive_since


async def test_a_user_inactive_for_the_retention_time_loses_every_row(store):
    for user_id in (1, 2, 3):
        await add_user_with_rows(store, user_id)
    await block(store, 1, T0)  # blocked a year ago
    await block(store, 2, T0 + timedelta(days=200))  # blocked more recently
    # user 3 never blocked the bot
    assert await sweep(store, T0 + YEAR - timedelta(seconds=1)) == 0
    assert await sweep(store, T0 + YEAR) == 1
    assert await rows_of(store, 1) == {
        "users": 0,
        "sessions": 0,
        "quiz_attempts": 0,
        "exercise_choices": 0,
    }
    assert (await rows_of(store, 2))["sessions"] == 1
    assert (await rows_of(store, 3))["sessions"] == 1
    assert await sweep(store, T0 + timedelta(days=200) + YEAR) == 1
    assert (await rows_of(store, 2))["users"] == 0
    assert (await rows_of(store, 3))["users"] == 1


async def test_a_block_without_a_date_starts_its_time_at_the_first_sweep(store):
    await add_user_with_rows(store, 1)
    await block(store, 1, None)  # e.g. blocked before the date was recorded
    first = T0 + timedelta(days=30)
    assert await sweep(store, first) == 0
    assert await since(store, 1) == first
    assert await sweep(store, first + YEAR - timedelta(days=1)) == 0
    assert await sweep(store, first + YEAR) == 1


async def test_blocking_again_keeps_the_first_date_and_coming_back_stops_the_clock(store):
    await add_user_with_rows(store, 1)
    await block(store, 1, T0)
    await block(store, 1, T0 + timedelta(days=100))  # a second failed send: still blocked
    assert await since(store, 1) == T0
    async with store.transaction() as s:  # /start: they are back
        user = await repo.get_user(s, 1)
        assert user is not None
        user.active = True
    assert await sweep(store, T0 + 2 * YEAR) == 0  # active users are never deleted
    await block(store, 1, T0 + 2 * YEAR)  # blocked once more: the time starts again
    assert await since(store, 1) == T0 + 2 * YEAR


async def test_a_sweep_deletes_at_most_a_batch_longest_inactive_first(store):
    for user_id in (1, 2, 3):
        await add_user_with_rows(store, user_id)
        await block(store, user_id, T0 + timedelta(days=user_id))
    assert await sweep(store, T0 + 2 * YEAR, limit=2) == 2
    assert (await rows_of(store, 3))["users"] == 1
    assert await sweep(store, T0 + 2 * YEAR, limit=2) == 1


def test_the_retention_time_is_a_setting_of_365_days_by_default():
    assert Settings(_env_file=None).retention == timedelta(days=365)
    assert Settings(_env_file=None, retention_days=30).retention == timedelta(days=30)
    with pytest.raises(ValueError, match="retention_days"):
        Settings(_env_file=None, retention_days=0)


async def test_the_delivery_tick_deletes_a_user_who_blocked_the_bot_a_year_ago(
    bot, clock, telegram, db, ana
):
    ben = telegram.user(2002, "Ben")
    await onboard(ana)
    await onboard(ben)
    telegram.fail(
        "sendMessage",
        status=403,
        description="Forbidden: bot was blocked by the user",
        chat_id=ana.chat_id,
    )
    clock.advance(timedelta(hours=1, minutes=30))  # 07:30: the sessions are due
    await ben.wait_for_text(SESSION)
    await bot.tick()
    blocked_at = clock.now
    user = await user_row(db, ana.chat_id)
    assert user is not None and not user.active and user.inactive_since == blocked_at
    clock.advance(YEAR - timedelta(hours=1))
    await bot.tick()
    assert await user_row(db, ana.chat_id) is not None  # not quite a year yet
    clock.advance(timedelta(hours=1))
    await bot.tick()
    assert await user_row(db, ana.chat_id) is None
    assert await rows_of(db, ana.chat_id) == {
        "users": 0,
        "sessions": 0,
        "quiz_attempts": 0,
        "exercise_choices": 0,
    }
    ben_row = await user_row(db, ben.chat_id)
    assert ben_row is not None and ben_row.active and ben_row.reminder_time == time(7, 30)
