"""Tests of tests/fake_telegram.py, driving the real python-telegram-bot against it."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any, TypeAlias

import httpx
import pytest
import pytest_asyncio
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.asyncio

AnyApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]
TOKEN = "123456:TEST-TOKEN"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="yes"),
            InlineKeyboardButton("No", callback_data="no"),
        ]
    ]
)


@pytest_asyncio.fixture(loop_scope="function")
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest_asyncio.fixture(loop_scope="function")
async def bot(server: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url) as the_bot:
        yield the_bot


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    context.bot_data.setdefault("seen", []).append(update.update_id)
    await update.effective_message.reply_text("Do your hips hurt?", reply_markup=KEYBOARD)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    context.bot_data.setdefault("seen", []).append(update.update_id)
    await query.answer()
    await query.edit_message_text(f"You said {query.data}")


@pytest_asyncio.fixture(loop_scope="function")
async def app(server: FakeTelegram) -> AsyncIterator[AnyApp]:
    application = ApplicationBuilder().token(TOKEN).base_url(server.base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(answer))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        if application.updater.running:
            await application.updater.stop()
        await application.stop()
        await application.shutdown()


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # int-vs-timedelta deprecation warning in PTB 22
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# ----------------------------------------------------------------- end to end with PTB


async def test_start_shows_buttons(server: FakeTelegram, app: AnyApp) -> None:
    ana = server.user(42, "Ana")
    await ana.send("/start")
    msg = await ana.wait_for(lambda m: bool(m.buttons()))
    assert msg.text == "Do your hips hurt?"
    assert msg.buttons() == [("Yes", "yes"), ("No", "no")]
    assert msg.chat_id == 42
    sent = server.calls_to("sendMessage")[-1]
    assert sent["chat_id"] == 42  # PTB sent "42", JSON-decoded to an int
    assert sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert server.calls_to("getMe") == [{}]
    assert server.unknown_calls == []


async def test_tap_answers_and_edits(server: FakeTelegram, app: AnyApp) -> None:
    ana = server.user(42, "Ana")
    await ana.send("/start")
    msg = await ana.wait_for_text("hips")
    query_id = await ana.tap("Yes")
    answer_params = await ana.wait_answered(query_id)
    assert answer_params == {}
    edited = await ana.wait_for_text("You said yes")
    assert edited is msg
    assert msg.edits == 1
    assert msg.history == ["Do your hips hurt?"]
    assert msg.reply_markup is None  # edit without reply_markup drops the keyboard
    assert ana.callback_answered(query_id)
    assert server.unanswered_callbacks() == []
    assert len(ana.messages) == 1
    assert server.unknown_calls == []


async def test_each_update_processed_once(server: FakeTelegram, app: AnyApp) -> None:
    ana = server.user(42, "Ana")
    bob = server.user(43, "Bob")
    for user in (ana, bob, ana):
        await user.send("/start")
    await ana.wait_for(lambda m: True, after=1)
    await bob.wait_for_text("hips")
    assert app.updater is not None
    await app.updater.stop()  # makes the final getUpdates that confirms the offset
    seen = app.bot_data["seen"]
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 3
    assert all(count == 1 for count in server.delivery_counts.values())
    assert server.pending_updates() == []
    offsets = [p.get("offset", 0) for p in server.calls_to("getUpdates")]
    assert offsets == sorted(offsets)
    assert offsets[-1] == max(seen) + 1


async def test_user_message_shape(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42, "Ana", username="ana_h")
    message_id = await ana.send("/start@hipcheck_test_bot deep-link")
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.message_id == message_id
    assert update.message.text == "/start@hipcheck_test_bot deep-link"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start@hipcheck_test_bot")
    assert update.effective_user is not None
    assert update.effective_user.username == "ana_h"
    assert update.effective_chat is not None
    assert update.effective_chat.type == "private"
    # Message ids are shared between the user's and the bot's messages in a chat.
    reply = await bot.send_message(42, "hi")
    assert reply.message_id == message_id + 1


# ----------------------------------------------------------------- getUpdates semantics


async def test_offset_confirms_updates(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    await ana.send("one")
    await ana.send("two")
    first = await bot.get_updates()
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    again = await bot.get_updates()  # not confirmed yet: delivered again
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == ()
    assert server.pending_updates() == []
    await ana.send("three")
    (third,) = await bot.get_updates(offset=first[-1].update_id + 1, limit=5)
    assert third.message is not None
    assert third.message.text == "three"


async def test_long_poll_returns_when_update_arrives(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await ana.send("hello")
    updates = await poll
    assert len(updates) == 1
    assert time.monotonic() - started < 1.0


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 1.8


async def test_second_poller_conflicts_the_first(server: FakeTelegram, bot: Bot) -> None:
    # PTB's getUpdates connection pool has one connection, so a second poller needs a
    # second Bot (as a second bot process would be).
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(TOKEN, base_url=server.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await first


async def test_webhook_blocks_get_updates(server: FakeTelegram, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.invalid/hook")
    assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await server.user(42).send("x")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


# ----------------------------------------------------------------- error answers


async def test_429_raises_retry_after(server: FakeTelegram, bot: Bot) -> None:
    server.user(42)
    server.fail(
        "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(42, "hello")
    assert retry_after_seconds(info.value) == 7
    assert server.messages_in(42) == []
    await bot.send_message(42, "hello")  # times=1: the next call goes through
    assert [m.text for m in server.messages_in(42)] == ["hello"]
    assert [c.status for c in server.calls if c.method == "sendMessage"] == [429, 200]


async def test_403_for_one_chat_raises_forbidden(server: FakeTelegram, bot: Bot) -> None:
    server.user(42)
    server.user(43)
    server.fail(
        "sendmessage", status=403, description="Forbidden: bot was blocked by the user", chat_id=42
    )
    await bot.send_message(43, "not affected")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(42, "hello")


async def test_blocked_user(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    await ana.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(42, "hello")
    (update,) = await bot.get_updates()
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_unknown_chat_and_wrong_token(server: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "hello")
    calls_before = len(server.calls)
    with pytest.raises(InvalidToken, match="rejected by the server") as info:
        async with Bot("1:WRONG", base_url=server.base_url):
            pass
    assert str(info.value.__cause__) == "Unauthorized"
    assert len(server.calls) == calls_before  # requests with a wrong token are not recorded


async def test_edit_rules(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    sent = await bot.send_message(42, "Question 1", reply_markup=KEYBOARD)
    assert sent.reply_markup == KEYBOARD
    await bot.edit_message_text(
        "Question 1 (answered)", chat_id=42, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Question 1 (answered)", chat_id=42, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=42, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)
    assert await bot.delete_message(42, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(42, sent.message_id)
    msg = ana.messages[0]
    assert (msg.deleted, msg.edits, msg.text) == (True, 2, "Question 1 (answered)")


async def test_answer_callback_rules(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    await bot.send_message(42, "Q", reply_markup=KEYBOARD)
    query_id = await ana.tap("No")
    assert server.unanswered_callbacks() == [query_id]
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.data == "no"
    assert isinstance(update.callback_query.message, Message)
    assert update.callback_query.message.reply_markup == KEYBOARD
    assert await update.callback_query.answer("Noted", show_alert=True)
    assert (await ana.wait_answered(query_id))["text"] == "Noted"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("123")


async def test_unknown_method_recorded(server: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendDice", api_kwargs={"chat_id": 42})
    with pytest.raises(InvalidToken, match="method not found"):
        await bot.get_chat(42)  # not implemented by the fake
    assert [c.method for c in server.unknown_calls] == ["sendDice", "getChat"]


async def test_method_names_are_case_insensitive(server: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        url = f"{server.base_url}{TOKEN}"
        response = await client.get(f"{url}/GETME")
        assert response.json()["result"]["username"] == "hipcheck_test_bot"
        response = await client.post(f"{url}/getUpdates", json={"offset": 5, "timeout": 0})
        assert response.json() == {"ok": True, "result": []}
        response = await client.post(f"{url}/nope")
        assert response.status_code == 404
        assert response.json()["description"] == "Not Found: method not found"
    assert server.calls[0].method == "getMe"
    assert server.calls_to("getupdates") == [{"offset": 5, "timeout": 0}]


# ----------------------------------------------------------------- faults and limits


async def test_drop_connection_raises_network_error(server: FakeTelegram, bot: Bot) -> None:
    server.user(42)
    server.drop_connection("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(42, "lost")
    assert server.messages_in(42) == []
    await bot.send_message(42, "fine")
    assert [m.text for m in server.messages_in(42)] == ["fine"]


async def test_delay_times_out_but_message_is_sent(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    server.delay("sendMessage", 0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(42, "slow", read_timeout=0.1)
    assert ana.last_text == "slow"


async def test_rate_limit(server: FakeTelegram, bot: Bot) -> None:
    server.user(42)
    server.user(43)
    server.limit_rate(overall_per_s=30, per_chat_per_s=1)
    await bot.send_message(42, "one")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(42, "two")
    assert retry_after_seconds(info.value) == 1
    await bot.send_message(43, "other chat")
    server.unlimit_rate()
    await bot.send_message(42, "two")


# ----------------------------------------------------------------- parsing and media


async def test_photo_and_document_upload(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    data = b"\x89PNG\r\n\x1a\nfake"
    photo = await bot.send_photo(
        42, photo=data, filename="hips.png", caption="<b>Hips</b>", parse_mode=ParseMode.HTML
    )
    assert photo.caption == "Hips"
    assert photo.photo[-1].file_size == len(data)
    doc = await bot.send_document(42, document=b"a,b\n1,2\n", filename="plan.csv")
    assert doc.document is not None
    assert doc.document.file_name == "plan.csv"
    first, second = ana.messages
    assert (first.method, first.file_bytes, first.filename) == ("sendPhoto", data, "hips.png")
    assert first.text == "<b>Hips</b>"
    assert first.plain_text == "Hips"
    assert (second.method, second.file_bytes) == ("sendDocument", b"a,b\n1,2\n")
    again = await bot.send_photo(42, photo=photo.photo[-1].file_id)  # re-send by file_id
    assert ana.messages[-1].file_bytes == data
    assert again.caption is None


async def test_params_are_decoded(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    await bot.send_message(42, "123")
    await bot.send_message(42, "true", disable_notification=True)
    assert ana.texts() == ["123", "true"]
    params = server.calls_to("sendMessage")[-1]
    assert params["text"] == "true"
    assert params["disable_notification"] is True
    assert await bot.set_my_commands([("start", "Start"), ("quiz", "Take the quiz")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "quiz"]
    assert server.commands()[1] == {"command": "quiz", "description": "Take the quiz"}
    assert await bot.delete_my_commands()
    assert server.commands() == []


async def test_parse_mode_errors(server: FakeTelegram, bot: Bot) -> None:
    server.user(42)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(42, "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await bot.send_message(42, "1 <br> 2", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)Character '\.' is reserved"):
        await bot.send_message(42, "Done.", parse_mode=ParseMode.MARKDOWN_V2)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(42, "   ")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(42, "x" * 4097)
    ok = await bot.send_message(
        42, "*Done*\\. [site](https://a.b/c-d)", parse_mode=ParseMode.MARKDOWN_V2
    )
    assert ok.text == "Done. site"
    ok = await bot.send_message(42, "<b>a &lt; b</b>", parse_mode=ParseMode.HTML)
    assert ok.text == "a < b"


async def test_harness_errors_are_readable(server: FakeTelegram, bot: Bot) -> None:
    ana = server.user(42)
    await bot.send_message(42, "Pick", reply_markup=KEYBOARD)
    with pytest.raises(AssertionError, match=r"buttons: \['Yes', 'No'\]"):
        await ana.tap("Maybe")
    with pytest.raises(AssertionError, match="'Pick'"):
        await ana.wait_for_text("never", timeout=0.1)
    n = len(ana.messages)
    waiter = asyncio.create_task(ana.wait_for_text("Pick", after=n, timeout=2))
    await asyncio.sleep(0.05)
    assert not waiter.done()  # the earlier "Pick" is ignored
    await bot.send_message(42, "Pick again")
    assert (await waiter).text == "Pick again"
    forged = await ana.tap_data("admin:reset")
    assert server.callback_query(forged).data == "admin:reset"
