"""Session use cases, called directly: checking in, snooze and skip, how long buttons stay
live, pausing, and one transaction per update."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.content import Content
from bot.domain.states import SessionStatus
from bot.domain.triage import Tier
from bot.storage.models import Session, User
from bot.usecases import schedule, sessions
from bot.usecases.common import Expired, NeedsSetup
from bot.usecases.sessions import AlreadyDone, Skipped, Snoozed
from tests.usecase_support import ANA, NOW, CountingDatabase, content, db, scheduled_user

__all__ = ["content", "db"]  # fixtures

TODAY = date(2026, 11, 21)  # NOW in Berlin


async def status_of(db: CountingDatabase, day: date) -> str:
    async with db.transaction() as s:
        query = select(Session.status).where(Session.user_id == ANA, Session.day == day)
        return (await s.scalars(query)).one()


async def set_status(db: CountingDatabase, day: date, status: SessionStatus) -> None:
    async with db.transaction() as s:
        session = (
            await s.scalars(select(Session).where(Session.user_id == ANA, Session.day == day))
        ).one()
        session.status = status


async def test_done_runs_in_exactly_one_transaction(db: CountingDatabase, content: Content) -> None:
    await scheduled_user(db, content)
    db.transactions = 0
    checked = await sessions.mark_done(db, ANA, None, NOW)
    assert db.transactions == 1
    assert checked.changed and checked.status is SessionStatus.DONE and checked.streak == 1
    assert await status_of(db, TODAY) == "done"


@pytest.mark.parametrize(
    ("before", "partly", "after", "changed"),
    [
        (SessionStatus.SENT, False, SessionStatus.DONE, True),
        (SessionStatus.SENT, True, SessionStatus.PARTLY, True),
        (SessionStatus.SKIPPED, False, SessionStatus.DONE, True),
        (SessionStatus.PARTLY, False, SessionStatus.DONE, True),  # the upgrade
        (SessionStatus.PARTLY, True, SessionStatus.PARTLY, False),
        (SessionStatus.DONE, True, SessionStatus.DONE, False),  # never a downgrade
    ],
)
async def test_a_check_in_upgrades_partly_done_and_leaves_done_alone(
    db: CountingDatabase,
    content: Content,
    before: SessionStatus,
    partly: bool,
    after: SessionStatus,
    changed: bool,
) -> None:
    await scheduled_user(db, content)
    today = await sessions.open_session_today(db, ANA, NOW)
    await set_status(db, today.day, before)
    checked = await sessions.mark_done(db, ANA, today.day, NOW, partly=partly)
    assert (checked.status, checked.changed) == (after, changed)
    assert await status_of(db, today.day) == after


@pytest.mark.parametrize(
    ("days_later", "press", "acts"),
    [
        (0, "done", True),
        (1, "done", True),  # yesterday's Done still counts
        (2, "done", False),
        (0, "snooze", True),
        (1, "snooze", False),  # snoozing yesterday's session makes no sense
        (1, "skip", False),
        (1, "pain_before", True),
        (2, "pain_before", False),
        (1, "wrong", True),
        (2, "wrong", False),
        (9, "pain", True),  # a rating or a note answers a check-in already made
        (9, "note", True),
        (9, "red_flags", True),
    ],
)
async def test_a_sessions_buttons_stay_live_for_as_long_as_their_kind_allows(
    db: CountingDatabase, content: Content, days_later: int, press: str, acts: bool
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    later = NOW + timedelta(days=days_later)
    presses = {
        "done": lambda: sessions.mark_done(db, ANA, day, later),
        "snooze": lambda: sessions.snooze(db, ANA, day, later),
        "skip": lambda: sessions.skip(db, ANA, day, later),
        "pain_before": lambda: sessions.rate_pain_before(db, ANA, day, 3, later),
        "wrong": lambda: sessions.something_wrong(db, ANA, day, later),
        "pain": lambda: sessions.rate_pain(db, ANA, day, 3, later, content),
        "note": lambda: sessions.ask_note(db, ANA, day, later),
        "red_flags": lambda: sessions.report_red_flags(db, ANA, day, Tier.BOOK_FIRST, False, later),
    }
    if acts:
        await presses[press]()
    else:
        with pytest.raises(Expired):
            await presses[press]()


async def test_snooze_and_skip_leave_a_done_day_done(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    snoozed = await sessions.snooze(db, ANA, day, NOW)
    assert isinstance(snoozed, Snoozed) and snoozed.until.hour == 7  # 06:00 + 1 h, Berlin
    await sessions.mark_done(db, ANA, day, NOW)
    assert await sessions.skip(db, ANA, day, NOW) == AlreadyDone(1)
    assert await status_of(db, day) == "done"


async def test_skipping_an_open_session_records_the_skip(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    assert await sessions.skip(db, ANA, day, NOW) == Skipped()
    assert await status_of(db, day) == "skipped"


@pytest.mark.parametrize(
    ("pauses", "through"),
    [
        ([3], date(2026, 11, 23)),  # the next session is today's, at 07:30: 21st to 23rd
        ([3, 7], date(2026, 11, 30)),  # a second pause extends the first
    ],
)
async def test_a_pause_covers_the_next_session_days_and_a_second_one_extends_it(
    db: CountingDatabase, content: Content, pauses: list[int], through: date
) -> None:
    await scheduled_user(db, content)
    for days in pauses:
        paused = await schedule.pause(db, ANA, days)
    assert paused.through == through
    async with db.transaction() as s:
        user = await s.get(User, ANA)
        assert user is not None and user.paused_until == through + timedelta(days=1)


async def test_a_user_without_a_routine_is_told_to_set_one_up(
    db: CountingDatabase, content: Content
) -> None:
    with pytest.raises(NeedsSetup):
        await sessions.mark_done(db, ANA, None, NOW)
    with pytest.raises(NeedsSetup):
        await schedule.pause(db, ANA, 3)
