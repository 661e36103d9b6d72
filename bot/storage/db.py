"""The database handle: one engine per process, one transaction per unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage import sqlite_driver

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Inside a SQLite transaction of this task (and of the tasks it starts).
_writing: ContextVar[bool] = ContextVar("writing", default=False)


class Database:
    """Owns the engine and hands out transactions; created in post_init, closed at shutdown."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        # A ping before every checkout guards against a server that dropped the connection;
        # a SQLite file cannot, and the ping was an extra round trip per transaction.
        sqlite = url.startswith("sqlite")
        sqlite_options: dict[str, Any] = {
            # A connection goes back to the pool with a rollback, one more trip to SQLite's
            # thread per transaction even after a commit: there, only when one is open.
            "pool_reset_on_return": None,
            # One trip to aiosqlite's thread per statement instead of four.
            **({"module": sqlite_driver.module()} if "+aiosqlite" in url else {}),
        }
        self.engine: AsyncEngine = create_async_engine(
            url, echo=echo, pool_pre_ping=not sqlite, **(sqlite_options if sqlite else {})
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _configure_sqlite)
            event.listen(self.engine.sync_engine, "reset", _rollback_if_open)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite lets one connection write at a time, and a connection waiting for the lock
        # sleeps in growing steps (1, 2, 5, ... 100 ms): under load, transactions waited
        # hundreds of ms for a lock held for one. Here they queue for it in order instead.
        self._writer = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Commit when the block succeeds, roll back when it raises."""
        async with self._one_writer(), self._sessions.begin() as session:
            yield session

    @asynccontextmanager
    async def core_transaction(self) -> AsyncIterator[AsyncConnection]:
        """A transaction for Core statements, with no ORM session around it: about a third
        less CPU for a short unit of work (a quiz press). `orm_within` adds one if needed."""
        async with self._one_writer(), self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def orm_within(self, connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
        """An ORM session inside `connection`'s transaction: flushed when the block ends,
        committed or rolled back with the transaction, never on its own."""
        session = AsyncSession(bind=connection, expire_on_commit=False)
        try:
            yield session
            await session.flush()
        finally:
            await session.close()

    @asynccontextmanager
    async def _one_writer(self) -> AsyncIterator[None]:
        """On SQLite, wait for the transactions begun before this one (see `_writer`)."""
        if self._writer is None:
            yield
            return
        if _writing.get():  # it would wait for itself, forever
            raise RuntimeError("a transaction was begun inside another one")
        token = _writing.set(True)
        try:
            async with self._writer:
                yield
        finally:
            _writing.reset(token)

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
