"""End to end: "Something's wrong" at check-in asks the red-flag tiers, most urgent first; a
yes stops reminders at that tier's advice; "I have been cleared" (or /resume) restarts them."""

from __future__ import annotations

from datetime import date, timedelta

from bot import callbacks as cb
from tests.conftest import SESSION, onboard, step, user_row


async def test_a_red_flag_at_check_in_stops_reminders_until_resume(bot, clock, ana, db):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Snooze", "When should I remind you")
    await step(ana, "1 h", "remind you again")
    flags = await step(ana, "Something's wrong", "Does any of these apply")
    assert "breathlessness" in flags and "fever" in flags  # the emergency tier first
    flags = await step(ana, "No, none of these", "Does any of these apply")
    assert "can't put weight on the leg" in flags and "locked" in flags
    stop = await step(ana, "Yes, one or more", "Please see a doctor today")
    assert "paused your reminders" in stop
    assert [label for label, _ in ana.last_message.buttons()] == ["I have been cleared"]
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_due_at is None and user.red_flag_at is not None

    # Neither the snoozed session nor the next days' sessions come.
    seen = len(ana.messages)
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    settings = await step(ana, "/settings", "Your settings", tap=False)
    assert "red flag" in settings
    saved = await step(ana, "/time 08:00", "Saved", tap=False)  # settings still change
    assert "/resume" in saved
    paused = await step(ana, "/pause 3", "already stopped", tap=False)
    assert "/resume" in paused

    resumed = await step(ana, "/resume", "on again", tap=False)
    assert "Tue 24 Nov" in resumed  # 07:30 now, so 08:00 today
    clock.advance(timedelta(minutes=30))
    back = await ana.wait_for_text(SESSION, after=seen)
    assert "Tue 24 Nov" in back.text


async def test_no_red_flag_carries_on_with_advice_to_go_gently(bot, clock, ana, db):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Something's wrong", "Does any of these apply")
    await step(ana, "No, none of these", "can't put weight on the leg")
    await step(ana, "No, none of these", "Pain at night")
    gentle = await step(ana, "No, none of these", "Go gently")
    assert "stop if the pain is sharp" in gentle
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.red_flag_at is None and user.next_due_at is not None


async def test_a_forged_red_flag_cannot_stop_another_users_reminders(bot, clock, telegram, ana, db):
    ben = telegram.user(2002, "Ben")
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ben, "/help", "/quiz", tap=False)
    forged = cb.encode(cb.CheckinRedFlag(date(2026, 11, 21), "emergency_now", True))
    answer = await ben.wait_answered(await ben.tap_data(forged, ben.last_message))
    assert "expired" in answer.get("text", "")
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.red_flag_at is None and user.next_due_at is not None


async def test_an_emergency_at_check_in_says_get_help_now_and_cleared_brings_reminders_back(
    bot, clock, ana, db
):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Something's wrong", "Does any of these apply")
    stop = await step(ana, "Yes, one or more", "Please get medical help now")
    assert "emergency" in stop and "paused your reminders" in stop
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_due_at is None and user.cleared_at is None

    clock.advance(timedelta(days=2))  # Monday 23 Nov, 07:30
    back = await step(ana, "I have been cleared", "next session is on")
    assert "Tue 24 Nov" in back  # today's time has passed: tomorrow
    assert "Question" not in ana.last_text  # no quiz: straight back to the routine
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.red_flag_at is None and user.next_due_at is not None
    assert user.cleared_at == clock.now
