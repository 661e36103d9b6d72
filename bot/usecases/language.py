"""The language a user reads: the stored choice, and switching it (/language, Settings)."""

from __future__ import annotations

from bot.storage import repo
from bot.storage.db import Database
from bot.usecases.common import locked_user


async def language_of(db: Database, user_id: int) -> str | None:
    """The user's stored language; None when they have no row or never had one stored."""
    async with db.reading() as s:  # on every update: the cheapest read there is
        return await repo.user_language(s, user_id)


async def set_language(db: Database, user_id: int, code: str) -> None:
    """Store the user's language; the next message is written in it."""
    async with locked_user(db, user_id) as (_, user):
        user.language = code
