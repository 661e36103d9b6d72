"""The bot's logs, at DEBUG, carry no health data: no quiz answers, pain ratings or notes."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.logs import NoHealthData, configure_logging
from tests.conftest import SESSION, onboard, step
from tests.fake_telegram import FakeTelegram

NOTE = "zebra knees after the Quetzal hike"
LOUD = ("", "telegram", "telegram.ext", "httpx", "httpcore", "sqlalchemy", "aiosqlite", "asyncpg")
QUIET = ("apscheduler", "alembic")  # configure_logging sets these too


@pytest.fixture
def debug_log(telegram: FakeTelegram) -> Iterator[io.StringIO]:
    """LOG_LEVEL=DEBUG as `python -m bot` sets it up, before the bot starts; and every chatty
    library's logger turned up to DEBUG too, as an operator chasing a bug might."""
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in LOUD + QUIET}
    saved_handlers = root.handlers[:]
    configure_logging("DEBUG", [telegram.token])
    for name in LOUD:
        logging.getLogger(name).setLevel(logging.DEBUG)
    (handler,) = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    sink = io.StringIO()
    handler.setStream(sink)  # the very lines the bot would write to stderr
    try:
        yield sink
    finally:
        root.handlers[:] = saved_handlers
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


async def test_a_whole_chat_at_debug_logs_no_answer_rating_or_note(
    debug_log, telegram, bot, clock, ana
):
    await onboard(ana, answers="yynyn")
    clock.advance(timedelta(hours=1, minutes=30))
    session = await ana.wait_for_text(SESSION)
    await ana.wait_answered(await ana.tap("Rate pain", session))
    before = await ana.wait_answered(await ana.tap("2", session))
    assert "2/10 before" in before.get("text", "")
    await step(ana, "Done", "how is your knee pain")
    await step(ana, "7", "7/10")
    await step(ana, "Add a note", "Type your note")
    await step(ana, NOTE, "Noted", tap=False)
    assert NOTE in await step(ana, "/history", "recent sessions", tap=False)
    # Every button Ana pressed: the quiz answers (yynyn) and the pain ratings among them.
    pressed = [
        telegram.callback_query(call["callback_query_id"]).data
        for call in telegram.calls_to("answerCallbackQuery")
    ]
    assert len(pressed) >= 10
    log = debug_log.getvalue()
    assert "Application started" in log  # the log was written
    assert NOTE not in log
    assert "/10" not in log  # the ratings, as the bot's replies show them
    for data in pressed:
        assert data not in log, f"callback data {data!r} (a rating or answer) is in the log"


def test_a_library_error_that_quotes_the_received_update_keeps_its_message_not_the_data():
    record = logging.LogRecord(
        "telegram.ext.Updater", logging.CRITICAL, __file__, 1,
        "Error while parsing updates! Received data was %r", ({"text": NOTE},), None,
    )  # fmt: skip
    assert NoHealthData().filter(record)
    assert record.getMessage() == "Error while parsing updates! Received data withheld."


def test_the_bots_own_debug_lines_are_kept_and_a_librarys_are_dropped():
    def line(name: str) -> logging.LogRecord:
        return logging.LogRecord(name, logging.DEBUG, __file__, 1, "x", None, None)

    assert NoHealthData().filter(line("bot.delivery"))
    assert not NoHealthData().filter(line("telegram.ext.ExtBot"))
    assert not NoHealthData().filter(line("aiosqlite"))
