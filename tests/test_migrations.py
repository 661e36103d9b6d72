"""Migrations are the only schema source: they build the models' schema exactly, both ways."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.config import normalize_database_url
from bot.storage import migrate
from bot.storage.db import Database
from bot.storage.models import Base
from tests.conftest import POSTGRES_URL, empty_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def url(request: pytest.FixtureRequest, tmp_path) -> str:
    """An empty database of each kind, whichever the suite as a whole runs on."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    url = normalize_database_url(POSTGRES_URL)
    await empty_postgres(url)
    return url


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_upgraded_database_matches_the_models_exactly(url):
    db = Database(url)
    try:
        await migrate.upgrade(db.engine)
        async with db.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            assert await connection.run_sync(tables) == set(Base.metadata.tables)
    finally:
        await db.dispose()


async def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(url):
    db = Database(url)
    try:
        await migrate.upgrade(db.engine)
        await migrate.downgrade(db.engine, "base")
        async with db.engine.connect() as connection:
            assert await connection.run_sync(tables) == set()
        await migrate.upgrade(db.engine)
        async with db.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await db.dispose()


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        async with db.engine.connect() as connection:
            mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            timeout = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (mode, timeout) == ("wal", 10_000)
    finally:
        await db.dispose()


async def test_007_asks_an_old_flag_again_in_tiers_and_records_no_consent_never_given(url):
    db = Database(url)
    try:
        await migrate.upgrade(db.engine, "006")
        async with db.engine.begin() as connection:
            for user_id, screen in ((1, "flagged"), (2, "clear"), (3, "cleared"), (4, "pending")):
                await connection.execute(
                    text(
                        "INSERT INTO users (id, chat_id, created_at, active, screen, days) "
                        "VALUES (:id, :id, :at, :active, :screen, 127)"
                    ),
                    {"id": user_id, "at": datetime(2026, 1, 1), "active": True, "screen": screen},
                )
        await migrate.upgrade(db.engine)
        async with db.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT id, screen, privacy_agreed_at, age_band, cleared_at FROM users")
                )
            ).all()
        assert sorted(rows) == [
            (1, "pending", None, None, None),  # the old list's flag: the tiers ask again
            (2, "clear", None, None, None),
            (3, "cleared", None, None, None),
            (4, "pending", None, None, None),
        ]
        await migrate.downgrade(db.engine, "006")  # and back, the tiers folded into the old four
    finally:
        await db.dispose()
