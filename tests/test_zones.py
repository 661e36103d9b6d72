"""Typed time zones: tolerant of case and spaces, with a suggestion on a typo."""

from zoneinfo import available_timezones

import pytest

from bot.domain.zones import match_zone, usable_zones

ZONES = usable_zones(available_timezones())


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  AMERICA/NEW_YORK ", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("Kolkata", "Asia/Kolkata"),
        ("utc", "UTC"),
    ],
)
def test_exact_names_match_whatever_the_case(typed, zone):
    assert match_zone(typed, ZONES).zone == zone


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("America/NewYork", "America/New_York"),
        ("Tokio", "Asia/Tokyo"),
    ],
)
def test_a_typo_gets_the_nearest_zone_as_a_suggestion(typed, suggestion):
    match = match_zone(typed, ZONES)
    assert (match.zone, match.suggestion) == (None, suggestion)


@pytest.mark.parametrize("typed", ["", "   ", "qqqqqqqqqq", "🙂"])
def test_nonsense_matches_nothing(typed):
    assert match_zone(typed, ZONES) == match_zone("", ZONES)


def test_internal_zone_folders_are_hidden():
    assert not any(z.startswith(("posix/", "right/")) for z in ZONES)
    assert "Europe/Berlin" in ZONES
