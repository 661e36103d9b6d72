"""End to end: four weeks after the quiz a check-in offers it again, and the result shows
the change sign by sign."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.storage.models import QuizAttempt
from tests.conftest import SESSION, onboard, pass_screen, step


async def quiz_taken_weeks_ago(db, user_id: int, weeks: int, clock) -> None:
    async with db.transaction() as s:
        await s.execute(
            update(QuizAttempt)
            .where(QuizAttempt.user_id == user_id)
            .values(finished_at=clock.now - timedelta(weeks=weeks))
        )


async def test_four_weeks_on_a_check_in_offers_the_quiz_and_shows_each_signs_change(
    bot, clock, ana, db
):
    await onboard(ana, answers="yynny")
    await quiz_taken_weeks_ago(db, ana.chat_id, 4, clock)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    seen = len(ana.messages)
    await step(ana, "Done", "streak")
    offer = await ana.wait_for_text("four weeks since your hip quiz", after=seen)
    # The red-flag screen comes again before the questions, most urgent tier first.
    await step(ana, "Retake the quiz", "breathlessness")
    await pass_screen(ana, "Question 1 of 5")
    for k, answer in enumerate("ynnnn", start=2):
        await step(ana, "Yes" if answer == "y" else "No", f"Question {k} of 5" if k <= 5 else "")
    changes = await ana.wait_for_text("sign by sign", after=seen)
    assert "Sat 24 Oct" in changes.text
    assert "Knee pain after sitting or on stairs: yes → <b>yes</b>" not in changes.text
    assert "Knee pain after sitting or on stairs: yes → yes" in changes.text
    assert "Tightness at the front of the hips: yes → <b>no</b>" in changes.text
    assert "Knees cave in when squatting: yes → <b>no</b>" in changes.text
    assert "Shaky balance on one leg: no → no" in changes.text
    await ana.wait_for_text("My suggestion", after=seen)
    assert offer.buttons() == []  # the offer's buttons are gone once used

    # Offered once: the next day's check-in does not ask again.
    clock.advance(timedelta(days=1))
    await ana.wait_for_text("Sun 22 Nov")
    seen = len(ana.messages)
    await step(ana, "/done", "streak", tap=False)
    await bot.tick()
    assert not any("four weeks" in m.text for m in ana.messages[seen:])


async def test_not_now_waits_another_four_weeks_and_a_fresh_quiz_is_not_offered(
    bot, clock, ana, db
):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    seen = len(ana.messages)
    await step(ana, "Done", "streak")
    assert not any("four weeks" in m.text for m in ana.messages[seen:])  # quiz just taken
    await quiz_taken_weeks_ago(db, ana.chat_id, 5, clock)
    clock.advance(timedelta(days=1))
    await ana.wait_for_text("Sun 22 Nov")
    await step(ana, "Done", "four weeks since")
    await step(ana, "Not now", "ask again in four weeks")
