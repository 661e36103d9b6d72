"""End to end: the four-week chart and the weekly summary.

Files are checked for what they are, not for having been sent: the PNG decodes.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy import update

from bot.storage.models import User
from tests.conftest import SESSION, onboard, step, user_row
from tests.fake_telegram import BotMessage, FakeUser

SUMMARY = "Your week"
SUNDAY_0730 = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)  # in Berlin


def photos(user: FakeUser, after: int = 0) -> list[BotMessage]:
    return [m for m in user.messages[after:] if m.method == "sendPhoto"]


async def wait_for_file(user: FakeUser, method: str, after: int) -> BotMessage:
    return await user.wait_for(lambda m: m.method == method, after=after, timeout=15)


def png_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image.size


async def session_of(user: FakeUser, day_label: str) -> BotMessage:
    """Wait for the session message of the day labelled e.g. "Sat 21 Nov"."""
    return await user.wait_for(lambda m: SESSION in m.text and day_label in m.text)


async def do_session(user: FakeUser, day_label: str, *, pain: str | None) -> None:
    """Wait for the day's session, mark it done and, if given, rate the pain."""
    await session_of(user, day_label)
    await step(user, "Done", "streak")
    if pain is not None:
        await step(user, pain, f"{pain}/10")


async def test_progress_offers_the_chart_as_a_png_of_the_last_four_weeks(bot, clock, ana):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await do_session(ana, "Sat 21 Nov", pain="4")
    await step(ana, "/progress", "Your progress", tap=False)
    seen = len(ana.messages)
    query_id = await ana.tap("📊 Chart")
    chart = await wait_for_file(ana, "sendPhoto", seen)
    await ana.wait_answered(query_id)
    assert png_size(chart.file_bytes) == (800, 500)
    assert "Sessions done: <b>1</b>" in chart.text
    assert "completed: <b>100%</b>" in chart.text
    assert "4.0/10" in chart.text


async def test_the_weekly_summary_comes_on_sunday_at_the_reminder_time_once(bot, clock, db, ana):
    await onboard(ana)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.summary_day == 6  # Sunday unless they choose otherwise
    assert user.next_summary_at == SUNDAY_0730
    clock.advance(timedelta(hours=1, minutes=30))
    await do_session(ana, "Sat 21 Nov", pain="4")
    assert photos(ana) == []

    clock.advance(timedelta(days=1))  # Sunday 07:30
    summary = await ana.wait_for(lambda m: SUMMARY in m.text)
    await session_of(ana, "Sun 22 Nov")  # the day's session comes as well
    assert summary.method == "sendPhoto" and png_size(summary.file_bytes) == (800, 500)
    assert "Sun 15 Nov – Sat 21 Nov" in summary.text
    assert "Sessions done: <b>1 of 1</b>" in summary.text
    assert "Current streak: <b>1 day</b>" in summary.text
    assert "4.0/10" in summary.text and "the week before: –" in summary.text

    # Restarts and extra ticks never send the week's summary again.
    await bot.restart()
    await bot.tick()
    clock.advance(timedelta(hours=2))
    await bot.restart()
    await bot.tick()
    assert len(photos(ana)) == 1
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730 + timedelta(days=7)


async def test_the_next_weeks_summary_follows_a_week_later(bot, clock, ana):
    await onboard(ana)
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30
    await ana.wait_for(lambda m: SUMMARY in m.text)
    clock.advance(timedelta(days=7))
    second = await ana.wait_for(lambda m: "Sun 22 Nov – Sat 28 Nov" in m.text)
    assert second.method == "sendPhoto"
    assert len(photos(ana)) == 2


async def test_the_user_picks_the_summary_day_in_the_settings_or_turns_it_off(bot, clock, db, ana):
    await onboard(ana)
    await step(ana, "/settings", "Your settings", tap=False)
    choices = await step(ana, "Weekly summary", "Which day")
    assert "every Sunday" in choices
    chosen = await step(ana, "Wed", "every <b>Wednesday</b>")
    assert "Wed 25 Nov" in chosen
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30: nothing now
    await session_of(ana, "Sun 22 Nov")
    await bot.tick()
    assert photos(ana) == []
    clock.advance(timedelta(days=3))  # Wednesday 07:30
    await ana.wait_for(lambda m: SUMMARY in m.text)

    await step(ana, "/summary off", "no more weekly summaries", tap=False)
    user = await user_row(db, ana.chat_id)
    assert user is not None and (user.summary_day, user.next_summary_at) == (None, None)
    clock.advance(timedelta(days=7))
    await session_of(ana, "Wed 2 Dec")
    await bot.tick()
    assert len(photos(ana)) == 1
    await step(ana, "/summary funday", "isn't a day I know", tap=False)
    await step(ana, "/summary SUN", "every <b>Sunday</b>", tap=False)


async def test_no_summary_while_paused_or_after_downtime_beyond_the_grace_window(
    bot, clock, db, ana
):
    await onboard(ana)
    await step(ana, "/pause 3", "paused until", tap=False)
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30, paused
    await bot.tick()
    assert photos(ana) == []

    await bot.stop()
    clock.advance(timedelta(days=7, hours=4))  # the next Sunday, 11:30: 4 h late
    await bot.start()
    await bot.tick()
    assert photos(ana) == []
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730 + timedelta(days=14)


async def test_users_from_before_summaries_get_one_planned_at_their_next_session(
    bot, clock, db, ana
):
    await onboard(ana)
    async with db.transaction() as s:  # as the migration leaves an existing user
        await s.execute(update(User).values(next_summary_at=None))
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730


async def test_summary_before_start_asks_to_finish_setup(bot, ana):
    for command in ("/summary",):
        await step(ana, command, "send /start", tap=False)
