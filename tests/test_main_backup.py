"""`python -m bot backup PATH`: a consistent copy of the running SQLite database."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage import migrate
from bot.storage.backup import BackupError, backup_sqlite, sqlite_file
from bot.storage.db import Database
from tests import processes


def wal_database(path: Path) -> sqlite3.Connection:
    """A database in WAL mode, as the bot keeps it, with 100 committed rows."""
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # committed rows stay in the -wal file
    writer.execute("CREATE TABLE ratings (id INTEGER PRIMARY KEY, pain INTEGER)")
    writer.executemany("INSERT INTO ratings (pain) VALUES (?)", [(n % 11,) for n in range(100)])
    return writer


def count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as copy:
        return int(copy.execute("SELECT count(*) FROM ratings").fetchone()[0])


def test_a_backup_taken_while_another_connection_writes_has_every_committed_row(tmp_path):
    source, target = tmp_path / "bot.db", tmp_path / "backup.db"
    writer = wal_database(source)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the bot is mid-write: holds the write lock
        writer.execute("INSERT INTO ratings (pain) VALUES (7)")
        backup_sqlite(source, target)
        writer.execute("COMMIT")
        writer.execute("INSERT INTO ratings (pain) VALUES (3)")  # and carries on afterwards
    finally:
        writer.close()
    assert not (tmp_path / "backup.db-wal").exists()  # one self-contained file
    assert count(target) == 100  # the committed rows, from the WAL too; not the half-written one
    assert count(source) == 102  # the writer was never blocked


def test_a_backup_never_overwrites_a_file(tmp_path):
    source, target = tmp_path / "bot.db", tmp_path / "backup.db"
    wal_database(source).close()
    target.write_bytes(b"last week's backup")
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(source, target)
    assert target.read_bytes() == b"last week's backup"


def test_postgresql_is_pointed_to_pg_dump():
    with pytest.raises(BackupError, match="pg_dump"):
        sqlite_file("postgresql+asyncpg://bot:secret@db.example/hipcheck")


async def run_backup(tmp_path: Path, database_url: str, target: Path) -> tuple[int, str, str]:
    env = processes.bot_env("http://127.0.0.1:9/bot", database_url)
    del env["BOT_TOKEN"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", str(target), cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), errors.decode()


async def test_python_m_bot_backup_needs_no_token_and_copies_the_migrated_database(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    database = Database(url)
    try:
        await migrate.upgrade(database.engine)
        head = await migrate.current_revision(database.engine)
        code, out, errors = await run_backup(tmp_path, url, tmp_path / "copy.db")
    finally:
        await database.dispose()
    assert code == 0, errors
    assert out.startswith("Backed up ") and "copy.db" in out
    restored = Database(f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}")
    try:
        assert await migrate.current_revision(restored.engine) == head
    finally:
        await restored.dispose()


async def test_python_m_bot_backup_on_postgresql_says_to_use_pg_dump_and_fails(tmp_path):
    url = "postgresql://bot:secret@127.0.0.1:9/hipcheck"
    code, out, errors = await run_backup(tmp_path, url, tmp_path / "copy.dump")
    assert code == 1 and out == ""
    assert "pg_dump" in errors and "pg_restore" in errors
    assert "secret" not in errors and "Traceback" not in errors
    assert not (tmp_path / "copy.dump").exists()
