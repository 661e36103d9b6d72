"""`python -m bot backup PATH`: a consistent copy of the SQLite database, taken while it runs.

SQLite's online backup API copies the database as one read transaction sees it: every
committed change, including those still only in the write-ahead log (a plain `cp` of the file
misses them), and nothing half-written. In WAL mode the bot keeps writing meanwhile.
PostgreSQL has its own tool for this, pg_dump.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.db import SQLITE_BUSY_TIMEOUT_MS


class BackupError(Exception):
    """No backup was written; the message says why and what to do."""


PG_DUMP = (
    "DATABASE_URL is PostgreSQL: back it up with its own tool, e.g.\n"
    '  pg_dump --format=custom --file=PATH "$DATABASE_URL"\n'
    'and restore with: pg_restore --clean --dbname "$DATABASE_URL" PATH'
)


def sqlite_file(database_url: str) -> Path:
    """The file behind a SQLite URL; BackupError for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise BackupError(PG_DUMP)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupError(f"cannot back up {url.render_as_string()}: not a SQLite file")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy `source` into the new file `target` (never overwritten); return its page count.

    The copy is written beside the target and renamed when complete, so a file at `target`
    is always a whole backup. It is a self-contained file (no -wal beside it).
    """
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as dst:
        src.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        src.backup(dst)  # all pages in one step: one snapshot, however busy the writer is
        dst.execute("PRAGMA journal_mode=DELETE")
        (check,) = dst.execute("PRAGMA quick_check").fetchone()
        (pages,) = dst.execute("PRAGMA page_count").fetchone()
    if check != "ok":
        partial.unlink()
        raise BackupError(f"the copy failed its integrity check: {check}")
    os.replace(partial, target)
    return int(pages)
