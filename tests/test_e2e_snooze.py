"""Snooze offers a choice of when, and the session comes back then (the clock is injected)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import SESSION, onboard, sessions_of, step


async def test_snooze_offers_15_min_1_h_3_h_and_this_evening_and_comes_back_then(
    bot, clock, ana, db
):
    await onboard(ana)  # every day at 07:30, Europe/Berlin
    clock.advance(timedelta(hours=1, minutes=30))
    card = await ana.wait_for_text(SESSION)
    await step(ana, "Snooze", "When should I remind you")
    choices = [label for label, _ in ana.messages[-1].buttons()]
    assert choices == ["15 min", "1 h", "3 h", "This evening, 19:00"]
    snoozed = await step(ana, "This evening", "remind you again")
    assert "19:00" in snoozed
    assert not ana.messages[-2].buttons()  # the choice is made: its buttons go
    [row] = await sessions_of(db, ana.chat_id)
    assert row.snooze_until is not None
    assert row.snooze_until.strftime("%H:%M") == "18:00"  # 19:00 in Berlin, in UTC
    seen = len(ana.messages)
    clock.advance(timedelta(hours=11, minutes=30))  # 19:00 in Berlin
    again = await ana.wait_for_text(SESSION, after=seen)
    assert again is not card
    # The evening is past now: the choices are the short ones.
    await step(ana, "Snooze", "When should I remind you")
    assert [label for label, _ in ana.messages[-1].buttons()] == ["15 min", "1 h", "3 h"]
    assert "19:15" in await step(ana, "15 min", "remind you again")
    seen = len(ana.messages)
    clock.advance(timedelta(minutes=15))
    await ana.wait_for_text(SESSION, after=seen)
