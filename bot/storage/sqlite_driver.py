"""SQLite through aiosqlite with one trip to its thread per statement.

aiosqlite runs every call on a thread of its own; SQLAlchemy's adapter makes four such calls
per statement (open a cursor, execute, fetch the rows, close the cursor), and each trip costs
a queue hand-off, a thread wake-up and a wake-up of the event loop: about 100 µs of CPU on the
benchmark machine, more than the statement itself. This adapter does the four in one call on
that thread, so a quiz press's transaction makes three trips instead of nine
(docs/BENCHMARKS.md). Everything else (the connection, commits, errors, SQLAlchemy's
behaviour) is the stock `sqlite+aiosqlite` dialect's.

It reaches into aiosqlite's worker (`Connection._execute`, `Connection._conn`), which is not
public API; `module()` falls back to the stock adapter when a release no longer has them, and
tests/test_sqlite_driver.py checks the one trip per statement.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

# (description, rows, rowcount, lastrowid) of one statement, read on aiosqlite's thread.
_Outcome = tuple[Any, list[Any], int, int | None]


def _execute(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """On aiosqlite's thread: the whole statement, cursor opened and closed around it."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        driver = self._connection
        try:
            description, rows, rowcount, lastrowid = self.await_(
                driver._execute(_execute, driver._conn, operation, parameters, many)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = description
        self._rows = deque(rows)
        self.rowcount, self.lastrowid = rowcount, lastrowid

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, () if parameters is None else parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(operation, seq_of_parameters, many=True)


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return _Cursor(self)

    # sqlite3 begins a transaction at the first write; with none open, its commit and rollback
    # do nothing, so a unit of work that only read makes no trip to end it. `in_transaction`
    # is read here, between statements, while aiosqlite's thread is idle for this connection.
    def commit(self) -> None:
        if self._connection.in_transaction:
            super().commit()

    def rollback(self) -> None:
        if self._connection.in_transaction:
            super().rollback()


class _Dbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        stock = super().connect(*arg, **kw)
        if type(stock) is not AsyncAdapt_aiosqlite_connection:  # the sync fallback: leave it
            return stock
        return _Connection(self, stock._connection)


def module() -> AsyncAdapt_aiosqlite_dbapi:
    """The DB-API module for `create_async_engine(..., module=...)`: this adapter where
    aiosqlite still has the worker it uses, else the stock one."""
    fast = all(hasattr(aiosqlite.Connection, name) for name in ("_execute", "_conn"))
    return (_Dbapi if fast else AsyncAdapt_aiosqlite_dbapi)(aiosqlite, sqlite3)
