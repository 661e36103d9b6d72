"""Typed time zones: tolerant of case and spaces, with a suggestion on a typo."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import available_timezones

import pytest

from bot.content import load_content
from bot.domain.schedule import parse_time
from bot.domain.zones import (
    BadLocation,
    ClockMatch,
    ZoneMatch,
    format_offset,
    match_zone,
    offsets_for_local_time,
    read_zone,
    usable_zones,
    zones_at_offsets,
)
from bot.zonefinder import ZoneFinder

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


# --- cities, as people type them ---------------------------------------------------------------

ALIASES = load_content().places.aliases


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("SAO-PAULO", "America/Sao_Paulo"),
        ("port au prince", "America/Port-au-Prince"),
        # Cities that are in no zone id, from the alias table (content/places.yaml).
        ("Munich", "Europe/Berlin"),
        ("münchen", "Europe/Berlin"),
        ("MUNCHEN", "Europe/Berlin"),
        ("Mumbai", "Asia/Kolkata"),
        ("new york city", "America/New_York"),
        ("St. Petersburg", "Europe/Moscow"),
        ("san francisco", "America/Los_Angeles"),
    ],
)
def test_a_typed_city_finds_its_zone(typed, zone):
    assert match_zone(typed, ZONES, ALIASES) == ZoneMatch(zone)


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("Berlim", "Europe/Berlin"),
        ("Sidney", "Australia/Sydney"),
        ("Frankfurt am Main", "Europe/Berlin"),
        ("Barcelonа", "Europe/Madrid"),  # a Cyrillic "а" at the end
    ],
)
def test_a_near_miss_of_a_city_gets_a_suggestion(typed, suggestion):
    assert match_zone(typed, ZONES, ALIASES) == ZoneMatch(None, suggestion)


def test_aliases_to_zones_the_bot_does_not_offer_are_ignored():
    match = match_zone("Atlantis", ZONES, {"Atlantis": "Mars/Olympus"})
    assert match.zone is None and match.suggestion != "Mars/Olympus"


# --- "type your local time now" ----------------------------------------------------------------

COMMON = load_content().places.common
SUMMER = datetime(2026, 7, 1, 12, 0, 30, tzinfo=UTC)  # Berlin is on summer time, UTC+2
WINTER = datetime(2026, 1, 15, 12, 0, 30, tzinfo=UTC)  # Berlin is on UTC+1


def short_list(typed: str, now: datetime) -> tuple[str, ...]:
    return zones_at_offsets(offsets_for_local_time(parse_time(typed), now), now, COMMON, ZONES)


def test_the_typed_local_time_gives_the_offset_rounded_to_a_quarter_hour():
    assert offsets_for_local_time(time(14, 0), SUMMER) == (timedelta(hours=2),)
    # Read a few minutes before it was typed: still +2.
    assert offsets_for_local_time(time(14, 7), SUMMER + timedelta(minutes=5)) == (
        timedelta(hours=2),
    )
    assert offsets_for_local_time(time(17, 45), SUMMER) == (timedelta(hours=5, minutes=45),)
    assert offsets_for_local_time(time(8, 30), SUMMER) == (timedelta(hours=-3, minutes=-30),)
    # Past midnight on one side of the date line, not on the other.
    late = datetime(2026, 7, 1, 23, 50, tzinfo=UTC)
    assert offsets_for_local_time(time(1, 50), late) == (timedelta(hours=2),)
    assert offsets_for_local_time(time(20, 50), late) == (timedelta(hours=-3),)


def test_thirteen_hours_ahead_may_also_be_eleven_behind():
    offsets = offsets_for_local_time(time(1, 0), SUMMER)
    assert offsets == (timedelta(hours=13), timedelta(hours=-11))
    listed = zones_at_offsets(offsets, SUMMER, COMMON, ZONES)
    assert "Pacific/Tongatapu" in listed and "Pacific/Pago_Pago" in listed


def test_the_short_list_follows_daylight_saving_on_the_day():
    summer_two = short_list("14:00", SUMMER)
    assert "Europe/Berlin" in summer_two and "Europe/Paris" in summer_two
    assert "Europe/London" not in summer_two
    assert "Europe/London" in short_list("13:00", SUMMER)  # British Summer Time
    winter_one = short_list("13:00", WINTER)
    assert winter_one[0] == "Europe/Berlin"
    assert "Europe/London" not in winter_one
    assert "Europe/Berlin" not in short_list("14:00", WINTER)
    assert "America/New_York" in short_list("08:00", SUMMER)  # UTC-4 in summer
    assert "America/New_York" in short_list("07:00", WINTER)  # UTC-5 in winter
    assert "America/New_York" not in short_list("07:00", SUMMER)
    assert len(short_list("13:00", WINTER)) <= 6


def test_an_offset_without_a_common_zone_falls_back_to_any_zone_there():
    eucla = timedelta(hours=8, minutes=45)
    assert zones_at_offsets((eucla,), WINTER, COMMON, ZONES) == ("Australia/Eucla",)
    assert zones_at_offsets((timedelta(hours=-12),), WINTER, COMMON, ZONES) == ()


def test_offsets_read_as_utc_plus_or_minus_hours_and_minutes():
    assert format_offset(timedelta(hours=2)) == "UTC+02:00"
    assert format_offset(timedelta(hours=-3, minutes=-30)) == "UTC-03:30"
    assert format_offset(timedelta(0)) == "UTC+00:00"


# --- a shared location, offline ---------------------------------------------------------------


@pytest.fixture(scope="module")
def finder() -> ZoneFinder:
    return ZoneFinder(ZONES)


def test_the_zone_data_loads_only_on_the_first_location():
    assert not ZoneFinder(ZONES).loaded


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (40.7128, -74.006, "America/New_York"),
        (-23.55, -46.63, "America/Sao_Paulo"),
        (27.7172, 85.324, "Asia/Kathmandu"),
        (0.0, -30.0, None),  # the middle of the Atlantic: no zone to offer
    ],
)
def test_a_location_resolves_to_its_zone_offline(finder, latitude, longitude, zone):
    assert finder.zone_at(latitude, longitude) == zone


async def test_looking_up_a_location_runs_off_the_event_loop(finder):
    assert await finder.locate(48.8566, 2.3522) == "Europe/Paris"


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 0), (0, 181), (-90.5, 10)])
def test_coordinates_off_the_earth_are_refused(finder, latitude, longitude):
    with pytest.raises(BadLocation):
        finder.zone_at(latitude, longitude)


def test_broken_places_content_names_the_file_and_the_entry(tmp_path):
    import shutil

    import yaml

    from bot.content import DEFAULT_CONTENT_DIR, ContentError

    for change, expected in (
        (lambda d: d["aliases"].update({"Gotham": "America/Gotham"}), "aliases 'Gotham'"),
        (lambda d: d["aliases"].update({"Paris": "Europe/Paris"}), "aliases 'Paris'"),
        (lambda d: d["common"].append("Europe/Atlantis"), "common 'Europe/Atlantis'"),
    ):
        directory = tmp_path / expected.split("'")[1]
        shutil.copytree(DEFAULT_CONTENT_DIR, directory)
        path = directory / "places.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ContentError) as info:
            load_content(directory)
        assert str(info.value).startswith(f"places.yaml: {expected}")


# --- what was typed at the zone question -------------------------------------------------------


def test_a_typed_time_at_the_zone_question_is_the_clock_there_now():
    match = read_zone("14:00", SUMMER, ZONES, ALIASES, COMMON)
    assert isinstance(match, ClockMatch)
    assert match.offsets == (timedelta(hours=2),) and "Europe/Berlin" in match.zones
    winter = read_zone("14:00", WINTER, ZONES, ALIASES, COMMON)
    assert isinstance(winter, ClockMatch) and "Europe/Berlin" not in winter.zones


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Berlin", ZoneMatch("Europe/Berlin")),
        ("munich", ZoneMatch("Europe/Berlin")),
        ("America/New_York", ZoneMatch("America/New_York")),
        ("Berlim", ZoneMatch(None, "Europe/Berlin")),
        ("25:00", ZoneMatch(None)),  # not a time, and no zone's name either
    ],
)
def test_anything_else_typed_at_the_zone_question_is_a_zone_or_a_city(typed, expected):
    assert read_zone(typed, SUMMER, ZONES, ALIASES, COMMON) == expected
