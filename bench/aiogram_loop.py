"""aiogram 3's bare `send_message` loop, run as a script in an interpreter that has aiogram.

It imports nothing of Hip Check, so it can run in the bench's throwaway venv (aiogram pins
pydantic below the version the bot installs). Input: one JSON object on stdin (base_url, token,
text, markup, messages, concurrency, first_chat, loop: "asyncio" or "uvloop"). Output: one JSON
object on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any


async def send_loop(job: dict[str, Any]) -> dict[str, Any]:
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import InlineKeyboardMarkup

    keyboard = InlineKeyboardMarkup.model_validate(job["markup"])
    server = TelegramAPIServer.from_base(job["base_url"].removesuffix("/bot"))
    bot = Bot(job["token"], session=AiohttpSession(api=server))
    slots = asyncio.Semaphore(job["concurrency"])
    text, messages = job["text"], job["messages"]

    async def send(chat_id: int) -> None:
        async with slots:
            await bot.send_message(chat_id, text, parse_mode="HTML", reply_markup=keyboard)

    try:
        await bot.get_me()  # the connection is open before the clock starts
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(send(job["first_chat"] + i) for i in range(messages)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await bot.session.close()
    import aiogram

    return {
        "rate": messages / wall,
        "cpu_per_msg_ms": 1000 * cpu / messages,
        "aiogram_version": aiogram.__version__,
    }


if __name__ == "__main__":
    job = json.load(sys.stdin)
    if job.get("loop") == "uvloop":  # aiogram's documentation suggests it for production
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    print(json.dumps(asyncio.run(send_loop(job))))
