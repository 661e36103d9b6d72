"""Quiz presses: CPU per press, latency at Telegram's own rate during a burst, and capacity.

The bot runs in this process (the real Application, polling), the fake in its own; presses
arrive open-loop (bench/fake_load.py), so a slow bot meets a queue, as it would in production.
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import (
    Due,
    FakeApiProcess,
    RunningBot,
    make_database,
    percentile,
    settings_for,
)
from bench.runs import Sizes

TAP_USERS_FROM = 7_000_000  # quiz users' ids; the burst's users start at 1,000,000
CAPACITY_P99_MS = 250.0  # a rate is sustained while the p99 stays under this
BURST_RATE = 30.0


async def taps(api: FakeApiProcess, work: Path, sizes: Sizes) -> dict[str, Any]:
    """Presses at 30/s during a burst of reminders, then rising rates until the p99 passes
    250 ms; CPU per press from the lowest rate (no burst)."""
    now = datetime.now(UTC)
    db_path = work / "taps.db"
    await make_database(db_path, Due(sizes.tap_burst_users, [now] * sizes.tap_burst_users), now)
    await api.ctl("reset")
    ids = _Ids(TAP_USERS_FROM)
    loads = [os.getloadavg()[0]]  # wall-time figures mean little without the machine's load
    async with RunningBot(settings_for(db_path, api)):
        await _prepare(api, ids, _users_for(BURST_RATE, sizes.tap_seconds))
        during = await _run(api, BURST_RATE, sizes.tap_seconds)
        during["burst_sent_by_end"] = await api.ctl("count", below=TAP_USERS_FROM)
        loads.append(os.getloadavg()[0])
        await _wait_for_burst(api, sizes.tap_burst_users)
        steps = []
        for rate in sizes.tap_rates:
            await _prepare(api, ids, _users_for(rate, sizes.tap_step_seconds))
            step = await _run(api, rate, sizes.tap_step_seconds)
            steps.append(step)
            loads.append(os.getloadavg()[0])
            if step["p99_ms"] > CAPACITY_P99_MS or step["starved"] > step["sent"] * 0.05:
                break
    sustained = [s["rate"] for s in steps if s["p99_ms"] <= CAPACITY_P99_MS and not s["starved"]]
    return {
        "burst_users": sizes.tap_burst_users,
        "p99_ms_at_30": during["p99_ms"],
        "p50_ms_at_30": during["p50_ms"],
        "answered_at_30": during["answered"],
        "sent_at_30": during["sent"],
        "starved_at_30": during["starved"],
        "burst_sent_by_end": during["burst_sent_by_end"],
        "cpu_ms_per_tap": steps[0]["cpu_ms_per_tap"] if steps else None,
        "capacity_per_s": max(sustained, default=0.0),
        "load_avg_1m": max(loads),  # the highest 1-minute load average seen during the run
        "steps": steps,
    }


async def _wait_for_burst(api: FakeApiProcess, users: int) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if await api.ctl("count", below=TAP_USERS_FROM) >= users:
            return
        await asyncio.sleep(0.5)


class _Ids:
    def __init__(self, first: int) -> None:
        self.next = first
        self.prepared = 0


def _users_for(rate: float, seconds: float) -> int:
    """Users enough for `rate` presses a second: each gives five, with room for those waiting."""
    return math.ceil(rate * seconds / 5 * 2) + 10


async def _prepare(api: FakeApiProcess, ids: _Ids, users: int) -> None:
    await api.ctl("tap_prepare", first_id=ids.next, users=users)
    ids.next += users
    ids.prepared += users
    deadline = time.monotonic() + 120
    while (await api.ctl("tap_result"))["prepared"] < ids.prepared:
        if time.monotonic() > deadline:
            raise RuntimeError("quiz users were not brought to the first question in 120 s")
        await asyncio.sleep(0.2)


async def _run(api: FakeApiProcess, rate: float, seconds: float) -> dict[str, Any]:
    cpu = time.process_time()
    await api.ctl("tap_run", rate=rate, seconds=seconds)
    # The bench asks how the run went only once the presses should be over: its own HTTP
    # calls run in the bot's process, and their CPU is not the bot's.
    await asyncio.sleep(seconds)
    deadline = time.monotonic() + 120
    while True:
        result = await api.ctl("tap_result", brief=True)
        if (not result["running"] and not result["in_flight"]) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    cpu = time.process_time() - cpu
    result = await api.ctl("tap_result")
    latencies = [1000 * s for s in result["latency_s"]]
    return {
        "rate": rate,
        "sent": result["sent"],
        "answered": result["answered"],
        "starved": result["starved"],
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "cpu_ms_per_tap": 1000 * cpu / max(result["answered"], 1),
    }
