"""content/places.yaml: city names that aren't in any zone id, and the common zones offered
after "type your local time now" (bot/domain/zones.py uses both)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.domain.zones import fold


class PlacesError(ValueError):
    """A fault in places.yaml; the message names the entry."""

    file = "places.yaml"


@dataclass(frozen=True, slots=True)
class Places:
    aliases: Mapping[str, str]  # a city as people type it -> its IANA zone
    common: tuple[str, ...]  # zones to offer first, in order


def parse_places(data: Any, zones: Iterable[str]) -> Places:
    """Validate: every zone exists, no city is listed twice (ignoring case and accents) or
    shadows a zone's own city, no common zone twice."""
    zones = frozenset(zones)
    if not isinstance(data, dict) or set(data) != {"aliases", "common"}:
        raise PlacesError("expected exactly 'aliases' (a mapping) and 'common' (a list)")
    aliases, common = data["aliases"], data["common"]
    if not isinstance(aliases, dict) or not isinstance(common, list):
        raise PlacesError("expected exactly 'aliases' (a mapping) and 'common' (a list)")
    cities = {fold(zone.rsplit("/", 1)[-1]) for zone in zones}
    seen: set[str] = set()
    for city, zone in aliases.items():
        if not isinstance(city, str) or not isinstance(zone, str) or zone not in zones:
            raise PlacesError(f"aliases '{city}': unknown time zone '{zone}'")
        key = fold(city)
        if key in seen:
            raise PlacesError(f"aliases '{city}': listed twice")
        if key in cities:
            raise PlacesError(f"aliases '{city}': already the city of a zone id; remove it")
        seen.add(key)
    for zone in common:
        if not isinstance(zone, str) or zone not in zones:
            raise PlacesError(f"common '{zone}': unknown time zone")
    if len(set(common)) != len(common):
        raise PlacesError("common: a zone is listed twice")
    return Places(MappingProxyType(dict(aliases)), tuple(common))
