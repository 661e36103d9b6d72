"""Find an IANA time zone from what a user typed: exact, by city, or a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

_HIDDEN_PREFIXES = ("posix/", "right/", "SystemV/")
_HIDDEN = {"Factory", "localtime", "posixrules"}


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    zone: str | None  # the zone meant, when there is no doubt
    suggestion: str | None = None  # the nearest zone, when there is


def usable_zones(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in names if n not in _HIDDEN and not n.startswith(_HIDDEN_PREFIXES))


def match_zone(text: str, zones: frozenset[str]) -> ZoneMatch:
    """Match ignoring case and spaces ("new york" finds America/New_York); else suggest."""
    wanted = "_".join(text.strip().split()).lower()
    if not wanted:
        return ZoneMatch(None)
    by_name = {z.lower(): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in sorted(zones):
        by_city.setdefault(zone.rsplit("/", 1)[-1].lower(), zone)
    if found := by_name.get(wanted) or by_city.get(wanted):
        return ZoneMatch(found)
    close = difflib.get_close_matches(wanted, [*by_name, *by_city], n=1, cutoff=0.6)
    if not close:
        return ZoneMatch(None)
    return ZoneMatch(None, by_name.get(close[0]) or by_city[close[0]])
