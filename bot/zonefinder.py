"""A shared location to its time zone, offline, with the timezonefinder package.

Its boundary data ships with the package (timezonefinder-data); nothing is downloaded. Loading
it took 0.5–1.5 s and about 20 MB of memory here (numpy, h3 and the index; a lookup after that
is some 20 µs), so it is loaded on the first location only, and every lookup runs in a worker
thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from bot.domain.zones import check_location, usable_found_zone

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder


class ZoneFinder:
    """One per application; thread-safe. `zones`: the zones the bot accepts."""

    def __init__(self, zones: frozenset[str]) -> None:
        self._zones = zones
        self._finder: TimezoneFinder | None = None
        self._loading = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._finder is not None

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        """The zone at a point, or None (at sea, or outside every zone); blocking."""
        check_location(latitude, longitude)
        return usable_found_zone(self._load().timezone_at(lng=longitude, lat=latitude), self._zones)

    async def locate(self, latitude: float, longitude: float) -> str | None:
        """`zone_at` in a worker thread: the first call loads the data."""
        return await asyncio.to_thread(self.zone_at, latitude, longitude)

    def _load(self) -> TimezoneFinder:
        with self._loading:
            if self._finder is None:
                from timezonefinder import TimezoneFinder  # heavy: numpy, h3, the index

                self._finder = TimezoneFinder()
            return self._finder
