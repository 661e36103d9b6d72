"""Repository functions: every query the bot makes. They take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base, QuizAttempt, Session, User, UTCDateTime

# Tables holding a user's rows, children first; /deletedata clears every one of them.
USER_TABLES = (Session, QuizAttempt)


async def get_user(s: AsyncSession, user_id: int) -> User | None:
    """The user's row, locked until the transaction ends.

    Every handler starts here, so two updates of one user handled at once (by two instances
    behind a webhook) run one after the other instead of overwriting each other's changes.
    SQLite has no row locks and needs none: it has a single writer.
    """
    return await s.get(User, user_id, with_for_update=True)


async def add_user(s: AsyncSession, user_id: int, chat_id: int, now: datetime) -> User:
    user = User(id=user_id, chat_id=chat_id, created_at=now, active=True, screen="pending")
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


async def add_attempt(s: AsyncSession, user_id: int, answers: str, now: datetime) -> QuizAttempt:
    attempt = QuizAttempt(user_id=user_id, answers=answers, started_at=now)
    s.add(attempt)
    await s.flush()
    return attempt


async def get_session(s: AsyncSession, user_id: int, day: date) -> Session | None:
    query = select(Session).where(Session.user_id == user_id, Session.day == day)
    return (await s.scalars(query)).first()


async def latest_session_day(s: AsyncSession, user_id: int) -> date | None:
    day: date | None = await s.scalar(
        select(func.max(Session.day)).where(Session.user_id == user_id)
    )
    return day


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


async def delete_user(s: AsyncSession, user_id: int) -> None:
    """Remove every row of the user, from every table."""
    for table in USER_TABLES:
        await s.execute(delete(table).where(table.user_id == user_id))
    await s.execute(delete(User).where(User.id == user_id))


async def set_inactive(s: AsyncSession, user_id: int) -> None:
    await s.execute(
        update(User)
        .where(User.id == user_id)
        .values(active=False, next_due_at=None, next_summary_at=None)
    )


# --- delivery -------------------------------------------------------------------------------


async def claim_due_users(s: AsyncSession, now: datetime, limit: int) -> Sequence[User]:
    """Users whose next session is due, oldest first, locked against other instances."""
    query = (
        select(User)
        .where(User.next_due_at <= now)
        .order_by(User.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await s.scalars(query)).all()


async def claim_due_snoozes(s: AsyncSession, now: datetime, limit: int) -> Sequence[Session]:
    query = (
        select(Session)
        .where(Session.snooze_until <= now)
        .order_by(Session.snooze_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await s.scalars(query)).all()


async def claim_stale_pending(
    s: AsyncSession, claimed_before: datetime, limit: int
) -> Sequence[Session]:
    """Sessions claimed for sending by a process that never recorded the send."""
    query = (
        select(Session)
        .where(Session.status == "pending", Session.claimed_at < claimed_before)
        .order_by(Session.claimed_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await s.scalars(query)).all()


async def chat_ids(s: AsyncSession, user_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
    query = select(User.id, User.chat_id, User.active).where(User.id.in_(user_ids))
    return {uid: (chat, active) for uid, chat, active in (await s.execute(query)).all()}


async def record_sent(s: AsyncSession, session_id: int, message_id: int, now: datetime) -> None:
    """Note the message a session went out in; a first send turns "pending" into "sent".

    One UPDATE, so a Done pressed while the send was in flight is never overwritten.
    """
    await s.execute(
        update(Session)
        .where(Session.id == session_id)
        .values(
            message_id=message_id,
            sent_at=func.coalesce(Session.sent_at, literal(now, UTCDateTime())),
            status=case((Session.status == "pending", "sent"), else_=Session.status),
        )
    )


async def record_unsendable(s: AsyncSession, session_id: int) -> None:
    await s.execute(
        update(Session)
        .where(Session.id == session_id, Session.status == "pending")
        .values(status="missed")
    )


# --- weekly summary, reports, export ---------------------------------------------------------


async def claim_due_summaries(s: AsyncSession, now: datetime, limit: int) -> Sequence[User]:
    """Users whose weekly summary is due, oldest first, locked against other instances.

    The caller advances `next_summary_at` in the same transaction, so a restart or a second
    instance never sends the same week's summary twice.
    """
    query = (
        select(User)
        .where(User.next_summary_at <= now)
        .order_by(User.next_summary_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await s.scalars(query)).all()


async def pain_by_day(s: AsyncSession, user_id: int, since: date | None = None) -> dict[date, int]:
    query = select(Session.day, Session.pain).where(
        Session.user_id == user_id, Session.pain.is_not(None)
    )
    if since is not None:
        query = query.where(Session.day >= since)
    return {day: pain for day, pain in (await s.execute(query)).all() if pain is not None}


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
