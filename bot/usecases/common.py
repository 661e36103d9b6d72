"""What every use case shares: the application's dependencies, the one transaction with the
user's row locked, and the two refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.content import Content
from bot.domain.schedule import local_date
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import User
from bot.zonefinder import ZoneFinder

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Deps:
    """What every handler and job needs, built once per application."""

    settings: Settings
    content: Content
    db: Database
    clock: Clock
    zones: frozenset[str]
    finder: ZoneFinder | None = None  # a shared location to its zone (None: not offered)


class Refused(Exception):
    """The action cannot run for this user now; nothing was changed."""


class NeedsSetup(Refused):
    """The user has no row (never started, or deleted their data): /start comes first."""


class Expired(Refused):
    """The button belongs to something that has moved on (an older step, day or screen)."""


@asynccontextmanager
async def locked_user(db: Database, user_id: int) -> AsyncIterator[tuple[AsyncSession, User]]:
    """The one transaction of a use case, with the user's row locked before anything else.

    The lock holds the user's other updates (on any instance) until this one commits.
    """
    async with db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            raise NeedsSetup
        yield s, user


class Zoned(Protocol):
    """Anything that names a user's time zone: an ORM `User`, or a row the dispatcher claimed."""

    @property
    def timezone(self) -> str | None: ...


def zone_of(user: Zoned) -> ZoneInfo:
    return ZoneInfo(user.timezone or "UTC")


def today_of(user: User, now: datetime) -> date:
    return local_date(now, zone_of(user))
