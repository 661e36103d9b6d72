"""End to end: pain before and after, Partly done, notes in the history, and the pain-response
rule moving the routine up or down a level."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.storage.models import Session
from tests.conftest import SESSION, onboard, sessions_of, step

TODAY = date(2026, 11, 21)


async def due_session(ana, clock, answers="yynnn"):
    await onboard(ana, answers=answers)
    clock.advance(timedelta(hours=1, minutes=30))
    return await ana.wait_for_text(SESSION)


async def seed_history(db, user_id: int, days: dict[int, tuple[str, int | None]]) -> None:
    """Sessions of earlier days: {days ago: (status, pain after)}."""
    async with db.transaction() as s:
        for ago, (status, pain) in days.items():
            day = TODAY - timedelta(days=ago)
            due = datetime(day.year, day.month, day.day, 6, 30, tzinfo=UTC)
            s.add(
                Session(
                    user_id=user_id,
                    day=day,
                    routine_id="desk-hips",
                    status=status,
                    due_at=due,
                    sent_at=due,
                    late=False,
                    pain=pain,
                )
            )


async def test_pain_before_and_after_and_a_note_show_up_in_the_history(bot, clock, ana, db):
    session = await due_session(ana, clock)
    # The card keeps the pain scale one tap away.
    assert not any(label.isdigit() for label, _ in session.buttons())
    asked = await ana.wait_answered(await ana.tap("Rate pain", session))
    assert "Before you start (optional)" in asked.get("text", "")
    assert [label for label, _ in session.buttons()] == [str(n) for n in range(11)]
    answer = await ana.wait_answered(await ana.tap("2", session))
    assert "2/10 before" in answer.get("text", "")
    # The scale goes; the session's own buttons stay.
    assert [label for label, _ in session.buttons()] == [
        "✅ Done",
        "◐ Partly done",
        "▶ Guided",
        "⏰ Snooze",
        "⏭ Skip today",
        "👀 Show me",
        "🚩 Something's wrong",
    ]
    done = await step(ana, "Done", "how is your knee pain")
    assert "add a short note" in done
    await step(ana, "3", "3/10")
    await step(ana, "Add a note", "Type your note")
    await step(ana, "knees a bit sore today", "Noted", tap=False)
    history = await step(ana, "/history", "recent sessions", tap=False)
    assert "Sat 21 Nov" in history and "✅ done" in history
    assert "pain 2 → 3" in history and "knees a bit sore today" in history
    rows = await sessions_of(db, ana.chat_id)
    assert [(r.pain_before, r.pain, r.note) for r in rows] == [(2, 3, "knees a bit sore today")]


async def test_partly_done_keeps_the_streak_and_done_afterwards_upgrades_it(bot, clock, ana, db):
    await due_session(ana, clock)
    partly = await step(ana, "Partly done", "Partly done still")
    assert "1 day" in partly
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["partly"]
    await step(ana, "/done", "Nice work", tap=False)
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["done"]
    await step(ana, "/done", "already", tap=False)


async def test_skip_can_carry_a_note_and_a_long_note_is_refused(bot, clock, ana, db):
    await due_session(ana, clock)
    await step(ana, "Skip today", "skipped")
    await step(ana, "Add a note", "Type your note")
    await step(ana, "x" * 201, "under 200", tap=False)
    await step(ana, "travelling", "Noted", tap=False)
    history = await step(ana, "/history", "recent sessions", tap=False)
    assert "⏭ skipped" in history and "travelling" in history


async def test_two_good_weeks_move_the_routine_up_a_level(bot, clock, ana, db):
    await due_session(ana, clock)
    await seed_history(db, ana.chat_id, {ago: ("done", 2) for ago in range(1, 15)})
    levels = await step(ana, "/levels", "How your routine changes", tap=False)
    assert "2–3 sets of 10–12 reps (level 1 of 2)" in levels
    assert "at least 80%" in levels and "5/10" in levels and "7 or more" in levels
    await step(ana, "Done", "how is your knee pain")
    up = await step(ana, "2", "Two good weeks")
    assert "100%" in up
    levels = await step(ana, "/levels", "How your routine changes", tap=False)
    assert "3 sets of 12 reps (level 2 of 2)" in levels
    assert "A full 60 seconds on each of 5 areas" in levels
    seen = len(ana.messages)
    clock.advance(timedelta(days=1))
    tomorrow = await ana.wait_for_text("Sun 22 Nov", after=seen)
    assert "3 sets of 12 reps" in tomorrow.text


async def test_pain_rising_twice_steps_the_routine_down(bot, clock, ana, db):
    await due_session(ana, clock, answers="nnnny")  # soft tissue, glute bridge, side lunge
    await seed_history(db, ana.chat_id, {3: ("done", 4), 2: ("done", 4), 1: ("done", 6)})
    await step(ana, "Done", "how is your knee pain")
    down = await step(ana, "6", "a level easier")
    assert "check with a doctor or physiotherapist" in down
    seen = len(ana.messages)
    clock.advance(timedelta(days=1))
    tomorrow = await ana.wait_for_text("Sun 22 Nov", after=seen)
    assert "Small glute bridge" in tomorrow.text and "Supported side step" in tomorrow.text


async def test_a_rating_of_seven_holds_the_level_and_advises_a_clinician(bot, clock, ana, db):
    await due_session(ana, clock)
    await seed_history(db, ana.chat_id, {ago: ("done", 2) for ago in range(1, 15)})
    await step(ana, "Done", "how is your knee pain")
    held = await step(ana, "7", "doctor or physiotherapist")
    assert "won't make your routine harder" in held and "Two good weeks" not in held
    levels = await step(ana, "/levels", "How your routine changes", tap=False)
    assert "(level 1 of 2)" in levels and "level 2 of 2" not in levels


async def test_a_high_rating_before_the_session_gets_the_advice_at_once(bot, clock, ana):
    session = await due_session(ana, clock)
    seen = len(ana.messages)
    await ana.wait_answered(await ana.tap("Rate pain", session))
    await ana.wait_answered(await ana.tap("8", session))
    advice = await ana.wait_for_text("ease off", after=seen)
    assert "8/10" in advice.text
