"""The database handle: one engine per process, one transaction per unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000


class Database:
    """Owns the engine and hands out transactions; created in post_init, closed at shutdown."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        # A ping before every checkout guards against a server that dropped the connection;
        # a SQLite file cannot, and the ping was an extra round trip per transaction.
        sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = create_async_engine(
            url,
            echo=echo,
            pool_pre_ping=not sqlite,
            # A connection goes back to the pool with a rollback, one more trip to SQLite's
            # thread per transaction even after a commit: there, only when one is open.
            **({"pool_reset_on_return": None} if sqlite else {}),
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _configure_sqlite)
            event.listen(self.engine.sync_engine, "reset", _rollback_if_open)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Commit when the block succeeds, roll back when it raises."""
        async with self._sessions.begin() as session:
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that only reads: nothing to commit, so no commit is sent (the
        connection's return to the pool ends whatever the read began)."""
        async with self._sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _rollback_if_open(dbapi_connection: Any, _record: Any, _state: Any = None) -> None:
    """The pool's reset for SQLite: roll back a connection returned inside a transaction
    (`in_transaction` is read without a trip to the driver's thread)."""
    driver = getattr(dbapi_connection, "_connection", None)
    if driver is None or getattr(driver, "in_transaction", True):
        dbapi_connection.rollback()


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; the busy timeout makes a locked database wait
    # instead of failing; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
