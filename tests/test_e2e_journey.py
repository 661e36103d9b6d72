"""End to end: a user chats with the real bot through the fake Bot API, by buttons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import COMMANDS
from bot.storage.models import QuizAttempt, User
from tests.conftest import SESSION, onboard, reach_quiz, sessions_of, step, user_row


async def test_a_new_user_reaches_a_scheduled_routine_by_buttons_alone(bot, telegram, ana, db):
    first = len(ana.messages)
    await ana.send("/start")
    welcome = await ana.wait_for_text("Hip Check", after=first)
    assert "not a doctor" in welcome.text and "Check with your doctor" in welcome.text

    confirmation = await onboard(ana, answers="yynnn")
    assert "Desk" in confirmation  # the routine for sitting and front-of-hip signs
    assert "07:30" in confirmation and "Europe/Berlin" in confirmation
    assert "Sat 21 Nov" in confirmation  # 06:00 now, so the first session is today

    result = next(m for m in ana.messages if "My suggestion" in m.text)
    assert "may" in result.text  # never a diagnosis

    assert telegram.unanswered_callbacks() == []
    registered = [c["command"] for c in telegram.commands()]
    assert registered == [name for name, _ in COMMANDS]
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.routine_id == "desk-hips"
    assert user.next_due_at is not None


async def test_back_goes_to_the_previous_question(bot, ana):
    await reach_quiz(ana)
    await step(ana, "Yes", "Question 2 of 5")
    text = await step(ana, "Back", "Question 1 of 5")
    assert "Question 1 of 5" in text
    await step(ana, "No", "Question 2 of 5")


async def test_a_red_flag_routes_to_a_clinician_before_any_exercise(bot, ana):
    await step(ana, "/start", "Your data, in short", tap=False)
    await step(ana, "I agree", "How old are you")
    await step(ana, "18 or over", "Does any of these apply")
    await step(ana, "No, none of these", "can't put weight")
    stop = await step(ana, "Yes, one or more", "Please see a doctor today")
    assert "Question" not in stop
    # Asking for the quiz does not skip the screen.
    await step(ana, "/quiz", "Please see a doctor today", tap=False)
    await step(ana, "I have been cleared", "Question 1 of 5")


async def test_no_signs_gets_the_honest_answer_and_the_general_routine(bot, ana):
    await reach_quiz(ana)
    for k in range(2, 6):
        await step(ana, "No", f"Question {k} of 5")
    result = await step(ana, "No", "suggestion")
    assert "may not be" in result
    labels = [label for label, _ in ana.last_message.buttons()]
    assert labels[0].startswith("✅ All-round")
    assert len(labels) >= 4  # every other routine is one tap away


async def test_the_session_arrives_when_the_clock_reaches_the_time(bot, clock, ana, db):
    await onboard(ana)
    before = len(ana.messages)
    assert await bot.tick() == 0  # 06:00 in Berlin: not yet
    clock.advance(timedelta(hours=1, minutes=30))  # 07:30
    session = await ana.wait_for_text(SESSION, after=before)
    assert "Desk" in session.text and "min" in session.text
    assert "Check with your doctor" in session.text
    assert "1. " in session.text and "2. " in session.text  # numbered exercises and cues
    assert "Stop if the pain is sharp" in session.text
    assert [label for label, _ in session.buttons()] == [
        "✅ Done",
        "◐ Partly done",
        "▶ Guided",
        "⏰ Snooze",
        "⏭ Skip today",
        "👀 Show me",
        "🚩 Something's wrong",
        "🩹 Rate pain",  # the optional pain rating before the session, one tap away
    ]
    assert "late" not in session.text
    rows = await sessions_of(db, ana.chat_id)
    assert [(r.status, str(r.day)) for r in rows] == [("sent", "2026-11-21")]


async def test_done_twice_records_once_and_progress_counts_it(bot, clock, ana, db):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    session = await ana.wait_for_text(SESSION)
    done_data = session.buttons()[0][1]
    done = await step(ana, "Done", "streak")
    assert "1 day" in done
    # The same button again, on the same message: nothing changes.
    seen = len(ana.messages)
    await ana.tap_data(done_data, session)
    again = await ana.wait_for_text("already", after=seen)
    assert "1 day" in again.text
    rows = await sessions_of(db, ana.chat_id)
    assert [r.status for r in rows] == ["done"]

    await step(ana, "4", "4/10")  # the optional pain rating
    progress = await step(ana, "/progress", "Your progress", tap=False)
    assert "Current streak: <b>1 day</b>" in progress
    assert "Sessions this week: 1" in progress
    assert "100%" in progress and "✅" in progress
    assert "4.0/10" in progress


async def test_skip_breaks_the_streak_and_snooze_sends_the_session_again(bot, clock, ana, db):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Snooze", "When should I remind you")
    snoozed = await step(ana, "1 h", "remind you again")
    assert "08:30" in snoozed
    seen = len(ana.messages)
    clock.advance(timedelta(hours=1))
    await ana.wait_for_text(SESSION, after=seen)
    await step(ana, "Skip today", "skipped")
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["skipped"]
    progress = await step(ana, "/progress", "Your progress", tap=False)
    assert "Current streak: <b>0 days</b>" in progress


async def test_restart_mid_quiz_carries_on_with_the_next_press(bot, ana, db):
    await reach_quiz(ana)
    await step(ana, "Yes", "Question 2 of 5")
    await step(ana, "Yes", "Question 3 of 5")
    await bot.restart()
    await step(ana, "No", "Question 4 of 5")  # the button on the message sent before the restart
    await step(ana, "No", "Question 5 of 5")
    await step(ana, "No", "suggestion")
    async with db.transaction() as s:
        attempts = (await s.scalars(select(QuizAttempt))).all()
    assert [a.answers for a in attempts] == ["yynnn"]


async def test_restart_before_the_due_time_still_delivers_exactly_once(bot, clock, ana, db):
    await onboard(ana)
    await bot.restart()
    seen = len(ana.messages)
    clock.advance(timedelta(hours=2))
    await ana.wait_for_text(SESSION, after=seen)
    await bot.restart()
    assert await bot.tick() == 0
    sessions = [m for m in ana.messages[seen:] if SESSION in m.text]
    assert len(sessions) == 1
    assert len(await sessions_of(db, ana.chat_id)) == 1


async def test_the_next_day_brings_the_next_session(bot, clock, ana, db):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text("Sat 21 Nov")
    clock.advance(timedelta(days=1))
    await ana.wait_for_text("Sun 22 Nov")
    assert [str(r.day) for r in await sessions_of(db, ana.chat_id)] == ["2026-11-21", "2026-11-22"]


async def test_deletedata_leaves_no_row_of_that_user_in_any_table(bot, clock, ana, telegram, db):
    ben = telegram.user(2002, "Ben")
    await onboard(ana)
    await onboard(ben, answers="nnnny")
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await ben.wait_for_text(SESSION)
    await step(ana, "Done", "streak")

    await step(ana, "/deletedata", "can't be undone", tap=False)
    await step(ana, "Yes, delete everything", "data is gone")

    from bot.storage.models import Base

    async with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            column = (
                table.c.get("user_id", table.c.get("id")) if table.name != "users" else table.c.id
            )
            ana_rows = (await s.execute(select(table).where(column == ana.chat_id))).all()
            assert ana_rows == [], table.name
        assert await s.get(User, ben.chat_id) is not None
    assert len(await sessions_of(db, ben.chat_id)) == 1
    # And no reminder comes for Ana tomorrow.
    seen = len(ana.messages)
    clock.advance(timedelta(days=1))
    await ben.wait_for_text("Sun 22 Nov")
    assert not any("Check with your doctor" in m.text for m in ana.messages[seen:])
