"""End to end: every command, typed input, stale and forged buttons, and delivery edge cases."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from bot import callbacks as cb
from tests.conftest import SESSION, onboard, reach_quiz, sessions_of, step, user_row


async def test_help_lists_every_command(bot, ana):
    text = await step(ana, "/help", "/quiz", tap=False)
    for command in ("/routine", "/time", "/timezone", "/today", "/done", "/progress", "/pause"):
        assert command in text


async def test_commands_before_start_ask_to_finish_setup(bot, ana):
    for command in ("/today", "/progress", "/settings", "/time 07:00", "/routine"):
        await step(ana, command, "send /start", tap=False)


async def test_time_with_an_argument_acts_at_once_and_without_one_asks(bot, ana):
    await onboard(ana)
    confirmed = await step(ana, "/time 18:45", "All set", tap=False)
    assert "18:45" in confirmed and "Sat 21 Nov" in confirmed
    await step(ana, "/time", "What time", tap=False)
    await step(ana, "Type a time", "HH:MM")
    await step(ana, "quarter past six", "couldn't read", tap=False)
    confirmed = await step(ana, "5:45", "All set", tap=False)
    assert "05:45" in confirmed and "Sun 22 Nov" in confirmed  # 05:45 has passed today


async def test_timezone_tolerates_case_and_suggests_on_a_typo(bot, db, ana):
    await onboard(ana)
    confirmed = await step(ana, "/timezone asia/kolkata", "All set", tap=False)
    assert "Asia/Kolkata" in confirmed
    await step(ana, "/timezone America/New_Yrok", "Did you mean", tap=False)
    confirmed = await step(ana, "Use America/New_York", "All set")
    assert "America/New_York" in confirmed
    await step(ana, "/timezone Mars/Olympus", "don't know", tap=False)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.timezone == "America/New_York"


async def test_typing_a_zone_name_after_the_buttons(bot, ana):
    await reach_quiz(ana)
    for k in range(2, 6):
        await step(ana, "Yes", f"Question {k} of 5")
    await step(ana, "Yes", "suggestion")
    await step(ana, "✅", "What time")
    await step(ana, "07:30", "time zone")
    confirmed = await step(ana, "new york", "All set", tap=False)
    assert "America/New_York" in confirmed


async def test_routine_shows_the_current_one_and_switches_by_button_or_name(bot, db, ana):
    await onboard(ana)
    current = await step(ana, "/routine", "current routine", tap=False)
    assert "Desk" in current
    await step(ana, "Gentle", "routine is now")
    await step(ana, "/routine all-round", "routine is now", tap=False)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.routine_id == "all-round"


async def test_settings_shows_everything_with_buttons_to_change_it(bot, ana):
    await onboard(ana)
    text = await step(ana, "/settings", "Your settings", tap=False)
    assert "07:30" in text and "Europe/Berlin" in text and "Sat 21 Nov" in text
    await step(ana, "Time zone", "time zone")


async def test_pause_keeps_the_streak_and_resume_brings_reminders_back(bot, clock, db, ana):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Done", "streak")
    await step(ana, "/pause", "How long", tap=False)
    paused = await step(ana, "3 days", "paused until")
    assert "Tue 24 Nov" in paused  # Sun, Mon, Tue
    seen = len(ana.messages)
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    statuses = [r.status for r in sorted(await sessions_of(db, ana.chat_id), key=lambda r: r.day)]
    assert statuses == ["done", "paused", "paused", "paused"]
    progress = await step(ana, "/progress", "Your progress", tap=False)
    assert "Current streak: <b>1 day</b>" in progress and "100%" in progress
    clock.advance(timedelta(days=1))
    await ana.wait_for_text("Wed 25 Nov")
    await step(ana, "/resume", "aren't paused", tap=False)


async def test_pause_by_command_and_resume_early(bot, ana):
    await onboard(ana)
    await step(ana, "/pause 7", "paused until", tap=False)
    await step(ana, "/pause soon", "1 to 90", tap=False)
    resumed = await step(ana, "/resume", "on again", tap=False)
    assert "Sat 21 Nov" in resumed


async def test_today_sends_the_session_now_and_the_reminder_does_not_repeat_it(bot, clock, db, ana):
    await onboard(ana)
    seen = len(ana.messages)
    await ana.send("/today")
    await ana.wait_for_text(SESSION, after=seen)
    clock.advance(timedelta(hours=2))
    await bot.tick()
    assert sum(SESSION in m.text for m in ana.messages[seen:]) == 1
    assert len(await sessions_of(db, ana.chat_id)) == 1


async def test_done_by_command_before_the_reminder_means_no_reminder_today(bot, clock, db, ana):
    await onboard(ana)
    seen = len(ana.messages)
    await step(ana, "/done", "streak", tap=False)
    clock.advance(timedelta(hours=2))
    await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["done"]


async def test_cancel_stops_waiting_for_typed_input(bot, ana):
    await onboard(ana)
    await step(ana, "/time", "What time", tap=False)
    await step(ana, "/cancel", "cancelled", tap=False)
    await step(ana, "07:45", "didn't get that", tap=False)
    await step(ana, "/cancel", "nothing to cancel", tap=False)


async def test_unknown_commands_and_stray_text_get_a_pointer_to_help(bot, ana):
    await step(ana, "/dance", "/help", tap=False)
    await step(ana, "hello there " * 300, "didn't get that", tap=False)


async def test_a_forged_button_cannot_touch_another_users_session(bot, clock, db, telegram, ana):
    ben = telegram.user(2002, "Ben")
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    # Ben replays Ana's Done button (same data) from his own chat.
    done = cb.encode(cb.SessionPress(date(2026, 11, 21), cb.SessionAction.DONE))
    await ben.send("/help")
    await ben.wait_for_text("/quiz")
    query_id = await ben.tap_data(done, ben.last_message)
    answer = await ben.wait_answered(query_id)
    assert "expired" in answer.get("text", "")
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["sent"]


async def test_junk_and_old_buttons_are_politely_refused(bot, ana):
    await onboard(ana)
    for data in ("zzz", "q1:999:0:y", "s1:20200101:d", "x" * 64):
        query_id = await ana.tap_data(data, ana.last_message)
        answer = await ana.wait_answered(query_id)
        assert "expired" in answer.get("text", "")


async def test_a_429_on_a_due_session_is_waited_out_and_sent_once(bot, clock, telegram, db, ana):
    await onboard(ana)
    telegram.fail(
        "sendMessage", status=429, description="Too Many Requests", retry_after=1, times=2
    )
    seen = len(ana.messages)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION, after=seen, timeout=10)
    await bot.tick()
    assert sum(SESSION in m.text for m in ana.messages[seen:]) == 1
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["sent"]


async def test_after_downtime_a_session_within_grace_comes_late_and_beyond_it_is_missed(
    bot, clock, db, ana
):
    await onboard(ana)
    await bot.stop()
    clock.advance(timedelta(hours=3))  # due 07:30, back at 09:00: within the 3 h grace
    seen = len(ana.messages)
    await bot.start()
    late = await ana.wait_for_text(SESSION, after=seen)
    assert "a little late" in late.text

    await bot.stop()
    clock.advance(timedelta(days=1, hours=4))  # Sunday 13:00: Sunday's 07:30 is 5.5 h ago
    seen = len(ana.messages)
    await bot.start()
    await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    rows = {str(r.day): r.status for r in await sessions_of(db, ana.chat_id)}
    assert rows == {"2026-11-21": "sent", "2026-11-22": "missed"}
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_due_at is not None
    assert user.next_due_at.date() == date(2026, 11, 23)


async def test_a_blocked_user_gets_no_more_reminders_until_they_start_again(bot, clock, db, ana):
    await onboard(ana)
    await ana.block()
    clock.advance(timedelta(hours=1, minutes=30))
    await bot.tick()
    user = await user_row(db, ana.chat_id)
    assert user is not None and not user.active and user.next_due_at is None
    await ana.unblock()
    returning = await step(ana, "/start", "Your settings", tap=False)
    assert "07:30" in returning  # settings intact
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.active and user.next_due_at is not None


async def test_a_failed_command_registration_is_a_warning_not_a_crash(
    settings, clock, telegram, caplog
):
    from tests.conftest import RunningBot

    telegram.fail("setMyCommands", status=500, description="Internal Server Error", times=5)
    running = RunningBot(settings, clock)
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await running.start()
    try:
        assert any("command list" in r.getMessage() for r in caplog.records)
        ana = telegram.user(1001, "Ana")
        await step(ana, "/help", "/quiz", tap=False)
    finally:
        await running.stop()
