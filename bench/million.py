"""Start-up with 1,000,000 scheduled users: a SQLite file written by raw SQL, cached per day.

The file is generated once (a recursive CTE inside SQLite, a few seconds) under the temp
folder and copied for each run, so the bot never changes the cached copy.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import ROUTINES, ZONES, Due, FakeApiProcess, make_database
from bench.runs import Sizes, start_process

CACHE = Path(tempfile.gettempdir()) / "hipcheck-bench-cache"
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"


async def million(api: FakeApiProcess, work: Path, sizes: Sizes) -> dict[str, Any]:
    """Time to the first getUpdates and memory of `python -m bot` over `million_users` users."""
    cached = await cached_database(sizes.million_users)
    db_path = work / "million.db"
    await asyncio.to_thread(shutil.copyfile, cached, db_path)
    result = await start_process(api, ["-m", "bot"], db_path, sizes.settle_s)
    return {"users": sizes.million_users, **result}


async def cached_database(users: int) -> Path:
    """The cached file for today and this schema, written when missing."""
    now = datetime.now(UTC)
    schema = "-".join(sorted(p.stem.split("_")[0] for p in MIGRATIONS.glob("*.py")))
    path = CACHE / f"users-{users}-{now:%Y%m%d}-{schema}.db"
    if not path.exists():
        await asyncio.to_thread(CACHE.mkdir, parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        await make_database(partial, Due(0), now)  # migrated and empty
        await asyncio.to_thread(_fill, partial, users, now)
        await asyncio.to_thread(partial.replace, path)
    return path


def _fill(path: Path, users: int, now: datetime) -> None:
    """`users` rows in one statement: each due once a day, over the day after tomorrow."""
    base = (now + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    routines = ",".join(f"'{r}'" for r in ROUTINES)
    zones = ",".join(f"'{z}'" for z in ZONES)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :users - 1)
            INSERT INTO users (id, chat_id, created_at, active, screen, routine_id,
                               reminder_time, timezone, next_due_at, days)
            SELECT 1000000 + i, 1000000 + i, :created, 1, 'clear',
                   json_extract(json_array({routines}), '$[' || (i % {len(ROUTINES)}) || ']'),
                   printf('%02d:%02d:00.000000', 6 + i % 16, (i / 16 % 4) * 15),
                   json_extract(json_array({zones}), '$[' || (i % {len(ZONES)}) || ']'),
                   strftime('%Y-%m-%d %H:%M:%S', :base, '+' || (i % 86400) || ' seconds')
                       || '.000000',
                   127
            FROM n
            """,
            {
                "users": users,
                "created": f"{now - timedelta(days=30):%Y-%m-%d %H:%M:%S}.000000",
                "base": f"{base:%Y-%m-%d %H:%M:%S}",
            },
        )
        connection.commit()
    finally:
        connection.close()
