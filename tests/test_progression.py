"""The pain-response rule, from tables of two weeks: up, hold, step down, held for pain."""

from datetime import date, timedelta

import pytest

from bot.domain.history import DayRecord
from bot.domain.progress import DayStatus
from bot.domain.progression import Move, review

START = date(2026, 11, 2)  # a Monday; the first session
SINCE = START - timedelta(days=1)
TODAY = START + timedelta(days=13)  # the 14th day
STATUS = {
    "D": DayStatus.DONE,
    "P": DayStatus.PARTLY,
    "S": DayStatus.SKIPPED,
    "M": DayStatus.MISSED,
    "Z": DayStatus.PAUSED,
}


def weeks(statuses: str, after: str = "", before: str = "") -> list[DayRecord]:
    """One character per day from START: a status letter ('.' = no session); pain digits
    before and after each session ('-' = not rated)."""
    statuses = statuses.replace(" ", "")
    after, before = after.replace(" ", ""), before.replace(" ", "")
    records = []
    for i, code in enumerate(statuses):
        if code == ".":
            continue
        a = after[i] if i < len(after) else "-"
        b = before[i] if i < len(before) else "-"
        records.append(
            DayRecord(
                START + timedelta(days=i),
                STATUS[code],
                pain_before=None if b == "-" else int(b),
                pain_after=None if a == "-" else int(a),
            )
        )
    return records


@pytest.mark.parametrize(
    ("statuses", "after", "before", "move"),
    [
        # Two full weeks, every session done, pain low and steady: up.
        ("DDDDDDD DDDDDDD", "3333333 3333333", "", Move.UP),
        # 12 of 14 done (86%): still up. Skipped days count against, paused days don't.
        ("DDDDDSD DDDDDSD", "3--3--3 --3--3-", "", Move.UP),
        ("DDDDDZZ ZZDDDDD", "2-----2 -----2-", "", Move.UP),
        # Weekdays only: the weekends have no session and do not count.
        ("DDDDD.. DDDDD..", "2222200 22222", "", Move.UP),
        # 11 of 14 (79%): not enough.
        ("DDDSDSD DDDDDSD", "3333333 3333333", "", Move.HOLD),
        # Partly done counts half: 10 + 4 × 0.5 = 12 of 14 (86%).
        ("DDPDDPD DPDDPDD", "3333333 3333333", "", Move.UP),
        # Pain during sessions of exactly 5/10 is fine; only one 6 is not.
        ("DDDDDDD DDDDDDD", "5555555 5555555", "", Move.UP),
        ("DDDDDDD DDDDDDD", "4444446 4444444", "", Move.HOLD),
        # Worse the next day (before 4 after a 3 the day before): not up.
        ("DDDDDDD DDDDDDD", "3333333 3333333", "3343333 3333333", Move.HOLD),
        # Fewer than two ratings: the rule cannot tell, so no moving up.
        ("DDDDDDD DDDDDDD", "3", "", Move.HOLD),
        # Thirteen days is not two weeks yet.
        ("DDDDDDD DDDDDD", "3333333 333333", "", Move.HOLD),
        # Pain rising twice steps down: above 5, or 2 over the rating before the session.
        ("DDDDDDD DDDDDDD", "4444446 4464444", "", Move.DOWN),
        ("DDDDDDD DD", "2222222 24", "2222222 22", Move.HOLD),  # rose once: not yet
        ("DDDDDDD DDD", "2222222 244", "2222222 222", Move.DOWN),
        # ...or 2 worse the next morning, twice.
        ("DDDDDDD DDDD", "2222222 2222", "2222222 4242", Move.DOWN),
        # A 7 holds the routine where it is (one rise alone does not step down).
        ("DDDDDDD DDDDDDD", "2222222 2222227", "", Move.HELD_FOR_PAIN),
        # So does a jump of 3 over the usual, before the session too.
        ("DDDDDDD DDDDDDD", "1111111 1111111", "1111111 1111114", Move.HELD_FOR_PAIN),
    ],
)
def test_two_weeks_of_sessions_decide_the_move(statuses, after, before, move):
    days = statuses.replace(" ", "")
    today = START + timedelta(days=len(days) - 1)
    assert review(weeks(statuses, after, before), today, SINCE).move is move


def test_the_window_starts_after_the_last_change():
    # A rough first week, then a level change: only the days after the change count.
    records = weeks("SSSSDDD DDDDDDD DDDDDDD", "7777333 3333333 3333333")
    changed = START + timedelta(days=6)
    today = changed + timedelta(days=14)
    assert review(records, today, changed).move is Move.UP
    assert review(records, today - timedelta(days=1), changed).move is Move.HOLD


def test_adherence_is_reported_and_todays_open_session_does_not_count():
    records = weeks("DDDDDDD DDDDDS", "3333333 333333")
    records.append(DayRecord(START + timedelta(days=13), DayStatus.OPEN))
    result = review(records, START + timedelta(days=13), SINCE)
    assert result.adherence == pytest.approx(12 / 13)
    # The next day (the window now starts a day later), that session left open is not done.
    later = review(records, START + timedelta(days=14), SINCE)
    assert later.adherence == pytest.approx(11 / 13)
