"""Find a user's IANA time zone without them knowing IANA names: from what they typed (a zone,
a city, a common name for a city), from the local time they read off their clock, or from a
shared location (looked up by bot.zonefinder)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import BadTime, parse_time

_HIDDEN_PREFIXES = ("posix/", "right/", "SystemV/")
_HIDDEN = {"Factory", "localtime", "posixrules"}
# Offsets in use on Earth run from UTC-12:00 to UTC+14:00, in steps of 15 minutes.
EARLIEST_OFFSET = timedelta(hours=-12)
LATEST_OFFSET = timedelta(hours=14)
OFFSET_STEP = timedelta(minutes=15)
SHORT_LIST = 6


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    zone: str | None  # the zone meant, when there is no doubt
    suggestion: str | None = None  # the nearest zone, when there is


def usable_zones(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in names if n not in _HIDDEN and not n.startswith(_HIDDEN_PREFIXES))


def fold(text: str) -> str:
    """Fold case, accents, and the spaces, underscores, hyphens and dots between words:
    "São Paulo", "sao_paulo" and "SAO-PAULO" are all "sao paulo"."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"['’`]", "", folded)
    return " ".join(re.sub(r"[\s_.\-]+", " ", folded).split())


def match_zone(
    text: str, zones: frozenset[str], aliases: Mapping[str, str] | None = None
) -> ZoneMatch:
    """Match a zone name ("europe/berlin"), a zone's city ("new york", "São Paulo") or a common
    name for a city whose name isn't in the zone id (`aliases`: "Munich" → Europe/Berlin),
    ignoring case, accents, spaces and hyphens; else suggest the nearest of them."""
    wanted = fold(text)
    if not wanted:
        return ZoneMatch(None)
    by_name = {fold(z): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in sorted(zones):
        by_city.setdefault(fold(zone.rsplit("/", 1)[-1]), zone)
    by_alias = {fold(city): zone for city, zone in (aliases or {}).items() if zone in zones}
    for table in (by_name, by_city, by_alias):
        if found := table.get(wanted):
            return ZoneMatch(found)
    names = {**by_alias, **by_city, **by_name}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return ZoneMatch(None, names[close[0]]) if close else ZoneMatch(None)


def offsets_for_local_time(local: time, now: datetime) -> tuple[timedelta, ...]:
    """The UTC offsets at which a clock reads `local` at the instant `now`.

    The difference is rounded to the nearest 15 minutes (the time was read and typed a little
    before `now`). Offsets run from -12:00 to +14:00, so a difference of 13 hours may be +13:00
    or -11:00 (the other side of the date line): both are returned, the eastern one first.
    """
    utc = now.astimezone(UTC)
    typed = timedelta(hours=local.hour, minutes=local.minute)
    clock = timedelta(hours=utc.hour, minutes=utc.minute, seconds=utc.second)
    steps = round((typed - clock) / OFFSET_STEP)
    day = timedelta(days=1)
    east = (steps * OFFSET_STEP) % day
    return tuple(o for o in (east, east - day) if EARLIEST_OFFSET <= o <= LATEST_OFFSET)


def zones_at_offsets(
    offsets: Sequence[timedelta],
    now: datetime,
    common: Sequence[str],
    zones: Iterable[str] = (),
    limit: int = SHORT_LIST,
) -> tuple[str, ...]:
    """A short list of zones whose clocks are at one of `offsets` at `now` (daylight saving
    included): the `common` ones, in their order; only when none of those fits, any of
    `zones` (not the bare-offset Etc/ ones), alphabetically."""

    def fits(zone: str) -> bool:
        offset = now.astimezone(ZoneInfo(zone)).utcoffset()
        return offset in offsets

    found = [zone for zone in common if fits(zone)]
    if not found:
        found = [z for z in sorted(zones) if "/" in z and not z.startswith("Etc/") and fits(z)]
    return tuple(found[:limit])


def format_offset(offset: timedelta) -> str:
    """ "UTC+02:00", "UTC-03:30", "UTC+00:00"."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


class BadLocation(ValueError):
    """Coordinates that are not on Earth."""


def check_location(latitude: float, longitude: float) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadLocation(f"{latitude}, {longitude}")


def usable_found_zone(found: str | None, zones: frozenset[str]) -> str | None:
    """A zone looked up from a location, if it is one to offer: at sea the lookup gives a bare
    offset zone (Etc/GMT+2), which would confuse more than help."""
    if found is None or found.startswith("Etc/") or found not in zones:
        return None
    return found


@dataclass(frozen=True, slots=True)
class ClockMatch:
    """A typed local time: the UTC offsets it fits now, and a short list of zones there."""

    offsets: tuple[timedelta, ...]
    zones: tuple[str, ...]


def read_zone(
    text: str,
    now: datetime,
    zones: frozenset[str],
    aliases: Mapping[str, str],
    common: Sequence[str],
) -> ZoneMatch | ClockMatch:
    """What was typed at the zone question: a time ("18:40") is the clock where the user is
    now, anything else a zone or a city (see `match_zone`)."""
    try:
        local = parse_time(text)
    except BadTime:
        return match_zone(text, zones, aliases)
    offsets = offsets_for_local_time(local, now)
    return ClockMatch(offsets, zones_at_offsets(offsets, now, common, zones))
