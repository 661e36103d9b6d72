"""Weekly summaries and guided-mode timers are at-least-once, like sessions: a crash between
the claim and the send loses nothing. The crash is a pass whose send never returns (the
process died there); a restarted bot sends what it claimed once the lease runs out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import Bot

from bot import summary, timers
from bot.content import load_content
from bot.storage.db import Database
from bot.usecases.common import Deps
from tests.conftest import SESSION, onboard, step, user_row

SUMMARY = "Your week"
TIMES_UP = "Time's up"


class Crash(BaseException):
    """The process dying: nothing after it runs, nothing catches it."""


class DiesOnSend:
    """A bot whose process is killed while its message is on the way (before Telegram has it)."""

    async def send_photo(self, *_args: Any, **_kwargs: Any) -> None:
        raise Crash

    async def send_message(self, *_args: Any, **_kwargs: Any) -> None:
        raise Crash


class DiesAfterSend:
    """A bot whose process is killed just after Telegram accepted its message."""

    def __init__(self, real: Bot) -> None:
        self.real = real

    async def send_photo(self, *args: Any, **kwargs: Any) -> None:
        await self.real.send_photo(*args, **kwargs)
        raise Crash


async def crash_while_sending(settings, clock, send_due, bot: Any = None) -> None:
    """One delivery pass of a process that is killed in the send; the claim stays committed."""
    deps = Deps(settings, load_content(), Database(settings.database_url), clock, frozenset())
    try:
        with pytest.raises(Crash):
            await send_due(deps, bot or DiesOnSend(), clock())
    finally:
        await deps.db.dispose()


async def summary_due(bot, clock, ana) -> None:
    """Ana did Saturday's session; the bot is stopped; it is Sunday 07:30, her summary due."""
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Done", "Nice work")
    await bot.stop()
    clock.advance(timedelta(days=1))


async def test_a_weekly_summary_claimed_by_a_crashed_process_arrives_once_after_the_lease(
    bot, settings, clock, db, ana
):
    await summary_due(bot, clock, ana)
    await crash_while_sending(settings, clock, summary.send_due_summaries)

    await bot.start()
    await bot.tick()  # within the lease: the crashed process might still be sending it
    assert sum(SESSION in m.text for m in ana.messages) == 2  # Sunday's session is not held up
    assert not any(SUMMARY in m.text for m in ana.messages)
    clock.advance(settings.claim_lease + timedelta(seconds=1))
    await ana.wait_for(lambda m: SUMMARY in m.text)
    await bot.tick()
    await bot.restart()
    await bot.tick()
    assert sum(SUMMARY in m.text for m in ana.messages) == 1
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.summary_claimed_at is None
    assert user.next_summary_at is not None and user.next_summary_at > clock() + timedelta(days=6)


async def test_a_crash_after_telegram_accepted_the_summary_sends_it_twice_the_one_window(
    bot, settings, telegram, clock, ana
):
    await summary_due(bot, clock, ana)
    async with Bot(telegram.token, base_url=telegram.base_url) as real:
        await crash_while_sending(settings, clock, summary.send_due_summaries, DiesAfterSend(real))
    assert sum(SUMMARY in m.text for m in ana.messages) == 1
    await bot.start()
    clock.advance(settings.claim_lease + timedelta(seconds=1))
    await bot.tick()
    assert sum(SUMMARY in m.text for m in ana.messages) == 2  # as docs/RELIABILITY.md says
    await bot.tick()
    assert sum(SUMMARY in m.text for m in ana.messages) == 2  # and only that once


async def test_a_hold_timer_claimed_by_a_crashed_process_arrives_once_after_the_lease(
    bot, settings, clock, ana
):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Guided", "step 1 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))
    await bot.stop()
    clock.advance(timedelta(seconds=30))
    await crash_while_sending(settings, clock, timers.send_due_timers)

    await bot.start()
    await bot.tick()  # within the lease
    assert not any(TIMES_UP in m.text for m in ana.messages)
    clock.advance(settings.claim_lease + timedelta(seconds=1))
    await ana.wait_for_text(TIMES_UP)
    await bot.restart()
    await bot.tick()
    assert sum(TIMES_UP in m.text for m in ana.messages) == 1
    await step(ana, "Next", "step 2 of 3")  # the walk carries on


async def test_a_new_timer_started_after_a_crash_is_not_held_up_by_the_old_claim(
    bot, settings, clock, ana
):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Guided", "step 1 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))
    await bot.stop()
    clock.advance(timedelta(seconds=30))
    await crash_while_sending(settings, clock, timers.send_due_timers)
    await bot.start()
    await step(ana, "Next", "step 2 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))  # a new hold, on the next step
    clock.advance(timedelta(seconds=30))
    done = await ana.wait_for_text(TIMES_UP)  # on time, not after the old claim's lease
    assert "hip-flexor" in done.text.lower()
