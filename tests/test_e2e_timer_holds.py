"""End to end: a hold exercise done in several holds gets a guided timer per hold, each due
instant in the database and sent by the delivery tick."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from bot.content import load_content
from bot.domain.holds import hold_of
from bot.render.sessions import hold_name
from tests.conftest import step
from tests.test_e2e_guided import open_session

HOLDS = [
    "first side, hold 1 of 3",
    "first side, hold 2 of 3",
    "first side, hold 3 of 3",
    "second side, hold 1 of 3",
    "second side, hold 2 of 3",
    "second side, hold 3 of 3",
]


async def time_up(ana, clock, seen: int) -> str:
    clock.advance(timedelta(seconds=30))
    return (await ana.wait_for_text("Time's up", after=seen)).text


async def test_each_of_six_holds_gets_its_timer_and_after_the_last_next_goes_on(bot, clock, ana):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")  # three directions on each side, 30 s each
    query_id = await ana.tap("Start 30 s timer")
    assert "30 seconds" in (await ana.wait_answered(query_id)).get("text", "")
    for done, following in itertools.pairwise(HOLDS):
        seen = len(ana.messages)
        text = await time_up(ana, clock, seen)
        assert f"{done} done" in text and f"Next: {following}" in text, text
        assert "Three-way hip-flexor release" in text and "stop if it hurts" in text
        labels = [label for label, _ in ana.last_message.buttons()]
        assert labels == [f"⏱ Start 30 s: {following}", "Next ➡"]
        await bot.tick()
        assert sum("Time's up" in m.text for m in ana.messages[seen:]) == 1  # once per hold
        query_id = await ana.tap("⏱ Start 30 s")
        assert "30 seconds" in (await ana.wait_answered(query_id)).get("text", "")
        assert ana.messages[seen].buttons() == []  # started: that button is gone
    text = await time_up(ana, clock, len(ana.messages))
    assert "second side, hold 3 of 3 done, that was the last one" in text
    assert [label for label, _ in ana.last_message.buttons()] == ["Next ➡"]
    await step(ana, "Next", "step 3 of 3")


async def test_the_next_holds_timer_survives_a_restart(bot, clock, ana):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))
    await time_up(ana, clock, len(ana.messages))
    await ana.wait_answered(await ana.tap("⏱ Start 30 s"))
    await bot.restart()
    seen = len(ana.messages)
    text = await time_up(ana, clock, seen)
    assert "first side, hold 2 of 3 done" in text and "Next: first side, hold 3 of 3" in text
    await bot.restart()
    await bot.tick()
    assert sum("Time's up" in m.text for m in ana.messages[seen:]) == 1


async def test_a_next_hold_button_of_a_step_left_behind_has_expired(bot, clock, ana, db):
    await open_session(ana, clock)
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await ana.wait_answered(await ana.tap("Start 30 s timer"))
    await time_up(ana, clock, len(ana.messages))
    timer_message = ana.last_message
    next_hold = timer_message.buttons()[0][1]
    await step(ana, "Next", "step 3 of 3")  # moved on with the timer message's Next
    query_id = await ana.tap_data(next_hold, timer_message)  # its hold button, pressed late
    assert "expired" in (await ana.wait_answered(query_id)).get("text", "")


@pytest.mark.parametrize(
    ("per_side", "sides", "names"),
    [
        (1, 2, ["first side", "second side"]),
        (3, 2, HOLDS),
        (9, 1, [f"hold {k} of 9" for k in range(1, 10)]),
        (1, 1, ["hold 1 of 1"]),
    ],
)
def test_holds_are_named_side_by_side_in_the_order_they_are_timed(per_side, sides, names):
    content = load_content()
    holds = [hold_of(index, per_side, sides) for index in range(per_side * sides)]
    assert [hold_name(content, hold) for hold in holds if hold is not None] == names
    assert hold_of(per_side * sides, per_side, sides) is None
    assert hold_of(-1, per_side, sides) is None
    assert [hold.last for hold in holds if hold is not None].count(True) == 1
