"""The daily session: /today, Done / Partly done / Snooze / Skip, the red flags at check-in,
the pain ratings, notes, /history, /levels and /progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks as cb
from bot.content import Content, Routine
from bot.domain.history import DayRecord
from bot.domain.progress import Progress, pain_needs_care
from bot.domain.progression import Review
from bot.domain.quiz import recheck_due
from bot.domain.rules import Liveness, button_live, check_in
from bot.domain.schedule import local_date
from bot.domain.states import Awaiting, Screen, SessionStatus
from bot.domain.triage import Tier
from bot.domain.variants import Choice, PlanStep
from bot.storage import claims, repo
from bot.storage.db import Database
from bot.storage.models import Session, User
from bot.usecases import triage
from bot.usecases.common import Expired, NeedsSetup, locked_user, today_of, zone_of
from bot.usecases.figures import (
    apply_progression,
    average_pain,
    plan_of,
    progress_of,
    streak_of,
)
from bot.usecases.planning import open_today

PAIN_USUAL_DAYS = 28  # the ratings a new one is compared with


async def live_session(
    s: AsyncSession, user: User, day: date, now: datetime, liveness: Liveness
) -> Session:
    """The session of `day` whose button was pressed, while its buttons still act."""
    session = await repo.get_session(s, user.id, day)
    if session is None or not button_live(day, today_of(user, now), liveness):
        raise Expired
    return session


@dataclass(frozen=True, slots=True)
class TodaySession:
    session_id: int
    routine_id: str
    day: date
    choices: Mapping[str, Choice]


async def open_session_today(db: Database, user_id: int, now: datetime) -> TodaySession:
    """Today's session, opened now when the reminder has not come yet (it will not repeat it)."""
    async with locked_user(db, user_id) as (s, user):
        if user.routine_id is None:
            raise NeedsSetup
        session = await open_today(s, user, now)
        choices = await repo.exercise_choices(s, user_id)
        return TodaySession(session.id, session.routine_id, session.day, choices)


async def record_sent(db: Database, session_id: int, message_id: int, now: datetime) -> None:
    """Note the message a session went out in (after the send, outside its use case)."""
    async with db.transaction() as s:
        await claims.record_sent(s, session_id, message_id, now)


@dataclass(frozen=True, slots=True)
class CheckedIn:
    status: SessionStatus  # what the day is now
    changed: bool  # False: it was checked in already
    streak: int
    day: date
    recheck: bool  # the four-weekly quiz re-check is offered now


async def mark_done(
    db: Database, user_id: int, day: date | None, now: datetime, *, partly: bool = False
) -> CheckedIn:
    """Record the session of `day` (today's, when None) done or partly done."""
    async with locked_user(db, user_id) as (s, user):
        return await check_in_session(s, user, day, now, partly=partly)


async def check_in_session(
    s: AsyncSession, user: User, day: date | None, now: datetime, *, partly: bool
) -> CheckedIn:
    """`mark_done` inside a transaction already open (guided mode's Finish)."""
    if user.routine_id is None:
        raise NeedsSetup
    today = today_of(user, now)
    if day is None:
        session = await open_today(s, user, now)
    else:
        session = await live_session(s, user, day, now, Liveness.RECENT)
    status = check_in(session.status, partly=partly)
    if status is not None:
        session.status, session.done_at, session.snooze_until = status, now, None
    streak = await streak_of(s, user, now)
    recheck = status is not None and await _offer_recheck(s, user, today)
    return CheckedIn(
        SessionStatus(session.status), status is not None, streak, session.day, recheck
    )


async def _offer_recheck(s: AsyncSession, user: User, today: date) -> bool:
    """True (and noted) when the four-weekly quiz re-check is due at this check-in."""
    finished = await repo.last_quiz_finished(s, user.id)
    last_quiz = None if finished is None else local_date(finished, zone_of(user))
    if not recheck_due(last_quiz, user.recheck_offered_on, today):
        return False
    user.recheck_offered_on = today
    return True


@dataclass(frozen=True, slots=True)
class Snoozed:
    until: time  # local


@dataclass(frozen=True, slots=True)
class Skipped:
    pass


@dataclass(frozen=True, slots=True)
class AlreadyDone:
    streak: int


@dataclass(frozen=True, slots=True)
class SnoozeOptions:
    evening: time | None  # "this evening" at this local time; None when it is (nearly) past


def evening_of(now: datetime, zone: tzinfo) -> datetime | None:
    """This evening's snooze time, or None when it is less than the shortest snooze away."""
    local = now.astimezone(zone)
    evening = datetime.combine(local.date(), cb.SNOOZE_EVENING, tzinfo=zone)
    return evening if evening - now > timedelta(minutes=min(cb.SNOOZE_MINUTES)) else None


async def snooze_options(
    db: Database, user_id: int, day: date, now: datetime
) -> SnoozeOptions | AlreadyDone:
    """What Snooze offers for today's session: 15 min, 1 h, 3 h and, until it's past, this
    evening."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.TODAY)
        if session.status == SessionStatus.DONE:
            return AlreadyDone(await streak_of(s, user, now))
        evening = evening_of(now, zone_of(user))
        return SnoozeOptions(None if evening is None else evening.timetz().replace(tzinfo=None))


async def snooze(
    db: Database, user_id: int, day: date, now: datetime, minutes: int | None = 60
) -> Snoozed | AlreadyDone:
    """Send today's session again in `minutes`, or this evening (None); an evening already
    past falls back to the shortest snooze."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.TODAY)
        if session.status == SessionStatus.DONE:
            return AlreadyDone(await streak_of(s, user, now))
        zone = zone_of(user)
        until = None if minutes is not None else evening_of(now, zone)
        if until is None:
            until = now + timedelta(minutes=minutes or min(cb.SNOOZE_MINUTES))
        session.snooze_until = until
        return Snoozed(until.astimezone(zone).time())


async def skip(db: Database, user_id: int, day: date, now: datetime) -> Skipped | AlreadyDone:
    """Skip today's session."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.TODAY)
        if session.status == SessionStatus.DONE:
            return AlreadyDone(await streak_of(s, user, now))
        session.status, session.snooze_until = SessionStatus.SKIPPED, None
        return Skipped()


async def something_wrong(db: Database, user_id: int, day: date, now: datetime) -> None:
    """Check that the session's "Something's wrong" still applies (the red flags follow)."""
    async with locked_user(db, user_id) as (s, user):
        await live_session(s, user, day, now, Liveness.RECENT)


async def report_red_flags(
    db: Database, user_id: int, day: date, tier: Tier, present: bool, now: datetime
) -> None:
    """A red flag of `tier` at check-in stops the reminders at that tier's advice, until "I
    have been cleared" (or /resume); "no" changes nothing (the next tier is asked)."""
    async with locked_user(db, user_id) as (s, user):
        await live_session(s, user, day, now, Liveness.ALWAYS)
        if present:
            await triage.move(s, user, Screen(tier.value), now)


@dataclass(frozen=True, slots=True)
class PainRated:
    needs_care: bool  # high, or well above the usual: ease off and check with a clinician
    review: Review  # the progression rule's verdict, applied already


async def rate_pain(
    db: Database, user_id: int, day: date, score: int, now: datetime, content: Content
) -> PainRated:
    """Store the knee-pain rating after the session; the progression rule may then move
    the routine up or down a level."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.ALWAYS)
        usual = await _usual_pain(s, user_id, day)
        session.pain = score
        result = await apply_progression(s, user, content, now)
        return PainRated(pain_needs_care(score, usual), result)


async def rate_pain_before(
    db: Database, user_id: int, day: date, score: int, now: datetime
) -> bool:
    """Store the knee-pain rating before the session; True when it needs care."""
    async with locked_user(db, user_id) as (s, user):
        session = await live_session(s, user, day, now, Liveness.RECENT)
        usual = await _usual_pain(s, user_id, day)
        session.pain_before = score
        return pain_needs_care(score, usual)


async def _usual_pain(s: AsyncSession, user_id: int, day: date) -> list[int]:
    since = day - timedelta(days=PAIN_USUAL_DAYS)
    return await repo.recent_pain(s, user_id, since, before=day)


async def ask_note(db: Database, user_id: int, day: date, now: datetime) -> None:
    """Wait for a typed note on the session of `day`."""
    async with locked_user(db, user_id) as (s, user):
        await live_session(s, user, day, now, Liveness.ALWAYS)
        user.awaiting, user.note_day = Awaiting.NOTE, day


async def save_note(s: AsyncSession, user: User, text: str) -> bool:
    """Attach a typed note to the session it was asked for; False when that is gone."""
    day = user.note_day
    session = None if day is None else await repo.get_session(s, user.id, day)
    user.awaiting = user.note_day = None
    if session is None:
        return False
    session.note = text
    return True


async def history(db: Database, user_id: int, limit: int) -> list[DayRecord]:
    """The newest session days: status, pain ratings and notes."""
    async with locked_user(db, user_id) as (s, _):
        return await repo.latest_day_records(s, user_id, limit)


async def levels(
    db: Database, user_id: int, content: Content
) -> tuple[Routine, tuple[PlanStep, ...]]:
    """The user's routine with each exercise's form and level."""
    async with locked_user(db, user_id) as (s, user):
        routine = content.routines.get(user.routine_id or "")
        if routine is None:
            raise NeedsSetup
        return routine, await plan_of(s, user_id, routine)


@dataclass(frozen=True, slots=True)
class ProgressView:
    summary: Progress
    today: date
    average_pain: float | None  # over four weeks


async def progress(db: Database, user_id: int, now: datetime) -> ProgressView:
    """Streaks, counts, the four-week calendar and the pain trend."""
    async with locked_user(db, user_id) as (s, user):
        summary, today = await progress_of(s, user, now)
        return ProgressView(summary, today, await average_pain(s, user, today))
