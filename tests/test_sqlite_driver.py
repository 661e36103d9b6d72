"""The SQLite adapter under the bot's engine: one trip to aiosqlite's thread per statement,
none to end a unit of work that only read, and SQLAlchemy's behaviour unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.storage import sqlite_driver
from bot.storage.db import Database
from bot.storage.models import User
from tests.usecase_support import NOW

Trips = list[str]


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with db.engine.begin() as c:
        await c.run_sync(User.metadata.create_all)
    yield db
    await db.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> Trips:
    """The name of every function sent to an aiosqlite thread, in order."""
    sent: Trips = []
    original: Callable[..., Any] = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return sent


def user_row(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "chat_id": user_id, "created_at": NOW, "active": True}


async def test_a_statement_is_one_trip_and_a_write_ends_with_its_commit(
    database: Database, trips: Trips
) -> None:
    async with database.transaction() as s:  # warm the pool: connecting is not counted
        await s.execute(select(User.id))
    trips.clear()
    async with database.core_transaction() as c:
        await c.execute(insert(User).values(user_row(1)))
        changed = await c.execute(update(User).where(User.id == 1).values(language="de"))
        assert changed.rowcount == 1
        assert (await c.execute(select(User.language))).scalar_one() == "de"
    assert trips == ["_execute", "_execute", "_execute", "commit"]


async def test_a_unit_of_work_that_only_read_ends_without_a_trip(
    database: Database, trips: Trips
) -> None:
    async with database.transaction() as s:
        s.add(User(**user_row(1)))
    trips.clear()
    async with database.reading() as s:
        assert await s.scalar(select(User.id)) == 1
    async with database.transaction() as s:
        assert await s.scalar(select(User.id)) == 1
    assert trips == ["_execute", "_execute"]  # no commit, no rollback


async def test_results_and_errors_are_as_sqlalchemy_gives_them(database: Database) -> None:
    async with database.core_transaction() as c:
        inserted = await c.execute(
            insert(User).returning(User.id), [user_row(5), user_row(6), user_row(7)]
        )
        assert sorted(inserted.scalars()) == [5, 6, 7]
        many = await c.execute(
            update(User).where(User.id == bindparam("uid")).values(active=False),
            [{"uid": 5}, {"uid": 6}],
        )
        assert many.rowcount == 2
    with pytest.raises(IntegrityError):  # the same id twice
        async with database.core_transaction() as c:
            await c.execute(insert(User).values(user_row(5)))
    with pytest.raises(OperationalError):
        async with database.core_transaction() as c:
            await c.execute(text("SELECT * FROM no_such_table"))
    async with database.reading() as s:  # the failed transactions left nothing behind
        assert (await s.scalars(select(User.id).order_by(User.id))).all() == [5, 6, 7]


async def fail_after_writing(database: Database) -> None:
    async with database.transaction() as s:
        s.add(User(**user_row(9)))
        await s.flush()
        raise RuntimeError("the use case failed after writing")


async def test_a_rolled_back_write_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError):
        await fail_after_writing(database)
    async with database.reading() as s:
        assert await s.scalar(select(User.id)) is None


def test_without_aiosqlite_s_worker_the_stock_adapter_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert type(sqlite_driver.module()) is not AsyncAdapt_aiosqlite_dbapi
    monkeypatch.delattr(aiosqlite.Connection, "_execute")
    assert type(sqlite_driver.module()) is AsyncAdapt_aiosqlite_dbapi
