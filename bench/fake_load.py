"""Open-loop quiz presses for the fake Bot API: taps arrive at a set rate, whatever the bot does.

Users are first brought to the quiz's first question (/start, then the BEFORE_QUIZ presses). A
load then sends one press every 1/rate seconds from a user whose previous press was answered, and
records each press's time from the getUpdates answer that carried it to the reply with the next
buttons. A press with no user ready is counted as `starved` (the bot is behind).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.fake_api import FakeApi

QUIZ_PRESSES = 5  # answers per quiz; a user leaves the pool after the last
# The presses from /start's privacy notice to the quiz's first question: "I agree", the age
# band, and "no" to each of the three red-flag tiers.
BEFORE_QUIZ = ("✅ I agree", "18 or over", *["No, none of these"] * 3)


@dataclass
class TapLoad:
    ready: deque[int] = field(default_factory=deque)  # users on a question, not waiting
    presses: dict[int, int] = field(default_factory=dict)  # user -> answers given
    prepared: int = 0
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)  # seconds, per answered press
    sent: int = 0
    starved: int = 0
    running: asyncio.Task[None] | None = None


def ctl(api: FakeApi, load: TapLoad, name: str, params: dict[str, Any]) -> Any:
    """The control calls: tap_prepare, tap_run, tap_result."""
    if name == "tap_prepare":
        first, users = int(params["first_id"]), int(params["users"])
        for chat_id in range(first, first + users):
            _spawn(load, _prepare(api, load, chat_id))
        return True
    if name == "tap_run":
        load.latencies, load.sent, load.starved = [], 0, 0
        rate, seconds = float(params["rate"]), float(params["seconds"])
        load.running = asyncio.ensure_future(_run(api, load, rate, seconds))
        return True
    if name == "tap_result":
        busy = sum(1 for t in load.tasks if not t.done())
        return {
            "prepared": load.prepared,
            "running": load.running is not None and not load.running.done(),
            "in_flight": busy,
            "sent": load.sent,
            "answered": len(load.latencies),
            "starved": load.starved,
            # `brief`: whether the run is over, without the latencies (a long list of them)
            "latency_s": [] if params.get("brief") else load.latencies,
        }
    return None


def _spawn(load: TapLoad, work: Any) -> None:
    task = asyncio.ensure_future(work)
    load.tasks.add(task)
    task.add_done_callback(load.tasks.discard)


async def _prepare(api: FakeApi, load: TapLoad, chat_id: int) -> None:
    rng = random.Random(chat_id)
    await api.send_text(chat_id, "/start")
    for label in BEFORE_QUIZ:
        if not await api.tap(chat_id, label, rng):
            return
    load.presses[chat_id] = 0
    load.ready.append(chat_id)
    load.prepared += 1


async def _run(api: FakeApi, load: TapLoad, rate: float, seconds: float) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    for index in range(round(rate * seconds)):
        wait = start + index / rate - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        if not load.ready:
            load.starved += 1
            continue
        load.sent += 1
        _spawn(load, _press(api, load, load.ready.popleft()))


async def _press(api: FakeApi, load: TapLoad, chat_id: int) -> None:
    rng = random.Random(chat_id * 7 + load.presses[chat_id])
    started = time.monotonic()
    update_id = api.update_ids
    if not await api.tap(chat_id, None, rng):
        return
    carried = api.handed_out.get(update_id, started)
    load.latencies.append(api.completed.get(update_id, time.monotonic()) - carried)
    load.presses[chat_id] += 1
    if load.presses[chat_id] < QUIZ_PRESSES:
        load.ready.append(chat_id)
