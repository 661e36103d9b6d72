"""What a developer would pick instead: aiogram 3's `send_message` in a bare loop, same fake.

Sixteen sends in flight, like the dispatcher, each a rendered session card with its buttons, so
the two carry the same bytes. Nothing else: no claim, no rendering, no record. aiogram is a
bench extra (`pip install -e ".[bench]"`); without it the figure is None.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Any

from bench.harness import TOKEN, FakeApiProcess
from bot import render
from bot.content import load_content
from bot.delivery import CONCURRENCY


async def aiogram_send_loop(api: FakeApiProcess, messages: int) -> dict[str, Any] | None:
    """Messages per second and CPU per message of aiogram's bare send loop."""
    try:
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer
        from aiogram.types import InlineKeyboardMarkup
    except ImportError:
        return None
    content = load_content()
    routine = next(iter(content.routines.values()))
    text, markup = render.session(content, routine, date(2026, 11, 30))
    keyboard = InlineKeyboardMarkup.model_validate(markup.to_dict())
    server = TelegramAPIServer.from_base(api.base_url.removesuffix("/bot"))
    bot = Bot(TOKEN, session=AiohttpSession(api=server))
    await api.ctl("reset")
    slots = asyncio.Semaphore(CONCURRENCY)

    async def send(chat_id: int) -> None:
        async with slots:
            await bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)

    try:
        await bot.get_me()  # the connection is open before the clock starts
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(send(2_000_000 + i) for i in range(messages)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await bot.session.close()
    return {
        "messages": messages,
        "delivered": await api.ctl("count"),
        "rate": messages / wall,
        "cpu_per_msg_ms": 1000 * cpu / messages,
    }
