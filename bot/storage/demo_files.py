"""Repository of uploaded demonstrations: (content hash, bot id) → Telegram file_id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import DemoFile


async def file_id(s: AsyncSession, content_hash: str, bot_id: int) -> str | None:
    """The file_id this bot got for the demonstration with `content_hash`, if uploaded."""
    row = await s.get(DemoFile, (content_hash, bot_id))
    return None if row is None else row.file_id


async def remember(
    s: AsyncSession, content_hash: str, bot_id: int, file_id: str, now: datetime
) -> None:
    """Store (or replace) the file_id of an upload."""
    row = await s.get(DemoFile, (content_hash, bot_id))
    if row is None:
        s.add(DemoFile(content_hash=content_hash, bot_id=bot_id, file_id=file_id, uploaded_at=now))
    else:
        row.file_id, row.uploaded_at = file_id, now
