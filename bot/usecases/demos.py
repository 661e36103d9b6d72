"""The demonstrations' use cases: which exercises "👀 Show me" shows, and the file_id Telegram
gave each uploaded animation (stored per bot, so each is uploaded once)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from bot.content import Content
from bot.domain.rules import Liveness
from bot.domain.variants import PlanStep
from bot.storage import demo_files
from bot.storage.db import Database
from bot.usecases.common import Expired, locked_user
from bot.usecases.figures import plan_of
from bot.usecases.sessions import live_session


async def show_me(
    db: Database, user_id: int, day: date, now: datetime, content: Content
) -> tuple[PlanStep, ...]:
    """The exercises of `day`'s session as this user does them (its buttons must still act)."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.RECENT)
        routine = content.routines.get(session.routine_id)
        if routine is None:
            raise Expired
        return tuple(await plan_of(s, user_id, routine))


async def uploaded_file_id(db: Database, content_hash: str, bot_id: int) -> str | None:
    """The file_id this bot got for the demonstration with `content_hash`, if it uploaded it."""
    async with db.transaction() as s:
        return await demo_files.file_id(s, content_hash, bot_id)


async def remember_upload(
    db: Database, content_hash: str, bot_id: int, file_id: str, now: datetime
) -> None:
    """Store an upload's file_id; a concurrent send that stored it first wins, harmlessly."""
    try:
        async with db.transaction() as s:
            await demo_files.remember(s, content_hash, bot_id, file_id, now)
    except IntegrityError:
        pass
