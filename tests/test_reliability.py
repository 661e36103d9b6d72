"""Telegram faults during delivery and button handling: nothing lost, nothing doubled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import SESSION, onboard, reach_quiz, sessions_of, step, user_row

DUE = timedelta(hours=1, minutes=30)  # from the fixtures' 06:00 to the 07:30 reminder


def session_count(user, after: int = 0) -> int:
    return sum(SESSION in m.text for m in user.messages[after:])


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (400, "Bad Request: chat not found"),
    ],
)
async def test_an_unreachable_user_is_marked_inactive_and_others_still_get_theirs(
    bot, clock, telegram, db, ana, status, description
):
    ben = telegram.user(2002, "Ben")
    await onboard(ana)
    await onboard(ben)
    telegram.fail("sendMessage", status=status, description=description, chat_id=ana.chat_id)
    seen = len(ana.messages)
    clock.advance(DUE)
    await ben.wait_for_text(SESSION)
    await bot.tick()
    user = await user_row(db, ana.chat_id)
    assert user is not None and not user.active and user.next_due_at is None
    assert session_count(ana, seen) == 0
    # No further attempts for Ana tomorrow; Ben carries on.
    calls = len(telegram.calls_to("sendMessage"))
    clock.advance(timedelta(days=1))
    await ben.wait_for_text("Sun 22 Nov")
    assert all(c["chat_id"] != ana.chat_id for c in telegram.calls_to("sendMessage")[calls:])


@pytest.mark.parametrize(
    "inject",
    [
        lambda t: t.fail("sendMessage", status=502, description="Bad Gateway", times=2),
        lambda t: t.fail("sendMessage", status=500, description="Internal Server Error", times=2),
        lambda t: t.drop_connection("sendMessage", times=2),
        lambda t: t.fail(
            "sendMessage",
            status=429,
            description="Too Many Requests: retry after 1",
            retry_after=1,
            times=3,
        ),
    ],
    ids=["502", "500", "dropped-connection", "429-burst"],
)
async def test_transient_faults_on_a_due_session_are_retried_and_it_arrives_once(
    bot, clock, telegram, db, ana, inject
):
    await onboard(ana)
    inject(telegram)
    seen = len(ana.messages)
    clock.advance(DUE)
    await ana.wait_for_text(SESSION, after=seen, timeout=20)
    assert await bot.tick() == 0
    assert session_count(ana, seen) == 1
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["sent"]


async def test_message_not_modified_and_a_too_old_query_are_handled_quietly(
    bot, clock, telegram, db, ana
):
    await onboard(ana)
    clock.advance(DUE)
    await ana.wait_for_text(SESSION)
    telegram.fail(
        "editMessageReplyMarkup",
        status=400,
        description="Bad Request: message is not modified: specified new message content and "
        "reply markup are exactly the same as a current content and reply markup of the message",
    )
    telegram.fail(
        "answerCallbackQuery",
        status=400,
        description="Bad Request: query is too old and response timeout expired "
        "or query ID is invalid",
    )
    seen = len(ana.messages)
    await ana.tap("Done")
    await ana.wait_for_text("streak", after=seen)
    assert [r.status for r in await sessions_of(db, ana.chat_id)] == ["done"]
    assert not any("went wrong" in m.text for m in ana.messages)


async def test_a_failed_reply_gets_a_short_apology_not_a_traceback(bot, telegram, ana):
    telegram.fail("sendMessage", status=400, description="Bad Request: can't parse entities")
    seen = len(ana.messages)
    await ana.send("/help")
    apology = await ana.wait_for_text("went wrong", after=seen)
    assert "Traceback" not in apology.text
    await step(ana, "/help", "/quiz", tap=False)  # and the bot carries on


async def test_a_minute_long_getupdates_outage_is_survived_and_nothing_sent_meanwhile_is_lost(
    bot, telegram, ana
):
    # Real time, not the injected clock: the library's polling loop backs off in real seconds.
    await step(ana, "/help", "/quiz", tap=False)
    telegram.outage("getUpdates", 60)
    seen = len(ana.messages)
    for text in ("/help", "/settings", "/progress"):
        await ana.send(text)
    await ana.wait_for_text("/quiz", after=seen, timeout=120)
    # /settings and /progress both answer "send /start" for a user not yet set up.
    first = await ana.wait_for_text("send /start", after=seen, timeout=30)
    await ana.wait_for_text("send /start", after=ana.messages.index(first) + 1, timeout=30)


async def test_a_locked_database_makes_a_handler_wait_not_fail(bot, telegram, settings, db, ana):
    await onboard(ana)
    async with db.engine.connect() as blocker:
        if db.is_sqlite:
            await blocker.exec_driver_sql("BEGIN IMMEDIATE")  # hold SQLite's write lock
        else:
            await blocker.exec_driver_sql("BEGIN")  # hold Ana's row, as a second instance would
            await blocker.exec_driver_sql(f"SELECT id FROM users WHERE id = {ana.id} FOR UPDATE")
        seen = len(ana.messages)
        await ana.send("/done")
        await telegram.wait_until(
            lambda: True if not telegram.pending_updates() else None,
            timeout=5,
            describe=lambda: "the bot did not fetch the update",
        )
        await blocker.exec_driver_sql("COMMIT")
    done = await ana.wait_for_text("streak", after=seen, timeout=15)
    assert "1 day" in done.text
    assert not any("went wrong" in m.text for m in ana.messages[seen:])


@pytest.mark.parametrize(
    ("method", "inject"),
    [
        ("sendMessage", lambda t: t.fail("sendMessage", status=502, description="Bad Gateway")),
        ("sendMessage", lambda t: t.drop_connection("sendMessage")),
        (
            "editMessageText",
            lambda t: t.fail("editMessageText", status=500, description="Internal"),
        ),
        ("answerCallbackQuery", lambda t: t.drop_connection("answerCallbackQuery")),
    ],
    ids=["reply-502", "reply-dropped", "edit-500", "answer-dropped"],
)
async def test_a_transient_fault_on_any_call_of_a_handler_is_retried(
    bot, telegram, ana, method, inject
):
    await reach_quiz(ana)
    for following in range(2, 6):
        await step(ana, "No", f"Question {following} of 5")
    inject(telegram)
    # The last answer: its question becomes the list of answers (an edit), the result is a new
    # message (a send), and the press is answered.
    query_id = await ana.tap("Yes")
    await ana.wait_answered(query_id)
    await ana.wait_for_text("suggestion", timeout=10)
    await ana.wait_for(lambda m: "Your answers" in m.text and "→ <b>Yes</b>" in m.text)
    assert not any("went wrong" in m.text for m in ana.messages)
    assert len([c for c in telegram.calls if c.method == method]) >= 2  # the fault, then the retry
