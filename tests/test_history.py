"""The log over time: day records, adherence, pain by week, and the weekly summary's instant."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.history import adherence, average_pain, day_records, next_weekly, weekly_pain
from bot.domain.progress import DayStatus

TODAY = date(2026, 11, 21)  # a Saturday
BERLIN = ZoneInfo("Europe/Berlin")
D, S, M, P, OPEN = (
    DayStatus.DONE,
    DayStatus.SKIPPED,
    DayStatus.MISSED,
    DayStatus.PAUSED,
    DayStatus.OPEN,
)


def days_back(*statuses):
    """Statuses for consecutive days ending today (the last one is today)."""
    return {TODAY - timedelta(days=len(statuses) - 1 - i): s for i, s in enumerate(statuses)}


def test_day_records_cover_four_weeks_oldest_first_with_pain():
    statuses = days_back(D, OPEN, D, OPEN)
    records = day_records(statuses, {TODAY - timedelta(days=1): 5, TODAY: 3}, TODAY)
    assert len(records) == 28
    assert records[0].day == TODAY - timedelta(days=27) and records[-1].day == TODAY
    assert [r.status for r in records[-4:]] == [D, M, D, OPEN]  # an open past day was missed
    assert [r.pain for r in records[-3:]] == [None, 5, 3]
    assert records[0].status is None


def test_adherence_counts_each_outcome_and_leaves_out_today_while_open():
    a = adherence(days_back(D, D, S, M, P, D, OPEN), TODAY)
    assert (a.done, a.skipped, a.missed, a.paused) == (3, 1, 1, 1)
    assert a.rate == pytest.approx(3 / 5)
    assert (a.current_streak, a.best_streak) == (1, 2)


def test_adherence_of_nothing_has_no_rate():
    a = adherence({}, TODAY)
    assert (a.done, a.rate, a.current_streak) == (0, None, 0)


def test_weekly_pain_groups_monday_to_sunday_with_average_and_range():
    monday = date(2026, 11, 16)
    statuses = {monday + timedelta(days=i): D for i in range(6)}
    pain = {monday: 2, monday + timedelta(days=1): 6, monday + timedelta(days=5): 4}
    weeks = weekly_pain(day_records(statuses, pain, TODAY, days=13))
    assert [w.week_start for w in weeks] == [date(2026, 11, 9), monday]
    first, this = weeks
    assert (first.done, first.ratings, first.average) == (0, 0, None)
    assert (this.done, this.ratings, this.average, this.low, this.high) == (6, 3, 4, 2, 6)
    assert average_pain(day_records(statuses, pain, TODAY)) == 4


def test_next_weekly_is_the_next_chosen_weekday_at_the_reminder_time():
    saturday_6am = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
    instant, day = next_weekly(time(7, 30), 6, BERLIN, saturday_6am)
    assert day == date(2026, 11, 22) and instant == datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
    # Exactly at the time, the next one is a week on.
    assert next_weekly(time(7, 30), 6, BERLIN, instant)[1] == date(2026, 11, 29)
    # Later the same day, a Saturday summary goes to next week.
    assert next_weekly(time(5, 0), 5, BERLIN, saturday_6am)[1] == date(2026, 11, 28)
    # Never before the earliest day.
    assert next_weekly(time(7, 30), 6, BERLIN, saturday_6am, earliest_day=date(2026, 11, 23))[
        1
    ] == date(2026, 11, 29)


def test_next_weekly_on_the_spring_forward_sunday_moves_by_the_gap():
    instant, day = next_weekly(time(2, 30), 6, BERLIN, datetime(2026, 3, 27, tzinfo=UTC))
    assert day == date(2026, 3, 29)
    assert instant.astimezone(BERLIN).time() == time(3, 30)


def test_next_weekly_refuses_a_day_that_is_not_a_weekday():
    with pytest.raises(ValueError, match="weekday"):
        next_weekly(time(7, 30), 7, BERLIN, datetime(2026, 3, 27, tzinfo=UTC))
