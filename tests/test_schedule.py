"""Schedule maths: reminder instants in local time, across the days the clocks change."""

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.schedule import BadTime, due_instant, local_date, next_due, parse_time

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def fires_on(at: time, zone: ZoneInfo, start: datetime, days: int) -> list[datetime]:
    """Every reminder instant over `days` days from `start`, as the bot walks the schedule."""
    instants, now = [], start
    for _ in range(days):
        instant, _day = next_due(at, zone, now)
        instants.append(instant)
        now = instant
    return instants


@pytest.mark.parametrize(
    ("zone", "spring_day", "expected_utc"),
    [
        # Berlin jumps 02:00 → 03:00 CET→CEST; 02:30 does not exist and fires at 03:30 CEST.
        (BERLIN, date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        # New York jumps 02:00 → 03:00 EST→EDT; 02:30 fires at 03:30 EDT.
        (NEW_YORK, date(2026, 3, 8), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
    ],
)
def test_a_0230_reminder_fires_once_on_spring_forward_day(zone, spring_day, expected_utc):
    start = datetime.combine(spring_day - timedelta(days=2), time(12), tzinfo=zone)
    instants = fires_on(time(2, 30), zone, start, 4)
    on_the_day = [i for i in instants if local_date(i, zone) == spring_day]
    assert on_the_day == [expected_utc]
    assert on_the_day[0].astimezone(zone).time() == time(3, 30)
    # One reminder per local day, no day skipped.
    assert [local_date(i, zone) for i in instants] == [
        spring_day - timedelta(days=1) + timedelta(days=n) for n in range(4)
    ]


@pytest.mark.parametrize(
    ("zone", "fall_day", "expected_utc"),
    [
        # Berlin falls back 03:00 → 02:00 on 25 Oct 2026; 01:30 happens once there.
        (BERLIN, date(2026, 10, 25), datetime(2026, 10, 24, 23, 30, tzinfo=UTC)),
        # New York falls back 02:00 → 01:00 on 1 Nov 2026; 01:30 happens twice: the first wins.
        (NEW_YORK, date(2026, 11, 1), datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
)
def test_a_0130_reminder_fires_once_on_fall_back_day(zone, fall_day, expected_utc):
    start = datetime.combine(fall_day - timedelta(days=2), time(12), tzinfo=zone)
    instants = fires_on(time(1, 30), zone, start, 4)
    on_the_day = [i for i in instants if local_date(i, zone) == fall_day]
    assert on_the_day == [expected_utc]
    assert on_the_day[0].astimezone(zone).time() == time(1, 30)
    assert len({local_date(i, zone) for i in instants}) == 4


def test_the_ambiguous_hour_in_new_york_is_not_repeated():
    # At 05:45 UTC on fall-back day it is 01:45 EDT: the 01:30 reminder already fired at 05:30
    # UTC and must not fire again at 01:30 EST (06:30 UTC).
    after = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    instant, day = next_due(time(1, 30), NEW_YORK, after, earliest_day=date(2026, 11, 2))
    assert day == date(2026, 11, 2)
    assert instant == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def test_next_due_is_today_when_the_time_is_still_ahead_and_tomorrow_otherwise():
    morning = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert next_due(time(7, 30), BERLIN, morning) == (
        datetime(2026, 11, 21, 6, 30, tzinfo=UTC),
        date(2026, 11, 21),
    )
    assert next_due(time(6, 30), BERLIN, morning)[1] == date(2026, 11, 22)


def test_earliest_day_skips_a_day_that_already_has_its_session():
    morning = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
    _, day = next_due(time(7, 30), BERLIN, morning, earliest_day=date(2026, 11, 22))
    assert day == date(2026, 11, 22)


@pytest.mark.parametrize(
    "zone_name", ["Asia/Kolkata", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
)
@pytest.mark.parametrize("at", [time(0, 0), time(23, 59)])
def test_odd_offsets_and_the_date_line_keep_one_reminder_per_local_day(zone_name, at):
    zone = ZoneInfo(zone_name)
    instants = fires_on(at, zone, datetime(2026, 11, 20, tzinfo=UTC), 5)
    days = [local_date(i, zone) for i in instants]
    assert days == sorted(set(days)) and len(days) == 5
    assert all(i.astimezone(zone).time() == at for i in instants)


@given(
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"]),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
)
def test_walking_the_schedule_never_repeats_or_skips_a_local_day(at, zone_name, start):
    zone = ZoneInfo(zone_name)
    instants = fires_on(at, zone, start, 3)
    days = [local_date(i, zone) for i in instants]
    assert instants == sorted(instants) and instants[0] > start
    assert [(b - a).days for a, b in itertools.pairwise(days)] == [1, 1]
    assert all(due_instant(d, at, zone) == i for d, i in zip(days, instants, strict=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:05", time(7, 5)),
        (" 19.45 ", time(19, 45)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("٠٧:٣٠", time(7, 30)),
    ],
)
def test_parse_time_reads_common_ways_of_writing_a_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7", "7:5", "noon", "", "12:60", "07:30:00"])
def test_parse_time_refuses_what_is_not_a_time(text):
    with pytest.raises(BadTime):
        parse_time(text)


@given(st.text(max_size=30))
def test_parse_time_either_reads_a_valid_time_or_raises_bad_time(text):
    try:
        result = parse_time(text)
    except BadTime:
        return
    assert 0 <= result.hour <= 23 and 0 <= result.minute <= 59


def test_weekdays_only_skips_the_weekend_and_custom_days_keep_to_their_days():
    from bot.domain.schedule import WEEKDAYS

    zone = ZoneInfo("Europe/Berlin")
    friday_evening = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # Fri 20 Nov, after 07:30
    instant, day = next_due(time(7, 30), zone, friday_evening, days=WEEKDAYS)
    assert day == date(2026, 11, 23) and day.weekday() == 0  # Monday
    assert instant == datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    mon_wed_fri = 0b0010101
    walked = []
    after = friday_evening
    for _ in range(4):
        after, day = next_due(time(7, 30), zone, after, days=mon_wed_fri)
        walked.append(f"{day:%a %d}")
    assert walked == ["Mon 23", "Wed 25", "Fri 27", "Mon 30"]
    # An empty set is treated as every day rather than never.
    assert next_due(time(7, 30), zone, friday_evening, days=0)[1] == date(2026, 11, 21)


def test_the_second_reminder_is_later_the_same_local_day_or_not_at_all():
    from bot.domain.schedule import second_reminder_at

    zone = ZoneInfo("Europe/Berlin")
    due = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)  # 07:30 local
    assert second_reminder_at(due, 4, zone, due) == datetime(2026, 11, 21, 10, 30, tzinfo=UTC)
    assert second_reminder_at(due, None, zone, due) is None
    late = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)  # 21:00 local
    assert second_reminder_at(late, 4, zone, late) is None  # would be tomorrow
    # Sent late after downtime: a second reminder already in the past is dropped.
    assert second_reminder_at(due, 2, zone, due + timedelta(hours=3)) is None
