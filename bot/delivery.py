"""The dispatcher: claim due sessions from the database, send them, record them, move on.

Delivery is driven by the database, not by per-user jobs. Each user row carries the UTC instant
of their next session (indexed). A scheduler job calls `Dispatcher.tick` every few seconds; a
tick claims what is due, oldest first, and in the same transaction writes that day's session
row (unique per user and local day) and advances the user's next instant. Only then is the
message sent, and its message id recorded afterwards.

So a restart can never send a day twice, and a crash between claim and send leaves a "pending"
row that a later tick re-sends once its lease (CLAIM_LEASE_SECONDS) has run out. The one
window that cannot be closed is a send Telegram accepted whose record was not written yet: that
session may arrive twice (at-least-once delivery), never zero times.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot import botapi, render, summary
from bot.cards import Card, SessionCards
from bot.content import Content
from bot.domain.schedule import local_date, next_due, second_reminder_at
from bot.domain.states import SessionStatus
from bot.domain.variants import Choice, plan
from bot.network import BULK, backoff, retry_seconds
from bot.storage import claims, repo
from bot.storage.models import Session
from bot.timers import send_due_timers
from bot.transport import dispatcher_retries
from bot.usecases.common import Deps, zone_of
from bot.usecases.planning import plan_summary

log = logging.getLogger(__name__)

BATCH = 50  # users claimed per transaction: also the most a shutdown waits for (< 2 s at 30/s)
CONCURRENCY = 16  # sends in flight: ample for 30/s at 0.5 s round trips; more made httpx slower
LATE_AFTER = timedelta(minutes=15)  # sent this long after its time, a session says it is late
MAX_ATTEMPTS = 8
# Users who blocked the bot RETENTION_DAYS ago are deleted by the tick: a batch an hour.
RETENTION_SWEEP_EVERY = timedelta(hours=1)
RETENTION_BATCH = 500


@dataclass(frozen=True, slots=True)
class SendJob:
    session_id: int
    user_id: int
    chat_id: int
    routine_id: str
    day: date
    late: bool
    choices: Mapping[str, Choice] = field(default_factory=dict)  # the user's variants, levels
    language: str | None = None  # the user's content language (None: English)


async def send_session(
    bot: Bot,
    content: Content,
    chat_id: int,
    routine_id: str,
    day: date,
    *,
    late: bool = False,
    choices: Mapping[str, Choice] | None = None,
    bulk: bool = False,
    webapp: str | None = None,
) -> Message:
    """Send the session message for `day`, as this user does the routine (`choices`).

    `bulk` marks a reminder: the pacer lets replies to people go first.
    """
    routine = content.routines[routine_id]
    steps = plan(routine.exercises, choices or {})
    text, markup = render.session(content, routine, day, late=late, steps=steps, webapp=webapp)
    if bulk and isinstance(bot, ExtBot) and bot.rate_limiter is not None:
        return await bot.send_message(chat_id, text, reply_markup=markup, rate_limit_args=BULK)
    return await bot.send_message(chat_id, text, reply_markup=markup)


async def send_card(bot: Bot, chat_id: int, card: Card) -> int:
    """Send a rendered session card as a reminder, paced as bulk when the bot has a pacer;
    return the message id.

    The card goes as bytes serialised once per card (`Card.body`) through `botapi.post`: PTB
    still maps Telegram's answer to RetryAfter, Forbidden, BadRequest, ...; only building the
    call and parsing the answer into a `Message` (a third of a reminder's CPU) are skipped.
    """
    data = {"chat_id": chat_id}
    sent = await botapi.post(bot, "sendMessage", card.body(chat_id), data, rate_limit_args=BULK)
    return int(sent["message_id"])


class Dispatcher:
    """Sends every due session exactly once per user and local day (see the module notes)."""

    def __init__(self, deps: Deps, bot: Bot, keep_going: Callable[[], bool] = lambda: True) -> None:
        self.deps = deps
        self.bot = bot
        # False once shutdown begins: the sends in flight finish, no new batch is claimed.
        self._keep_going = keep_going
        self._running = asyncio.Lock()
        self._sending = asyncio.Semaphore(CONCURRENCY)
        self._recording = asyncio.Lock()
        self._unrecorded: list[tuple[int, int]] = []  # (session id, message id) sent, not written
        self._looked_for = True  # False when a tick came while a pass was running
        self._swept_at: datetime | None = None  # the last retention sweep (see _forget_inactive)
        self._cards = SessionCards(  # rendered once per pass, shared by its sends
            deps.content,
            webapp=deps.settings.webapp_url,
            defaults=bot.defaults if isinstance(bot, ExtBot) else None,
        )

    async def tick(self) -> int:
        """The scheduler's entry point: a pass, unless one is still running (then skip)."""
        if self._running.locked():
            self._looked_for = False  # the running pass looks once more before it ends
            return 0
        return await self.run_due()

    async def run_due(self) -> int:
        """Send everything due now, after any pass already running; return how many went out."""
        async with self._running:
            if self._keep_going():
                await self._forget_inactive(self.deps.clock())
            self._cards.clear()
            sent = 0
            self._looked_for = False
            while not self._looked_for:
                self._looked_for = True
                # The clock is read per batch: a long burst also picks up what fell due meanwhile.
                while self._keep_going():
                    now = self.deps.clock()
                    # Guided-mode hold timers go between batches: their seconds count, and a
                    # burst of reminders can take minutes.
                    await send_due_timers(self.deps, self.bot, now)
                    if jobs := await self._claim(now):
                        results = await asyncio.gather(*(self._send(job) for job in jobs))
                        sent += sum(results)
                    # Weekly summaries wait behind the sessions: one small batch between claims.
                    elif not await summary.send_due_summaries(self.deps, self.bot, now):
                        break
            return sent

    async def _forget_inactive(self, now: datetime) -> None:
        """Delete users who blocked the bot and stayed inactive RETENTION_DAYS: at most a
        batch an hour, sooner while a full batch shows more are waiting."""
        if self._swept_at is not None and now - self._swept_at < RETENTION_SWEEP_EVERY:
            return
        async with self.deps.db.transaction() as s:
            gone = await claims.delete_long_inactive(
                s, now, self.deps.settings.retention, RETENTION_BATCH
            )
        self._swept_at = now if gone < RETENTION_BATCH else None
        if gone:
            log.info(
                "deleted %d users inactive for over %d days",
                gone,
                self.deps.settings.retention_days,
            )

    async def next_due(self) -> datetime | None:
        """The earliest instant anything falls due (see claims.earliest_due)."""
        async with self.deps.db.transaction() as s:
            return await claims.earliest_due(s)

    async def _claim(self, now: datetime) -> list[SendJob]:
        jobs: list[SendJob] = []
        async with self.deps.db.transaction() as s:
            users = await claims.claim_due_users(s, now, BATCH)
            planned = [(user, self._plan(user, now)) for user in users]
            await claims.advance_users(s, users)
            # One query for the whole batch: who already has that day's session (/today, /done).
            taken = await repo.session_days(
                s, [(row.user_id, row.day) for _, row in planned if row]
            )
            fresh = [
                (user.chat_id, row)
                for user, row in planned
                if row is not None and (row.user_id, row.day) not in taken
            ]
            # Core, not ORM objects: one INSERT for the batch's rows, their ids returned.
            ids = await claims.insert_sessions(s, [row for _, row in fresh])
            jobs += [
                SendJob(
                    ids[row.user_id, row.day],
                    row.user_id,
                    chat_id,
                    row.routine_id,
                    row.day,
                    row.late,
                )
                for chat_id, row in fresh
                if row.status == SessionStatus.PENDING
            ]
            again = [
                *await claims.claim_due_snoozes(s, now, BATCH),
                *await claims.claim_stale_pending(s, now - self.deps.settings.claim_lease, BATCH),
            ]
            chats = await claims.chat_ids(s, [session.user_id for session in again])
            for session in again:
                session.snooze_until = None
                session.claimed_at = now
                chat_id, active = chats[session.user_id]
                if active:
                    jobs.append(self._job(session, chat_id))
            if jobs:  # one query each for the whole batch's variants and levels, and languages
                choices = await repo.exercise_choices_of(s, [job.user_id for job in jobs])
                languages = await repo.languages_of(s, [job.user_id for job in jobs])
                jobs = [
                    replace(job, choices=choices[job.user_id], language=languages.get(job.user_id))
                    for job in jobs
                ]
        return jobs

    def _plan(self, user: claims.DueUser, now: datetime) -> claims.NewSession | None:
        """Advance the user past the due day; return that day's session row, if one is due."""
        due = user.next_due_at
        assert due is not None
        if user.routine_id is None or user.reminder_time is None:
            user.next_due_at = None
            return None
        zone = zone_of(user)
        day = local_date(due, zone)
        overdue = now - due
        beyond_grace = overdue > self.deps.settings.grace
        after = max(due, now - self.deps.settings.grace) if beyond_grace else due
        user.next_due_at, _ = next_due(
            user.reminder_time, zone, after, earliest_day=day + timedelta(days=1), days=user.days
        )
        if user.next_summary_at is None:
            plan_summary(user, now)  # users from before weekly summaries get their first one
        if beyond_grace:
            status = SessionStatus.MISSED
        elif user.paused_until is not None and day < user.paused_until:
            status = SessionStatus.PAUSED
        else:
            status = SessionStatus.PENDING
        # The optional second reminder rides on the snooze column, so Done, Partly done or
        # Skip (which clear it) cancel it.
        second = (
            second_reminder_at(due, user.second_reminder_hours, zone, now)
            if status is SessionStatus.PENDING
            else None
        )
        return claims.NewSession(
            user.id, day, user.routine_id, status, due, now, overdue > LATE_AFTER, second
        )

    @staticmethod
    def _job(session: Session, chat_id: int) -> SendJob:
        return SendJob(
            session.id, session.user_id, chat_id, session.routine_id, session.day, session.late
        )

    async def _send(self, job: SendJob) -> bool:
        """Send one session, then record it; True once sent and recorded.

        The record is written after the send's slot is free: the next send goes out while
        this one waits for its record, and the records of more sends go in one transaction.
        """
        message_id = await self._deliver(job)
        if message_id is None:
            return False
        await self._record_sent(job.session_id, message_id)
        return True

    async def _deliver(self, job: SendJob) -> int | None:
        """Send one session, honouring 429s and retrying network faults; its message id."""
        async with self._sending:
            for attempt in range(MAX_ATTEMPTS):
                try:
                    card = self._cards.card(
                        job.routine_id,
                        job.day,
                        late=job.late,
                        choices=job.choices,
                        language=job.language,
                    )
                    with dispatcher_retries():  # one request per attempt: the bound is 8
                        return await send_card(self.bot, job.chat_id, card)
                except RetryAfter as e:
                    await asyncio.sleep(retry_seconds(e))
                except Forbidden:
                    log.info("user %s blocked the bot; reminders stopped", job.user_id)
                    await self._give_up(job, deactivate=True)
                    return None
                except BadRequest as e:
                    log.warning("session for user %s refused: %s", job.user_id, e.message)
                    await self._give_up(job, deactivate="chat not found" in e.message.lower())
                    return None
                except (TimedOut, NetworkError) as e:
                    delay = backoff(attempt, base=1.0, cap=60.0)
                    log.warning(
                        "sending to user %s failed (%s); retry in %.1f s", job.user_id, e, delay
                    )
                    await asyncio.sleep(delay)
            log.error(
                "session for user %s not sent after %d attempts; will retry",
                job.user_id,
                MAX_ATTEMPTS,
            )
            return None

    async def _record_sent(self, session_id: int, message_id: int) -> None:
        """Record a send; return once it is committed.

        Group commit: sends that finish while a record is being written are written together
        in the next transaction, so a burst costs one transaction per group, not per message,
        and no record waits longer than one write.
        """
        self._unrecorded.append((session_id, message_id))
        async with self._recording:
            if not self._unrecorded:
                return  # the previous write took ours along
            group, self._unrecorded = self._unrecorded, []
            async with self.deps.db.transaction() as s:
                await claims.record_sent_many(s, group, self.deps.clock())

    async def _give_up(self, job: SendJob, *, deactivate: bool) -> None:
        async with self.deps.db.transaction() as s:
            await claims.record_unsendable(s, job.session_id)
            if deactivate:
                await repo.set_inactive(s, job.user_id, self.deps.clock())
