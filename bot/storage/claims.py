"""The dispatcher's queries: claim what is due (FOR UPDATE SKIP LOCKED where the database
has it), insert the claimed days' sessions, record what was sent, and sweep out users long
inactive. They take a session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, case, delete, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.storage.models import Base, Session, User, UTCDateTime
from bot.storage.repo import USER_TABLES


async def _claim(
    s: AsyncSession, due: InstrumentedAttribute[Any], before: datetime, limit: int, *where: Any
) -> Sequence[Any]:
    """The claim every delivery query makes: rows due by `before`, longest due first, locked,
    skipping rows another instance has locked, so two instances never take the same row."""
    query = (
        select(due.class_)
        .where(due <= before, *where)
        .order_by(due)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await s.scalars(query)).all()


@dataclass(slots=True)
class DueUser:
    """A user whose session is due, as the dispatcher claims and plans them: the columns it
    needs and no ORM object (a batch of those was most of a reminder's CPU). The planning
    moves `next_due_at` and `next_summary_at`; `advance_users` writes them back."""

    id: int
    chat_id: int
    active: bool
    routine_id: str | None
    reminder_time: time | None
    timezone: str | None
    days: int
    next_due_at: datetime | None
    paused_until: date | None
    second_reminder_hours: int | None
    summary_day: int | None
    next_summary_at: datetime | None
    red_flag_at: datetime | None

    @property
    def scheduled(self) -> bool:
        return None not in (self.routine_id, self.reminder_time, self.timezone)


_DUE_COLUMNS = tuple(getattr(User, f.name) for f in fields(DueUser))


async def claim_due_users(s: AsyncSession, now: datetime, limit: int) -> list[DueUser]:
    """Users whose next session is due, oldest first, locked against other instances (as
    `_claim` locks), read as plain rows on the session's connection."""
    query = (
        select(*_DUE_COLUMNS)
        .where(User.next_due_at <= now)
        .order_by(User.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    connection = await s.connection()
    return [DueUser(*row) for row in await connection.execute(query)]


def _table(model: type[Base]) -> Table:
    """A model's table, for the Core statements built once below."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _advance_statement() -> Any:
    table = _table(User)
    return (
        update(table)
        .where(table.c.id == bindparam("user_id"))
        .values(
            next_due_at=bindparam("due", type_=UTCDateTime()),
            next_summary_at=bindparam("summary", type_=UTCDateTime()),
        )
    )


_ADVANCE = _advance_statement()  # built once: every batch of a burst writes one


async def advance_users(s: AsyncSession, users: Sequence[DueUser]) -> None:
    """Write the claimed users' next reminder and summary, in one executemany."""
    if not users:
        return
    connection = await s.connection()
    await connection.execute(
        _ADVANCE,
        [{"user_id": u.id, "due": u.next_due_at, "summary": u.next_summary_at} for u in users],
    )


async def earliest_due(s: AsyncSession) -> datetime | None:
    """The earliest instant anything of anyone falls due: a session, a snooze or second
    reminder, a guided-mode timer, a weekly summary (each an index lookup)."""
    instants: list[datetime] = []
    for column in (
        User.next_due_at,
        Session.snooze_until,
        Session.timer_due_at,
        User.next_summary_at,
    ):
        if (instant := await s.scalar(select(func.min(column)))) is not None:
            instants.append(instant)
    return min(instants, default=None)


@dataclass(frozen=True, slots=True)
class NewSession:
    """A day's session row as the dispatcher claims it (inserted by `insert_sessions`)."""

    user_id: int
    day: date
    routine_id: str
    status: str
    due_at: datetime
    claimed_at: datetime
    late: bool
    snooze_until: datetime | None = None


def _insert_sessions_statement() -> Any:
    table = _table(Session)
    return insert(table).returning(table.c.id, table.c.user_id, table.c.day)


_INSERT_SESSIONS = _insert_sessions_statement()  # built and compiled once


async def insert_sessions(
    s: AsyncSession, rows: Sequence[NewSession]
) -> dict[tuple[int, date], int]:
    """Insert the rows in one executemany with RETURNING (no ORM objects: SQLAlchemy batches
    it into multi-row INSERTs from one cached statement); each (user id, day)'s new id."""
    if not rows:
        return {}
    values = [
        {
            "user_id": r.user_id,
            "day": r.day,
            "routine_id": r.routine_id,
            "status": r.status,
            "due_at": r.due_at,
            "claimed_at": r.claimed_at,
            "late": r.late,
            "snooze_until": r.snooze_until,
        }
        for r in rows
    ]
    connection = await s.connection()  # Core: the session's transaction, not its ORM layer
    found = await connection.execute(_INSERT_SESSIONS, values)
    return {(user_id, day): sid for sid, user_id, day in found.all()}


async def claim_due_snoozes(s: AsyncSession, now: datetime, limit: int) -> Sequence[Session]:
    return await _claim(s, Session.snooze_until, now, limit)


async def claim_stale_pending(
    s: AsyncSession, claimed_before: datetime, limit: int
) -> Sequence[Session]:
    """Sessions claimed for sending by a process that never recorded the send."""
    return await _claim(s, Session.claimed_at, claimed_before, limit, Session.status == "pending")


async def chat_ids(s: AsyncSession, user_ids: Sequence[int]) -> dict[int, tuple[int, bool]]:
    query = select(User.id, User.chat_id, User.active).where(User.id.in_(user_ids))
    return {uid: (chat, active) for uid, chat, active in (await s.execute(query)).all()}


async def record_sent(s: AsyncSession, session_id: int, message_id: int, now: datetime) -> None:
    """Note the message a session went out in; a first send turns "pending" into "sent"."""
    await record_sent_many(s, [(session_id, message_id)], now)


def _record_sent_statement() -> Any:
    table = _table(Session)
    return (
        update(table)
        .where(table.c.id == bindparam("session_id"))
        .values(
            message_id=bindparam("message_id"),
            sent_at=func.coalesce(table.c.sent_at, bindparam("now", type_=UTCDateTime())),
            status=case((table.c.status == "pending", "sent"), else_=table.c.status),
        )
    )


_RECORD_SENT = _record_sent_statement()  # built once: a burst records thousands of groups


async def record_sent_many(s: AsyncSession, sent: Sequence[tuple[int, int]], now: datetime) -> None:
    """`record_sent` for many (session id, message id) pairs, in one executemany.

    One UPDATE per row, so a Done pressed while the send was in flight is never overwritten.
    It goes to the table, not through the ORM: rows loaded in `s` are not refreshed.
    """
    connection = await s.connection()  # Core: the session's transaction, not its ORM layer
    await connection.execute(
        _RECORD_SENT,
        [{"session_id": sid, "message_id": mid, "now": now} for sid, mid in sent],
    )


async def record_unsendable(s: AsyncSession, session_id: int) -> None:
    await s.execute(
        update(Session)
        .where(Session.id == session_id, Session.status == "pending")
        .values(status="missed")
    )


# --- weekly summary, reports, export ---------------------------------------------------------


async def claim_due_summaries(
    s: AsyncSession, now: datetime, lease_before: datetime, limit: int
) -> Sequence[User]:
    """Users whose weekly summary is due and not being sent, oldest first, locked."""
    unclaimed = _unclaimed(User.summary_claimed_at, User.next_summary_at, lease_before)
    return await _claim(s, User.next_summary_at, now, limit, unclaimed)


def _unclaimed(claimed: Any, due: Any, lease_before: datetime) -> Any:
    """Never claimed, claimed by a process that never recorded it (the lease ran out), or
    rescheduled since its claim (a new instant, due after the claim)."""
    return or_(claimed.is_(None), claimed <= lease_before, claimed < due)


async def record_summary(s: AsyncSession, user_id: int, due: datetime, following: datetime) -> None:
    """The summary due at `due` went out (or was given up): the next is at `following`."""
    await s.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            next_summary_at=case(
                (User.next_summary_at == due, literal(following, UTCDateTime())),
                else_=User.next_summary_at,
            ),
            summary_claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True, slots=True)
class DueTimer:
    """A guided timer that is up: its session, chat, due instant and hold."""

    session_id: int
    chat_id: int
    due_at: datetime
    exercise_id: str | None
    day: date
    step: int | None  # the guided step on screen when it was claimed
    hold: int  # 0-based
    level: int


async def claim_due_timers(
    s: AsyncSession, now: datetime, lease_before: datetime, limit: int
) -> list[DueTimer]:
    """Timers up and not being sent, with the step and hold each one is for."""
    unclaimed = _unclaimed(Session.timer_claimed_at, Session.timer_due_at, lease_before)
    sessions = await _claim(s, Session.timer_due_at, now, limit, unclaimed)
    chats = await chat_ids(s, [session.user_id for session in sessions])
    due: list[DueTimer] = []
    for session in sessions:
        assert session.timer_due_at is not None
        chat_id, active = chats[session.user_id]
        if active:
            due.append(
                DueTimer(
                    session.id,
                    chat_id,
                    session.timer_due_at,
                    session.timer_exercise,
                    session.day,
                    session.guided_step,
                    session.timer_hold or 0,
                    session.timer_level or 1,
                )
            )
            session.timer_claimed_at = now
        else:
            session.timer_due_at = session.timer_exercise = None
    return due


async def record_timer(s: AsyncSession, session_id: int, due: datetime) -> None:
    """The timer due at `due` went out (or was dropped); a newer one set meanwhile stays."""
    same = Session.timer_due_at == due
    await s.execute(
        update(Session)
        .where(Session.id == session_id)
        .values(
            timer_due_at=case((same, None), else_=Session.timer_due_at),
            timer_exercise=case((same, None), else_=Session.timer_exercise),
            timer_claimed_at=None,
        )
        .execution_options(synchronize_session=False)
    )


async def delete_long_inactive(
    s: AsyncSession, now: datetime, retention: timedelta, limit: int
) -> int:
    """Delete every row of up to `limit` users who blocked the bot and stayed inactive for
    `retention`, longest first; return how many. Users locked by another transaction (one
    coming back with /start) are skipped. A block with no date yet gets `now`."""
    await s.execute(
        update(User)
        .where(User.active.is_(False), User.inactive_since.is_(None))
        .values(inactive_since=now)
    )
    users = await _claim(s, User.inactive_since, now - retention, limit, User.active.is_(False))
    ids = [user.id for user in users]
    if ids:
        for table in USER_TABLES:
            await s.execute(delete(table).where(table.user_id.in_(ids)))
        await s.execute(delete(User).where(User.id.in_(ids)))
    return len(ids)
