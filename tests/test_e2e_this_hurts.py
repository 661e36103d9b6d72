"""End to end: "This hurts" swaps in the easier variant at once and remembers it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.storage.models import ExerciseChoice
from tests.conftest import SESSION, onboard, step


async def test_this_hurts_swaps_the_side_lunge_now_and_in_the_next_sessions(bot, clock, ana, db):
    await onboard(ana, answers="nnnny")  # knees cave in: soft tissue, glute bridge, side lunge
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    lunge = await step(ana, "Next", "step 3 of 3")
    assert "Side lunge" in lunge
    swapped = await step(ana, "This hurts", "gentler")
    assert "Supported side step" in swapped and "next sessions" in swapped
    easier = await ana.wait_for_text("Supported side step · 2 sets of 8 steps per side")
    assert "step 3 of 3" in easier.text and "Stop if the pain is sharp" in easier.text
    assert "Check with your doctor" in easier.text

    # Already the gentlest: said so, with the advice to check in if it keeps hurting.
    gentlest = await step(ana, "This hurts", "gentlest")
    assert "doctor or physiotherapist" in gentlest
    await step(ana, "Finish", "streak")

    async with db.transaction() as s:
        rows = (await s.scalars(select(ExerciseChoice))).all()
    assert [(r.user_id, r.slot, r.exercise_id, r.level) for r in rows] == [
        (ana.chat_id, "lateral-lunge", "supported-side-step", 1)
    ]
    seen = len(ana.messages)
    clock.advance(timedelta(days=1))
    tomorrow = await ana.wait_for_text("Sun 22 Nov", after=seen)
    assert "Supported side step" in tomorrow.text and "Side lunge" not in tomorrow.text
    assert "General guidance" in tomorrow.text  # the invented form says so


async def test_an_easier_form_already_in_the_routine_is_not_done_twice(bot, clock, ana):
    await onboard(ana, answers="nnynn")  # pigeon sign: soft tissue, figure-four, chair pigeon
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await step(ana, "Next", "step 3 of 3")
    await step(ana, "This hurts", "Seated figure-four stretch</b> instead")
    last = await ana.wait_for_text("step 2 of 2")
    assert "Seated figure-four" in last.text
    await step(ana, "/today", SESSION, tap=False)
    session = ana.last_text
    exercises = session.split("<blockquote")[0]  # the card's list, above the folded cues
    assert "Supported pigeon" not in session and exercises.count("Seated figure-four") == 1
