"""Repository functions: every query the bot makes. They take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.history import DayRecord
from bot.domain.progress import SESSION_STATUS
from bot.domain.states import Screen
from bot.domain.variants import Choice
from bot.storage.models import Base, ExerciseChoice, QuizAttempt, Session, User, UTCDateTime

# Tables holding a user's rows, children first; /deletedata clears every one of them.
USER_TABLES = (Session, QuizAttempt, ExerciseChoice)


async def get_user(s: AsyncSession, user_id: int) -> User | None:
    """The user's row, locked until the transaction ends.

    Every handler starts here, so two updates of one user handled at once (by two instances
    behind a webhook) run one after the other instead of overwriting each other's changes.
    SQLite has no row locks and needs none: it has a single writer.
    """
    return await s.get(User, user_id, with_for_update=True)


async def add_user(s: AsyncSession, user_id: int, chat_id: int, now: datetime) -> User:
    user = User(id=user_id, chat_id=chat_id, created_at=now, active=True, screen=Screen.PENDING)
    s.add(user)
    await s.flush()
    return user


async def latest_attempt(s: AsyncSession, user_id: int) -> QuizAttempt | None:
    query = (
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )
    return (await s.scalars(query)).first()


@dataclass(frozen=True, slots=True)
class QuizProgress:
    """What a quiz press needs: the user's zone and language, and their latest attempt (ids
    None without)."""

    timezone: str | None
    language: str | None
    attempt_id: int | None
    answers: str
    finished: bool


def _quiz_progress_statement() -> Any:
    newer = aliased(QuizAttempt)
    latest = (
        select(newer.id)
        .where(newer.user_id == User.id)
        .order_by(newer.id.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    return (
        select(
            User.timezone,
            User.language,
            QuizAttempt.id,
            QuizAttempt.answers,
            QuizAttempt.finished_at,
        )
        .select_from(User)
        .outerjoin(QuizAttempt, QuizAttempt.id == latest)
        .where(User.id == bindparam("user_id"))
        .with_for_update(of=User)
    )


_QUIZ_PROGRESS = _quiz_progress_statement()  # built once: a quiz press is the hot path


async def quiz_progress(connection: AsyncConnection, user_id: int) -> QuizProgress | None:
    """The user's row locked (as `get_user` does) and their latest quiz attempt, in one
    Core query with no ORM objects; None without a user."""
    row = (await connection.execute(_QUIZ_PROGRESS, {"user_id": user_id})).first()
    if row is None:
        return None
    zone, language, attempt_id, answers, finished_at = row
    return QuizProgress(zone, language, attempt_id, answers or "", finished_at is not None)


_SAVE_ANSWERS = (
    update(QuizAttempt)
    .where(QuizAttempt.id == bindparam("attempt_id"))
    .values(answers=bindparam("answers"))
)


async def save_answers(
    connection: AsyncConnection,
    attempt_id: int,
    answers: str,
    finished_at: datetime | None = None,
    routine_id: str | None = None,
) -> None:
    """Write an attempt's answers; with `finished_at`, finish it with its recommendation.
    Core, on the table: an attempt loaded as an ORM object in a session is not refreshed."""
    if finished_at is None:
        await connection.execute(_SAVE_ANSWERS, {"attempt_id": attempt_id, "answers": answers})
        return
    await connection.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt_id)
        .values(answers=answers, finished_at=finished_at, recommended_routine_id=routine_id)
    )


async def previous_finished_attempt(
    s: AsyncSession, user_id: int, before_id: int
) -> QuizAttempt | None:
    """The newest finished attempt older than attempt `before_id`."""
    query = (
        select(QuizAttempt)
        .where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.id < before_id,
            QuizAttempt.finished_at.is_not(None),
        )
        .order_by(QuizAttempt.id.desc())
        .limit(1)
    )
    return (await s.scalars(query)).first()


async def last_quiz_finished(s: AsyncSession, user_id: int) -> datetime | None:
    finished: datetime | None = await s.scalar(
        select(func.max(QuizAttempt.finished_at)).where(QuizAttempt.user_id == user_id)
    )
    return finished


async def add_attempt(s: AsyncSession, user_id: int, answers: str, now: datetime) -> QuizAttempt:
    attempt = QuizAttempt(user_id=user_id, answers=answers, started_at=now)
    s.add(attempt)
    await s.flush()
    return attempt


async def get_session(s: AsyncSession, user_id: int, day: date) -> Session | None:
    query = select(Session).where(Session.user_id == user_id, Session.day == day)
    return (await s.scalars(query)).first()


async def session_days(
    s: AsyncSession, wanted: Sequence[tuple[int, date]]
) -> set[tuple[int, date]]:
    """Which of these (user id, day) pairs already have a session row."""
    if not wanted:
        return set()
    query = select(Session.user_id, Session.day).where(
        Session.user_id.in_({user_id for user_id, _ in wanted}),
        Session.day.in_({day for _, day in wanted}),
    )
    return {(user_id, day) for user_id, day in (await s.execute(query)).all()} & set(wanted)


async def latest_session_day(s: AsyncSession, user_id: int) -> date | None:
    day: date | None = await s.scalar(
        select(func.max(Session.day)).where(Session.user_id == user_id)
    )
    return day


async def first_session_day(s: AsyncSession, user_id: int) -> date | None:
    day: date | None = await s.scalar(
        select(func.min(Session.day)).where(Session.user_id == user_id)
    )
    return day


async def day_records(s: AsyncSession, user_id: int, since: date | None = None) -> list[DayRecord]:
    """Each session day from `since` (or the first), oldest first: status, pain before and
    after, note."""
    query = select(
        Session.day, Session.status, Session.pain_before, Session.pain, Session.note
    ).where(Session.user_id == user_id)
    if since is not None:
        query = query.where(Session.day >= since)
    return [
        DayRecord(day, SESSION_STATUS[status], before, after, note)
        for day, status, before, after, note in (await s.execute(query.order_by(Session.day))).all()
    ]


async def latest_day_records(s: AsyncSession, user_id: int, limit: int) -> list[DayRecord]:
    """The newest session days first: the history."""
    query = (
        select(Session.day, Session.status, Session.pain_before, Session.pain, Session.note)
        .where(Session.user_id == user_id)
        .order_by(Session.day.desc())
        .limit(limit)
    )
    return [
        DayRecord(day, SESSION_STATUS[status], before, after, note)
        for day, status, before, after, note in (await s.execute(query)).all()
    ]


async def session_statuses(
    s: AsyncSession, user_id: int, since: date | None = None
) -> dict[date, str]:
    query = select(Session.day, Session.status).where(Session.user_id == user_id)
    if since is not None:
        query = query.where(Session.day >= since)
    return {day: status for day, status in (await s.execute(query)).all()}


async def recent_pain(
    s: AsyncSession, user_id: int, since: date, *, before: date | None = None
) -> list[int]:
    query = select(Session.pain).where(
        Session.user_id == user_id, Session.pain.is_not(None), Session.day >= since
    )
    if before is not None:
        query = query.where(Session.day < before)
    return [p for p in (await s.scalars(query.order_by(Session.day))).all() if p is not None]


async def exercise_choices(s: AsyncSession, user_id: int) -> dict[str, Choice]:
    """The user's form and level per routine exercise (slot), where not the first."""
    query = select(ExerciseChoice).where(ExerciseChoice.user_id == user_id)
    return {c.slot: Choice(c.exercise_id, c.level) for c in (await s.scalars(query)).all()}


async def exercise_choices_of(
    s: AsyncSession, user_ids: Sequence[int]
) -> dict[int, dict[str, Choice]]:
    """`exercise_choices` for many users in one query (the dispatcher's batch)."""
    found: dict[int, dict[str, Choice]] = {uid: {} for uid in user_ids}
    query = select(ExerciseChoice).where(ExerciseChoice.user_id.in_(user_ids))
    for c in (await s.scalars(query)).all():
        found[c.user_id][c.slot] = Choice(c.exercise_id, c.level)
    return found


async def set_exercise_choice(
    s: AsyncSession, user_id: int, slot: str, choice: Choice, now: datetime
) -> None:
    """Remember the form and level a user does for a slot; the first form at level 1 is
    the default and needs no row."""
    row = await s.get(ExerciseChoice, (user_id, slot))
    if choice == Choice(slot, 1):
        if row is not None:
            await s.delete(row)
        return
    if row is None:
        s.add(
            ExerciseChoice(
                user_id=user_id,
                slot=slot,
                exercise_id=choice.exercise_id,
                level=choice.level,
                changed_at=now,
            )
        )
    else:
        row.exercise_id, row.level, row.changed_at = choice.exercise_id, choice.level, now
    await s.flush()


async def delete_user(s: AsyncSession, user_id: int) -> None:
    """Remove every row of the user, from every table."""
    for table in USER_TABLES:
        await s.execute(delete(table).where(table.user_id == user_id))
    await s.execute(delete(User).where(User.id == user_id))


async def clear_reminders(s: AsyncSession, user_id: int) -> None:
    """Stop the user's pending snoozes and second reminders, and their next daily one."""
    await s.execute(
        update(Session)
        .where(Session.user_id == user_id, Session.snooze_until.is_not(None))
        .values(snooze_until=None)
    )
    await s.execute(update(User).where(User.id == user_id).values(next_due_at=None))


async def set_inactive(s: AsyncSession, user_id: int, now: datetime | None = None) -> None:
    """The user blocked the bot: no more reminders. `now` starts the retention time (kept if
    they were inactive already; without it, the next retention sweep starts it)."""
    since = literal(now, UTCDateTime())
    await s.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            active=False,
            next_due_at=None,
            next_summary_at=None,
            inactive_since=case(
                (User.active, since), else_=func.coalesce(User.inactive_since, since)
            ),
        )
    )


async def finished_attempts(s: AsyncSession, user_id: int) -> Sequence[QuizAttempt]:
    """The user's completed quizzes, oldest first."""
    query = (
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.finished_at.is_not(None))
        .order_by(QuizAttempt.finished_at, QuizAttempt.id)
    )
    return (await s.scalars(query)).all()


async def user_rows(s: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of the user, table by table (users first), every column by its name."""
    found: dict[str, list[dict[str, Any]]] = {}
    for model, key in ((User, User.id), *((t, t.user_id) for t in USER_TABLES)):
        table = Base.metadata.tables[model.__tablename__]
        query = select(table).where(key == user_id).order_by(*table.primary_key)
        found[table.name] = [dict(row._mapping) for row in (await s.execute(query)).all()]
    return found


async def user_language(s: AsyncSession, user_id: int) -> str | None:
    """The user's stored language, read without locking the row (None: no user, or not set)."""
    return await s.scalar(select(User.language).where(User.id == user_id))


async def languages_of(s: AsyncSession, user_ids: Sequence[int]) -> dict[int, str | None]:
    """The stored language of each of these users (a delivery batch), in one query."""
    rows = await s.execute(select(User.id, User.language).where(User.id.in_(user_ids)))
    return {user_id: language for user_id, language in rows.tuples()}


async def languages_by_chat(s: AsyncSession, chat_ids: Sequence[int]) -> dict[int, str | None]:
    """The stored language of the users of these chats, in one query."""
    rows = await s.execute(select(User.chat_id, User.language).where(User.chat_id.in_(chat_ids)))
    return {chat_id: language for chat_id, language in rows.tuples()}
