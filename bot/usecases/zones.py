"""Finding the time zone without its name: the zone at a shared location, looked up offline
(bot/zonefinder.py). Nothing is stored until the user confirms it with a tap; the location
itself is never stored."""

from __future__ import annotations

from bot.domain.zones import BadLocation
from bot.storage.db import Database
from bot.usecases.common import locked_user
from bot.zonefinder import ZoneFinder


async def zone_at_location(
    db: Database, finder: ZoneFinder | None, user_id: int, latitude: float, longitude: float
) -> str | None:
    """The zone to offer for a shared location; None when there is none (at sea, off the
    map). Refused for someone who never started (NeedsSetup)."""
    async with locked_user(db, user_id):
        pass  # only a user who started: the lookup runs after, so no row is held meanwhile
    if finder is None:
        return None
    try:
        return await finder.locate(latitude, longitude)  # a worker thread: the first one loads
    except BadLocation:
        return None
