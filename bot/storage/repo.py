"""Repository functions: every query the bot makes. They take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Table, bindparam, case, delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import QuizAttempt, Session, User, UTCDateTime

# Tables holding a user's rows, children first; /deletedata clears every one of them.
USER_TABLES = (Session, QuizAttempt)


async def get_user(s: AsyncSession, user_id: int) -> User | None:
    return await s.get(User, user_id)


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
    await s.execute(update(User).where(User.id == user_id).values(active=False, next_due_at=None))


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


async def earliest_due(s: AsyncSession) -> datetime | None:
    """The earliest next session or snooze of anyone (both indexed: two index lookups)."""
    user_due = await s.scalar(select(func.min(User.next_due_at)))
    snooze_due = await s.scalar(select(func.min(Session.snooze_until)))
    instants: list[datetime] = [d for d in (user_due, snooze_due) if d is not None]
    return min(instants, default=None)


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
    """Note the message a session went out in; a first send turns "pending" into "sent"."""
    await record_sent_many(s, [(session_id, message_id)], now)


async def record_sent_many(s: AsyncSession, sent: Sequence[tuple[int, int]], now: datetime) -> None:
    """`record_sent` for many (session id, message id) pairs, in one executemany.

    One UPDATE per row, so a Done pressed while the send was in flight is never overwritten.
    It goes to the table, not through the ORM: rows loaded in `s` are not refreshed.
    """
    table = Session.__table__
    assert isinstance(table, Table)
    await s.execute(
        update(table)
        .where(table.c.id == bindparam("session_id"))
        .values(
            message_id=bindparam("message_id"),
            sent_at=func.coalesce(table.c.sent_at, literal(now, UTCDateTime())),
            status=case((table.c.status == "pending", "sent"), else_=table.c.status),
        ),
        [{"session_id": sid, "message_id": mid} for sid, mid in sent],
    )


async def record_unsendable(s: AsyncSession, session_id: int) -> None:
    await s.execute(
        update(Session)
        .where(Session.id == session_id, Session.status == "pending")
        .values(status="missed")
    )
