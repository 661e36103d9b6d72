"""Typed text and /cancel, /deletedata, and a user who blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.schedule import BadTime, parse_time
from bot.domain.states import Awaiting
from bot.domain.zones import ClockMatch, read_zone
from bot.places import Places
from bot.storage import repo
from bot.storage.db import Database
from bot.usecases.common import NeedsSetup, locked_user
from bot.usecases.schedule import SetupStep, next_setup_step
from bot.usecases.sessions import save_note

MAX_TEXT = 200  # longer text is never a time or a zone name
NOTE_LENGTH = 200  # the notes column's size


async def cancel(db: Database, user_id: int) -> bool:
    """Stop waiting for typed input; False when nothing was awaited."""
    try:
        async with locked_user(db, user_id) as (_, user):
            waiting = user.awaiting is not None
            user.awaiting = None
            return waiting
    except NeedsSetup:
        return False


@dataclass(frozen=True, slots=True)
class NotAwaited:
    """Text the bot did not ask for."""


@dataclass(frozen=True, slots=True)
class NotATime:
    pass


@dataclass(frozen=True, slots=True)
class NotAZone:
    suggestion: str | None  # the zone the text probably meant


@dataclass(frozen=True, slots=True)
class NoteTooLong:
    pass


@dataclass(frozen=True, slots=True)
class NoteSaved:
    saved: bool  # False: the session it was asked for is gone


TypedOutcome = NotAwaited | NotATime | NotAZone | ClockMatch | NoteTooLong | NoteSaved | SetupStep


async def typed_text(
    db: Database,
    user_id: int,
    text: str,
    now: datetime,
    zones: frozenset[str],
    places: Places | None = None,
) -> TypedOutcome:
    """Take typed text as what the bot is waiting for: a time, a zone or a note. At the zone
    question a city counts too, and a time is the user's clock now (the zones it fits)."""
    try:
        async with locked_user(db, user_id) as (s, user):
            awaiting = user.awaiting
            if awaiting == Awaiting.TIME and len(text) <= MAX_TEXT:
                try:
                    user.reminder_time = parse_time(text)
                except BadTime:
                    return NotATime()
                return await next_setup_step(s, user, now)
            if awaiting == Awaiting.ZONE and len(text) <= MAX_TEXT:
                aliases, common = (places.aliases, places.common) if places else ({}, ())
                match = read_zone(text, now, zones, aliases, common)
                if isinstance(match, ClockMatch):
                    return match  # still awaiting the zone: a tap on one of them, or text
                if match.zone is None:
                    return NotAZone(match.suggestion)
                user.timezone = match.zone
                return await next_setup_step(s, user, now)
            if awaiting == Awaiting.NOTE:
                if len(text) > NOTE_LENGTH:
                    return NoteTooLong()
                return NoteSaved(await save_note(s, user, text))
            return NotAwaited()
    except NeedsSetup:
        return NotAwaited()


async def delete_data(db: Database, user_id: int) -> None:
    """Remove every row of the user (never anyone else's)."""
    async with db.transaction() as s:
        await repo.delete_user(s, user_id)


async def user_blocked(db: Database, user_id: int) -> None:
    """Telegram says the user blocked the bot: stop their reminders until /start."""
    async with db.transaction() as s:
        await repo.set_inactive(s, user_id)
