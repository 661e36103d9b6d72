"""Streaks, counts, completion rate and the calendar."""

from datetime import date, timedelta

from bot.domain.progress import DayStatus, calendar_lines, pain_needs_care, summarize

TODAY = date(2026, 11, 21)  # a Saturday
D, S, M, P = DayStatus.DONE, DayStatus.SKIPPED, DayStatus.MISSED, DayStatus.PAUSED
OPEN = DayStatus.OPEN


def days_back(*statuses):
    """Statuses for consecutive days ending today (the last one is today)."""
    return {TODAY - timedelta(days=len(statuses) - 1 - i): s for i, s in enumerate(statuses)}


def test_streak_counts_consecutive_done_days():
    p = summarize(days_back(D, D, D), TODAY)
    assert (p.current_streak, p.best_streak) == (3, 3)


def test_today_still_open_does_not_break_the_streak():
    p = summarize(days_back(D, D, OPEN), TODAY)
    assert p.current_streak == 2


def test_a_skipped_or_missed_day_breaks_the_streak_but_best_remembers():
    assert summarize(days_back(D, D, D, S, D), TODAY).current_streak == 1
    p = summarize(days_back(D, D, D, M, D), TODAY)
    assert (p.current_streak, p.best_streak) == (1, 3)


def test_a_partly_done_day_keeps_the_streak_and_shows_as_half_a_circle():
    p = summarize(days_back(D, DayStatus.PARTLY, D), TODAY)
    assert (p.current_streak, p.done_this_week, p.completion_rate) == (3, 3, 1.0)
    assert calendar_lines(p, TODAY)[-1].endswith("✅  ◐  ✅")


def test_an_open_session_from_yesterday_counts_as_missed():
    p = summarize(days_back(D, OPEN, D), TODAY)
    assert p.current_streak == 1
    assert p.completion_rate == 2 / 3


def test_paused_days_neither_break_the_streak_nor_lower_the_rate():
    p = summarize(days_back(D, P, P, D, D), TODAY)
    assert p.current_streak == 3
    assert p.completion_rate == 1.0


def test_a_day_with_no_session_after_the_first_breaks_the_streak():
    days = days_back(D, D, D)
    days[TODAY - timedelta(days=4)] = D  # then a gap on day -3
    p = summarize(days, TODAY)
    assert p.current_streak == 3
    assert p.completion_rate == 4 / 5


def test_week_and_month_counts_and_rate_over_four_weeks():
    days = {TODAY - timedelta(days=n): D for n in range(40)}
    days[TODAY - timedelta(days=1)] = S
    p = summarize(days, TODAY)
    assert p.done_this_week == 5  # Mon 16 .. Sat 21 without Fri 20
    assert p.done_this_month == 20  # 1..21 Nov without the 20th
    assert p.completion_rate == 27 / 28


def test_no_sessions_yet():
    p = summarize({}, TODAY)
    assert (p.current_streak, p.best_streak, p.completion_rate) == (0, 0, None)


def test_calendar_shows_four_weeks_monday_first_with_symbols():
    lines = calendar_lines(summarize(days_back(D, S, M, P, D), TODAY), TODAY)
    assert lines[0].split() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert len(lines) == 5
    assert lines[-1].startswith("16 Nov")
    assert lines[-1].split()[2:] == ["·", "✅", "⏭", "✖", "⏸", "✅"]  # Mon..Sat, Sunday is future


def test_pain_that_is_high_or_jumps_needs_care():
    assert pain_needs_care(7, [])
    assert pain_needs_care(5, [2, 2, 1])
    assert not pain_needs_care(4, [2, 2, 1])
    assert not pain_needs_care(3, [])
