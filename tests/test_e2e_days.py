"""End to end: session days (every day, weekdays, custom) and a second reminder that comes
only while the session is still open."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import SESSION, onboard, sessions_of, step, user_row


async def test_weekdays_only_means_no_session_at_the_weekend(bot, clock, ana, db):
    confirmation = await onboard(ana)  # Saturday 06:00 in Berlin
    assert "Every day at <b>07:30</b>" in confirmation
    await step(ana, "/days", "Which days", tap=False)
    saved = await step(ana, "Weekdays", "Saved")
    assert "Weekdays (Mon–Fri)" in saved and "Mon 23 Nov" in saved
    await step(ana, "No, thanks", "Second reminder: <b>off</b>")
    seen = len(ana.messages)
    clock.advance(timedelta(days=1, hours=2))  # Sunday 08:00
    await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    clock.advance(timedelta(days=1))  # Monday 08:00
    monday = await ana.wait_for_text(SESSION, after=seen)
    assert "Mon 23 Nov" in monday.text
    assert [str(r.day) for r in await sessions_of(db, ana.chat_id)] == ["2026-11-23"]
    settings = await step(ana, "/settings", "Your settings", tap=False)
    assert "Days: Weekdays (Mon–Fri)" in settings


async def test_a_custom_set_of_days_by_toggles(bot, clock, ana, db):
    await onboard(ana)
    await step(ana, "/days", "Which days", tap=False)
    await ana.wait_answered(await ana.tap("Choose days"))  # the message turns into a picker
    assert "Tap the days" in ana.last_text and "Ticked: <b>Every day</b>" in ana.last_text
    for name in ("Tue", "Thu", "Sat", "Sun"):  # untick: Mon, Wed, Fri stay
        query_id = await ana.tap(f"✅ {name}")
        await ana.wait_answered(query_id)
    assert "Ticked: <b>Mon, Wed, Fri</b>" in ana.last_message.text
    saved = await step(ana, "Save", "Saved")
    assert "Mon, Wed, Fri" in saved and "Mon 23 Nov" in saved
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.days == 0b0010101


async def test_the_second_reminder_comes_only_while_the_session_is_open(bot, clock, ana, db):
    await onboard(ana)
    await step(ana, "/days", "Which days", tap=False)
    await step(ana, "Every day", "Saved")
    second = await step(ana, "2 h later", "Second reminder")
    assert "2 h after your usual time" in second
    # Saturday: not done by 09:30, so the session comes again.
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text("Sat 21 Nov")
    seen = len(ana.messages)
    clock.advance(timedelta(hours=2))
    again = await ana.wait_for_text(SESSION, after=seen)
    assert "Sat 21 Nov" in again.text
    await step(ana, "Done", "streak")
    # Sunday: done before the second reminder, so nothing more comes.
    clock.advance(timedelta(hours=22))
    await ana.wait_for_text("Sun 22 Nov")
    await step(ana, "Done", "streak")
    seen = len(ana.messages)
    clock.advance(timedelta(hours=3))
    await bot.tick()
    assert not any(SESSION in m.text for m in ana.messages[seen:])
    settings = await step(ana, "/settings", "Your settings", tap=False)
    assert "Second reminder: 2 h after" in settings
