"""The schema. Alembic migrations (migrations/versions) are its only way into a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.domain.states import Screen


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in Python, a plain UTC timestamp in every database."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


SUNDAY = 6

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """One Telegram user: safety screen, routine, schedule and where delivery stands."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # False once Telegram says the user blocked the bot; /start sets it back.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Since when the user has blocked the bot (set with `active` False; a date left from an
    # earlier block is ignored while active). NULL for a block from before this was recorded:
    # the next retention sweep starts their time then. RETENTION_DAYS later, all rows go.
    inactive_since: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When the user tapped "I agree" under the privacy notice; NULL: not yet, and no health
    # question is asked (or answer stored) until then.
    privacy_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A bot.domain.triage.AgeBand, asked once before the red-flag screen; NULL: not asked yet.
    age_band: Mapped[str | None] = mapped_column(String(8))
    # The red-flag screen's state: a bot.domain.states.Screen.
    screen: Mapped[str] = mapped_column(String(24), default=Screen.PENDING)
    # When the user last tapped "I have been cleared" (by a clinician) after a red flag or
    # the age advice; shown in the clinician report.
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The typed text the bot is waiting for: a bot.domain.states.Awaiting ("time", "zone",
    # "note"), or None.
    awaiting: Mapped[str | None] = mapped_column(String(8))
    routine_id: Mapped[str | None] = mapped_column(String(24))
    reminder_time: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The UTC instant of the next daily session; NULL while unscheduled or inactive.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paused_until: Mapped[date | None] = mapped_column(Date)  # first local day reminders resume
    # The weekly summary's day (0 = Monday … 6 = Sunday), at the reminder time; NULL: off.
    summary_day: Mapped[int | None] = mapped_column(
        SmallInteger, default=SUNDAY, server_default=text(str(SUNDAY))
    )
    # The UTC instant of the next weekly summary; NULL while off, unscheduled or inactive.
    next_summary_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When a tick took the due summary for sending; cleared once it is recorded as sent. One
    # left behind by a crash is sent again after the lease (see bot/summary.py).
    summary_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Weekdays with a session, a bit per day: 1 = Monday ... 64 = Sunday; 127 = every day.
    days: Mapped[int] = mapped_column(SmallInteger, default=127, server_default="127")
    # Hours after the reminder for a second one when the session is still open; NULL = none.
    second_reminder_hours: Mapped[int | None] = mapped_column(SmallInteger)
    # Set when a check-in reported a red flag: reminders stop until /resume.
    red_flag_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The local day the levels last moved (progression looks at the two weeks since).
    level_changed_on: Mapped[date | None] = mapped_column(Date)
    # The local day the four-weekly quiz re-check was last offered.
    recheck_offered_on: Mapped[date | None] = mapped_column(Date)
    # The session a typed note belongs to, while `awaiting` is "note".
    note_day: Mapped[date | None] = mapped_column(Date)
    # The content language ("en", "es", "de": a directory under content/); NULL until /start.
    language: Mapped[str | None] = mapped_column(String(8))

    @property
    def scheduled(self) -> bool:
        return None not in (self.routine_id, self.reminder_time, self.timezone)


class QuizAttempt(Base):
    """One run through the five-sign quiz; the newest unfinished one is in progress."""

    __tablename__ = "quiz_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[str] = mapped_column(String(8))  # "y", "n" or "-" per question
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_routine_id: Mapped[str | None] = mapped_column(String(24))


class Session(Base):
    """The daily session of one user on one local day; at most one per day."""

    __tablename__ = "sessions"
    __table_args__ = (
        UniqueConstraint("user_id", "day"),
        Index("ix_sessions_status_claimed_at", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # the user's local date
    routine_id: Mapped[str] = mapped_column(String(24))
    # A bot.domain.states.SessionStatus: "pending" (claimed, being sent), "sent", "done",
    # "partly", "skipped", "paused" (never sent), "missed".
    status: Mapped[str] = mapped_column(String(8))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    snooze_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    pain: Mapped[int | None] = mapped_column(SmallInteger)  # after the session, 0–10
    pain_before: Mapped[int | None] = mapped_column(SmallInteger)  # before it, 0–10
    note: Mapped[str | None] = mapped_column(String(200))  # the user's words at check-in
    # Guided mode: the step on screen, and a hold timer due to message the user.
    guided_step: Mapped[int | None] = mapped_column(SmallInteger)
    timer_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    timer_exercise: Mapped[str | None] = mapped_column(String(32))
    # Which hold of the step the timer is for (0-based; bot/domain/holds.py), at which level.
    timer_hold: Mapped[int | None] = mapped_column(SmallInteger)
    timer_level: Mapped[int | None] = mapped_column(SmallInteger)
    # When a tick took the due timer for sending (see bot/timers.py), like `claimed_at`.
    timer_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExerciseChoice(Base):
    """The form and level of one routine exercise (its slot) a user does, when not the first."""

    __tablename__ = "exercise_choices"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    slot: Mapped[str] = mapped_column(String(32), primary_key=True)
    exercise_id: Mapped[str] = mapped_column(String(32))
    level: Mapped[int] = mapped_column(SmallInteger)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DemoFile(Base):
    """Telegram's file_id of an uploaded demonstration, per bot: sent again instead of uploaded.

    Keyed by the demonstration's content hash, so changed keyframes make a new upload.
    """

    __tablename__ = "demo_files"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    file_id: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
