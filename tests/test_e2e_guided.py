"""End to end: guided mode, one exercise per message, with Next / Back and a hold timer."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import SESSION, onboard, sessions_of, step

DOCTOR = "Check with your doctor"


async def open_session(ana, clock):
    await onboard(ana)  # Desk-sitter hip opener: soft tissue, hip-flexor release, glute bridge
    clock.advance(timedelta(hours=1, minutes=30))
    return await ana.wait_for_text(SESSION)


async def test_guided_walks_through_each_exercise_and_finishing_records_done(bot, clock, ana, db):
    await open_session(ana, clock)
    first = await step(ana, "Guided", "step 1 of 3")
    assert "Soft-tissue warm-up" in first and "Hip-flexor" not in first
    assert "  1. " in first and DOCTOR in first and SESSION in first
    assert [label for label, _ in ana.last_message.buttons()] == [
        "😣 This hurts",
        "⏱ Start 30 s timer",
        "Next ➡",
    ]
    second = await step(ana, "Next", "step 2 of 3")
    assert "Three-way hip-flexor release" in second and DOCTOR in second and SESSION in second
    await step(ana, "Back", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    third = await step(ana, "Next", "step 3 of 3")
    assert "Glute bridge" in third and "2–3 sets of 10–12 reps" in third
    labels = [label for label, _ in ana.last_message.buttons()]
    assert labels == ["😣 This hurts", "⬅ Back", "✅ Finish"]  # reps, so no timer
    done = await step(ana, "Finish", "streak")
    assert "1 day" in done and "how is your knee pain" in done
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["done"]


async def test_an_old_steps_button_has_expired(bot, clock, ana):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    first = ana.last_message
    next_on_step_1 = first.buttons()[-1][1]
    await step(ana, "Next", "step 2 of 3")
    seen = len(ana.messages)
    query_id = await ana.tap_data(next_on_step_1, first)  # pressed again on the old message
    answer = await ana.wait_answered(query_id)
    assert "expired" in answer.get("text", "")
    assert not any("step" in m.text for m in ana.messages[seen:])


async def test_the_hold_timer_messages_when_the_time_is_up(bot, clock, ana):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    query_id = await ana.tap("Start 30 s timer")
    notice = await ana.wait_answered(query_id)
    assert "30 seconds" in notice.get("text", "")
    seen = len(ana.messages)
    clock.advance(timedelta(seconds=29))
    await bot.tick()
    assert not any("Time's up" in m.text for m in ana.messages[seen:])
    clock.advance(timedelta(seconds=1))
    done = await ana.wait_for_text("Time's up", after=seen)
    assert "Soft-tissue warm-up" in done.text and "stop if it hurts" in done.text
    await bot.tick()
    assert sum("Time's up" in m.text for m in ana.messages[seen:]) == 1


async def test_a_running_timer_survives_a_restart(bot, clock, ana):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))
    await bot.restart()
    seen = len(ana.messages)
    clock.advance(timedelta(seconds=31))
    done = await ana.wait_for_text("Time's up", after=seen)
    assert "hip-flexor" in done.text.lower()
    await bot.restart()
    await bot.tick()
    assert sum("Time's up" in m.text for m in ana.messages[seen:]) == 1
    # The walk carries on from the message sent before the restart.
    await step(ana, "Next", "step 3 of 3")


async def test_a_forged_guided_button_cannot_touch_another_users_session(
    bot, clock, telegram, ana, db
):
    from datetime import date

    from bot import callbacks as cb

    ben = telegram.user(2002, "Ben")
    await open_session(ana, clock)
    await step(ben, "/help", "/quiz", tap=False)
    for action in cb.GuidedAction:
        forged = cb.encode(cb.Guided(date(2026, 11, 21), 0, action))
        answer = await ben.wait_answered(await ben.tap_data(forged, ben.last_message))
        assert "expired" in answer.get("text", "")
    rows = await sessions_of(db, ana.chat_id)
    assert [(r.status, r.guided_step, r.timer_due_at) for r in rows] == [("sent", None, None)]
