"""The log over time: day records, adherence, pain by week, and the weekly summary's instant."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.history import (
    DayRecord,
    adherence,
    average_pain,
    day_records,
    next_weekly,
    weekly_pain,
)
from bot.domain.progress import DayStatus

TODAY = date(2026, 11, 21)  # a Saturday
BERLIN = ZoneInfo("Europe/Berlin")
D, PARTLY, S, M, P, OPEN = (
    DayStatus.DONE,
    DayStatus.PARTLY,
    DayStatus.SKIPPED,
    DayStatus.MISSED,
    DayStatus.PAUSED,
    DayStatus.OPEN,
)


def days_back(*statuses):
    """Statuses for consecutive days ending today (the last one is today)."""
    return {TODAY - timedelta(days=len(statuses) - 1 - i): s for i, s in enumerate(statuses)}


def logged(statuses, pain_after=None, pain_before=None, notes=None):
    """The records of the days with a session, as the database has them."""
    pain_after, pain_before, notes = pain_after or {}, pain_before or {}, notes or {}
    return [
        DayRecord(day, status, pain_before.get(day), pain_after.get(day), notes.get(day))
        for day, status in statuses.items()
    ]


def test_day_records_cover_four_weeks_oldest_first_with_pain_and_notes():
    yesterday = TODAY - timedelta(days=1)
    statuses = days_back(D, OPEN, PARTLY, OPEN)
    records = day_records(
        logged(statuses, {yesterday: 5, TODAY: 3}, {yesterday: 2}, {yesterday: "sore"}), TODAY
    )
    assert len(records) == 28
    assert records[0].day == TODAY - timedelta(days=27) and records[-1].day == TODAY
    # An open past day was missed; partly done stays partly done.
    assert [r.status for r in records[-4:]] == [D, M, PARTLY, OPEN]
    assert [r.pain_after for r in records[-3:]] == [None, 5, 3]
    assert (records[-2].pain_before, records[-2].note) == (2, "sore")
    assert records[0] == DayRecord(TODAY - timedelta(days=27), None)


def test_adherence_counts_each_outcome_and_leaves_out_today_while_open():
    a = adherence(days_back(D, D, S, M, P, D, OPEN), TODAY)
    assert (a.done, a.partly, a.skipped, a.missed, a.paused) == (3, 0, 1, 1, 1)
    assert a.rate == pytest.approx(3 / 5)
    assert (a.current_streak, a.best_streak) == (1, 2)


def test_partly_done_is_counted_apart_but_keeps_the_streak_and_the_rate():
    a = adherence(days_back(D, PARTLY, S, PARTLY, D), TODAY)
    assert (a.done, a.partly, a.skipped) == (2, 2, 1)
    assert a.rate == pytest.approx(4 / 5)
    assert (a.current_streak, a.best_streak) == (2, 2)


def test_adherence_of_nothing_has_no_rate():
    a = adherence({}, TODAY)
    assert (a.done, a.rate, a.current_streak) == (0, None, 0)


def test_weekly_pain_groups_monday_to_sunday_with_average_and_range():
    monday = date(2026, 11, 16)
    statuses = {monday + timedelta(days=i): PARTLY if i == 2 else D for i in range(6)}
    after = {monday: 2, monday + timedelta(days=1): 6, monday + timedelta(days=5): 4}
    before = {monday: 9}  # the rating before a session is not the week's "pain"
    weeks = weekly_pain(day_records(logged(statuses, after, before), TODAY, days=13))
    assert [w.week_start for w in weeks] == [date(2026, 11, 9), monday]
    first, this = weeks
    assert (first.done, first.ratings, first.average) == (0, 0, None)
    assert (this.done, this.partly, this.ratings, this.average) == (5, 1, 3, 4)
    assert (this.low, this.high) == (2, 6)
    assert average_pain(day_records(logged(statuses, after, before), TODAY)) == 4


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
