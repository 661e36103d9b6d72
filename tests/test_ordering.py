"""Updates run concurrently across users and strictly in order for one user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select
from telegram import Chat, Message, Update, User

from bot import callbacks as cb
from bot.ordering import PerUserOrder
from bot.storage.models import QuizAttempt
from tests.conftest import reach_quiz


def message_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ana", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(
        update_id, datetime(2026, 11, 21, tzinfo=UTC), chat, from_user=user, text="hi"
    )
    return Update(update_id, message=message)


async def test_a_slow_update_holds_up_only_its_own_user():
    processor = PerUserOrder(8)
    done: list[str] = []
    release = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    ana_first = asyncio.create_task(
        processor.process_update(message_from(1, 1), handle("ana 1", release))
    )
    ana_second = asyncio.create_task(processor.process_update(message_from(1, 2), handle("ana 2")))
    ben = asyncio.create_task(processor.process_update(message_from(2, 3), handle("ben")))
    await ben
    assert done == ["ben"]  # Ben is not stuck behind Ana's slow update, Ana's second waits
    release.set()
    await asyncio.gather(ana_first, ana_second)
    assert done == ["ben", "ana 1", "ana 2"]


async def settle() -> None:
    """Let every task that can make progress do so (no time passes)."""
    for _ in range(50):
        await asyncio.sleep(0)


async def test_one_users_backlog_of_40_presses_does_not_make_another_user_wait():
    processor = PerUserOrder(2)
    done: list[str] = []
    release = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    ana = [
        asyncio.create_task(
            processor.process_update(
                message_from(1, n), handle(f"ana {n}", release if n == 1 else None)
            )
        )
        for n in range(1, 41)
    ]
    ben = asyncio.create_task(processor.process_update(message_from(2, 41), handle("ben")))
    await settle()
    assert ben.done() and done == ["ben"]  # Ana's 39 waiting presses do not hold Ben's slot
    release.set()
    await asyncio.gather(*ana)
    assert done == ["ben", *(f"ana {n}" for n in range(1, 41))]


async def test_no_more_updates_run_at_once_than_the_running_limit():
    processor = PerUserOrder(2)
    running: list[int] = []
    release = asyncio.Event()

    async def handle(user_id: int) -> None:
        running.append(user_id)
        await release.wait()

    tasks = [
        asyncio.create_task(processor.process_update(message_from(uid, uid), handle(uid)))
        for uid in (1, 2, 3)
    ]
    await settle()
    assert running == [1, 2]  # the third user waits for a free slot, in arrival order
    release.set()
    await asyncio.gather(*tasks)
    assert running == [1, 2, 3]


async def test_two_quick_presses_of_one_user_are_handled_in_order(bot, telegram, ana, db):
    await reach_quiz(ana)
    async with db.transaction() as s:
        attempt_id = (await s.scalars(select(QuizAttempt.id))).one()
    # Both presses reach the bot in one batch, before it has answered the first.
    first = await ana.tap("Yes")
    second = await ana.tap_data(cb.encode(cb.QuizAnswer(attempt_id, 1, "n")))
    assert "text" not in await ana.wait_answered(first)
    assert "text" not in await ana.wait_answered(second)  # not refused as out of date
    await ana.wait_for_text("Question 3 of 5")  # the quiz's one message, edited twice
    async with db.transaction() as s:
        attempt = await s.get(QuizAttempt, attempt_id)
        assert attempt is not None and attempt.answers.startswith("yn")
