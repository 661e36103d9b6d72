"""Copy every row from one database into another, e.g. from the SQLite file to PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Integer, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import migrate
from bot.storage.db import Database
from bot.storage.models import Base

CHUNK = 1_000


class TargetNotEmptyError(Exception):
    """The target database already holds users; copying would mix two bots' data."""


async def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Bring both databases to the latest schema, then copy every table, parents first.

    The target must be empty. Returns the number of rows copied per table.
    """
    source, target = Database(source_url), Database(target_url)
    try:
        await migrate.upgrade(source.engine)
        await migrate.upgrade(target.engine)
        copied: dict[str, int] = {}
        async with source.engine.connect() as reader, target.engine.begin() as writer:
            for table in Base.metadata.sorted_tables:
                if await writer.scalar(select(func.count()).select_from(table)):
                    raise TargetNotEmptyError(f"the target's {table.name} table is not empty")
            for table in Base.metadata.sorted_tables:
                copied[table.name] = 0
                rows = await reader.stream(select(table).order_by(*table.primary_key.columns))
                async for chunk in rows.mappings().partitions(CHUNK):
                    await writer.execute(table.insert(), [dict(row) for row in chunk])
                    copied[table.name] += len(chunk)
            if writer.dialect.name == "postgresql":
                await _restart_sequences(writer)
        return copied
    finally:
        await source.dispose()
        await target.dispose()


async def _restart_sequences(connection: AsyncConnection) -> None:
    """Rows were inserted with their ids, so move each id sequence past the largest one."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement is not False:
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
                        f" COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
