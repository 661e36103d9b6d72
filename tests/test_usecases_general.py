"""Typed text and /cancel, called directly: the text means what the bot asked for."""

from __future__ import annotations

from datetime import time

import pytest

from bot.content import Content
from bot.domain.states import Awaiting
from bot.usecases import general, schedule, sessions
from bot.usecases.schedule import SetupNeed, SetupStep
from tests.usecase_support import ANA, NOW, CountingDatabase, content, db, scheduled_user

__all__ = ["content", "db"]  # fixtures

ZONES = frozenset({"Europe/Berlin", "Europe/London"})


@pytest.mark.parametrize(
    ("awaiting", "text", "outcome"),
    [
        (None, "07:30", general.NotAwaited()),
        (Awaiting.TIME, "soon", general.NotATime()),
        (Awaiting.TIME, "x" * 201, general.NotAwaited()),  # too long to be a time
        (Awaiting.ZONE, "Mars/Olympus", general.NotAZone(None)),
        (Awaiting.ZONE, "Berln", general.NotAZone("Europe/Berlin")),
        (Awaiting.NOTE, "x" * 201, general.NoteTooLong()),
    ],
)
async def test_typed_text_that_does_not_fit_what_was_asked_changes_nothing(
    db: CountingDatabase,
    content: Content,
    awaiting: Awaiting | None,
    text: str,
    outcome: object,
) -> None:
    await scheduled_user(db, content)
    if awaiting is not None:
        await schedule.await_input(db, ANA, awaiting)
    assert await general.typed_text(db, ANA, text, NOW, ZONES) == outcome
    view = await schedule.settings(db, ANA, NOW)
    assert (view.reminder_time, view.timezone) == (time(7, 30), "Europe/Berlin")


async def test_a_typed_time_is_taken_and_the_schedule_confirmed_in_one_transaction(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    await schedule.await_input(db, ANA, Awaiting.TIME)
    db.transactions = 0
    step = await general.typed_text(db, ANA, "8:15", NOW, ZONES)
    assert db.transactions == 1
    assert isinstance(step, SetupStep) and step.need is SetupNeed.COMPLETE
    assert step.reminder_time == time(8, 15)
    assert not await general.cancel(db, ANA)  # nothing is awaited any more


async def test_a_typed_note_lands_on_the_session_it_was_asked_for(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    await sessions.ask_note(db, ANA, day, NOW)
    assert await general.typed_text(db, ANA, "tight on the left", NOW, ZONES) == (
        general.NoteSaved(True)
    )
    [record] = await sessions.history(db, ANA, 14)
    assert record.note == "tight on the left"


async def test_text_from_someone_unknown_is_not_taken_as_anything(
    db: CountingDatabase,
) -> None:
    assert await general.typed_text(db, ANA, "07:30", NOW, ZONES) == general.NotAwaited()
    assert not await general.cancel(db, ANA)
