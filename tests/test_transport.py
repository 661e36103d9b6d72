"""The aiohttp transport under the bot: Telegram's errors keep their meaning, a message whose
answer timed out is never resent by the transport, and a reminder reaches Telegram at most
MAX_ATTEMPTS times however often its answers time out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot import botapi, delivery, render, transport
from bot.app import build_application
from bot.cards import SessionCards
from bot.config import Settings
from bot.content import load_content
from bot.delivery import MAX_ATTEMPTS
from bot.transport import AiohttpRequest
from tests.conftest import SESSION, onboard, sessions_of
from tests.fake_telegram import FakeTelegram

DAY = date(2026, 11, 30)
DUE = timedelta(hours=1, minutes=30)  # from the fixtures' 06:00 to the 07:30 reminder
SHORT_READ = 0.3  # seconds a call waits for its answer in these tests
LATE_ANSWER = 0.8  # seconds the fake holds a delayed answer: always past SHORT_READ


@pytest.fixture
def settings(database_url: str, telegram: FakeTelegram) -> Settings:
    """The suite's settings, with a read timeout short enough to hit in a test."""
    return Settings(
        _env_file=None,
        bot_token=telegram.token,
        database_url=database_url,
        telegram_base_url=telegram.base_url,
        tick_seconds=0.05,
        telegram_read_timeout=SHORT_READ,
    )


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries go at once: the count of requests is what these tests look at, not the pauses."""
    monkeypatch.setattr(delivery, "backoff", lambda *_args, **_kwargs: 0.0)
    monkeypatch.setattr(transport, "backoff", lambda *_args, **_kwargs: 0.0)


@pytest.fixture
async def api(telegram: FakeTelegram, no_backoff: None) -> AsyncIterator[Bot]:
    """A bare library Bot over the transport, talking to the fake."""
    bot = Bot(
        telegram.token,
        base_url=telegram.base_url,
        request=AiohttpRequest(read_timeout=SHORT_READ),
    )
    async with bot:
        yield bot


async def test_a_reminder_whose_answers_time_out_reaches_telegram_at_most_eight_times(
    bot, clock, telegram, db, ana, no_backoff
):
    await onboard(ana)
    # Telegram takes every send but answers too late: each attempt may have been delivered.
    telegram.delay("sendMessage", LATE_ANSWER, times=100)
    seen = len(ana.messages)
    clock.advance(DUE)
    assert await bot.tick() == 0
    received = sum(SESSION in m.text for m in ana.messages[seen:])
    assert received == MAX_ATTEMPTS == 8  # the dispatcher's attempts, never multiplied
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["pending"]

    # Answers come back; once the claim's lease runs out the session is sent, and recorded.
    telegram.clear_faults()
    clock.advance(timedelta(minutes=3))
    await bot.tick()
    assert sum(SESSION in m.text for m in ana.messages[seen:]) == MAX_ATTEMPTS + 1
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["sent"]


async def test_a_reply_whose_answer_timed_out_is_not_sent_again(api, telegram):
    ana = telegram.user(1001, "Ana")
    telegram.delay("sendMessage", LATE_ANSWER)
    with pytest.raises(TimedOut):
        await api.send_message(ana.chat_id, "Hello")
    assert [m.text for m in ana.messages] == ["Hello"]
    assert len(telegram.calls_to("sendMessage")) == 1


async def test_an_edit_whose_answer_timed_out_is_tried_again(api, telegram):
    ana = telegram.user(1001, "Ana")
    message = await api.send_message(ana.chat_id, "Question 1")
    telegram.delay("editMessageText", LATE_ANSWER)
    # The retry finds the edit made; handlers take "not modified" as done (test_reliability).
    with pytest.raises(BadRequest, match="not modified"):
        await api.edit_message_text("Question 1 → Yes", ana.chat_id, message.message_id)
    assert [m.text for m in ana.messages] == ["Question 1 → Yes"]
    assert len(telegram.calls_to("editMessageText")) == 2


async def test_a_dropped_connection_and_a_502_are_tried_again_until_the_send_succeeds(
    api, telegram
):
    ana = telegram.user(1001, "Ana")
    telegram.drop_connection("sendMessage")
    telegram.fail("sendMessage", status=502, description="Bad Gateway")
    await api.send_message(ana.chat_id, "Hello")
    assert [m.text for m in ana.messages] == ["Hello"]
    assert len(telegram.calls_to("sendMessage")) == 3


@pytest.mark.parametrize(
    ("status", "description", "error", "shown"),
    [
        (429, "Too Many Requests: retry after 7", RetryAfter, "Retry in 7 seconds"),
        (403, "Forbidden: bot was blocked by the user", Forbidden, "bot was blocked"),
        (400, "Bad Request: chat not found", BadRequest, "Chat not found"),
        (500, "Internal Server Error", NetworkError, "Internal Server Error"),
    ],
)
async def test_telegram_s_errors_reach_the_bot_as_the_library_s_errors(
    api, telegram, status, description, error, shown
):
    ana = telegram.user(1001, "Ana")
    telegram.fail(
        "sendMessage",
        status=status,
        description=description,
        retry_after=7 if status == 429 else None,
        times=3,
    )
    with pytest.raises(error) as raised:
        await api.send_message(ana.chat_id, "Hello")
    assert shown in str(raised.value)
    assert ana.messages == []
    # 4xx answers are final; a 5xx is tried three times.
    assert len(telegram.calls_to("sendMessage")) == (3 if status >= 500 else 1)


async def test_a_network_failure_never_shows_the_token(no_backoff):
    token = "123456:SECRET-token_value"
    request = AiohttpRequest()  # nothing listens on port 9
    await request.initialize()
    bot = Bot(token, base_url="http://127.0.0.1:9/bot", request=request)
    with pytest.raises(NetworkError) as raised:
        await bot.get_me()
    error = raised.value
    assert "aiohttp.ClientConnectorError" in error.message
    for shown in (str(error), repr(error), str(error.__cause__), str(error.__context__)):
        assert token not in shown and "SECRET" not in shown
    await request.shutdown()


async def test_a_document_goes_out_as_a_multipart_upload(api, telegram):
    ana = telegram.user(1001, "Ana")
    await api.send_document(ana.chat_id, b"%PDF-1.4 report", filename="report.pdf")
    [message] = ana.messages
    assert (message.file_bytes, message.filename) == (b"%PDF-1.4 report", "report.pdf")


@pytest.fixture
async def app_bot(settings: Settings, no_backoff: None) -> AsyncIterator[ExtBot[None]]:
    """The application's own bot: its defaults, this transport and the pacer."""
    bot = build_application(settings).bot
    async with bot:
        yield bot


async def test_a_reminder_card_goes_out_as_send_message_would_send_it(telegram, app_bot):
    """send_card posts the card's ready bytes: the same text, parse mode, link-preview default
    and buttons as the library's send_message with the bot's defaults."""
    ana, ben = telegram.user(1001, "Ana"), telegram.user(1002, "Ben")
    content = load_content()
    cards = SessionCards(content, defaults=app_bot.defaults)
    card = cards.card("desk-hips", DAY, late=False, choices={})
    message_id = await delivery.send_card(app_bot, ana.chat_id, card)
    await app_bot.send_message(
        ben.chat_id, card.text, api_kwargs={"reply_markup": card.reply_markup}
    )
    [fast, library] = telegram.calls_to("sendMessage")
    assert fast.pop("chat_id") == ana.chat_id and library.pop("chat_id") == ben.chat_id
    assert fast == library
    assert fast["parse_mode"] == "HTML" and fast["link_preview_options"] == {"is_disabled": True}
    [sent] = ana.messages
    assert (sent.message_id, sent.buttons()) == (message_id, ben.messages[0].buttons())


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, Forbidden), (400, BadRequest), (429, RetryAfter), (502, NetworkError)],
)
async def test_a_reminder_card_s_refusals_reach_the_dispatcher_as_the_library_s_errors(
    telegram, app_bot, status, error
):
    ana = telegram.user(1001, "Ana")
    telegram.fail(
        "sendMessage",
        status=status,
        description="Forbidden: bot was blocked by the user" if status == 403 else "refused",
        retry_after=7 if status == 429 else None,
        times=3,
    )
    card = SessionCards(load_content(), defaults=app_bot.defaults).card(
        "desk-hips", DAY, late=False, choices={}
    )
    with pytest.raises(error), transport.dispatcher_retries():
        await delivery.send_card(app_bot, ana.chat_id, card)
    assert ana.messages == []
    assert len(telegram.calls_to("sendMessage")) == 1  # inside the dispatcher: one try


async def test_replies_go_out_as_the_library_s_calls_would_send_them(telegram, app_bot):
    """botapi's replies (the handlers' say, edit and answer) post the same parameters as
    send_message, edit_message_text, edit_message_reply_markup and answer_callback_query with
    the bot's defaults; only the parsing of the answers into objects is left out."""
    ana = telegram.user(1001, "Ana")
    text, markup = render.question(load_content(), 7, 1)
    fast_id = await botapi.send_text(app_bot, ana.chat_id, text, markup)
    library = await app_bot.send_message(ana.chat_id, text, reply_markup=markup)
    [fast, slow] = telegram.calls_to("sendMessage")
    assert fast == slow and fast["parse_mode"] == "HTML"
    assert [m.message_id for m in ana.messages] == [fast_id, library.message_id]

    where = {"chat_id": ana.chat_id, "message_id": fast_id}
    await botapi.edit_text(app_bot, where, "<b>Answered</b>")
    await app_bot.edit_message_text("<b>Answered</b>", ana.chat_id, library.message_id)
    await botapi.edit_markup(app_bot, where, markup)
    await app_bot.edit_message_reply_markup(ana.chat_id, library.message_id, reply_markup=markup)
    for method in ("editMessageText", "editMessageReplyMarkup"):
        [fast, slow] = telegram.calls_to(method)
        assert fast.pop("message_id") == fast_id and slow.pop("message_id") == library.message_id
        if method == "editMessageReplyMarkup":  # the library adds a parse mode it has no use for
            assert slow.pop("parse_mode") == "HTML"
        assert fast == slow
    assert "reply_markup" not in telegram.calls_to("editMessageText")[0]  # keyboard taken away
    assert [(m.plain_text, bool(m.buttons())) for m in ana.messages] == [("Answered", True)] * 2


async def test_a_reply_s_refusal_is_the_library_s_error(telegram, app_bot):
    ana = telegram.user(1001, "Ana")
    telegram.fail("editMessageText", status=400, description="Bad Request: message not found")
    with pytest.raises(BadRequest, match=r"(?i)message not found"):
        await botapi.edit_text(app_bot, {"chat_id": ana.chat_id, "message_id": 99}, "gone")
    telegram.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden):
        await botapi.send_text(app_bot, ana.chat_id, "hello")
    assert ana.messages == []
