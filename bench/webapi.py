"""The Mini App's JSON API under load: requests at 50 a second while the bot delivers a burst
of reminders, the p99 of their latency (issue 13: `webapp_api_p99_ms_at_50_per_s`).

The bot runs in this process (the real Application, polling, with its web server); the
requests come open-loop from a process of their own (`python -m bench.webapi RATE SECONDS
PORT FIRST_ID USERS`), each signed like a Telegram launch, so a slow server meets a queue and
the client's CPU is not the bot's. Latency counts from the instant a request was due to be
sent; one request per path warms the server up first. Requests cycle through the page's reads
(texts, session, progress, settings) over users who are not in the burst, each user's requests
spread so the per-user rate limit is not hit.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import (
    FIRST_USER,
    TOKEN,
    Due,
    FakeApiProcess,
    RunningBot,
    make_database,
    percentile,
    settings_for,
)
from bench.runs import LIMIT_OVERALL, LIMIT_PER_CHAT, ROOT, Sizes

RATE = 50.0
PATHS = ("/api/texts", "/api/session", "/api/progress", "/api/settings")
REQUESTS_PER_USER = 8  # well inside the limiter's burst of 20


async def webapi(api: FakeApiProcess, work: Path, sizes: Sizes) -> dict[str, Any]:
    """API requests at 50/s for `tap_seconds` while `tap_burst_users` reminders go out."""
    now = datetime.now(UTC)
    burst = sizes.tap_burst_users
    requests = round(RATE * sizes.tap_seconds)
    users = requests // REQUESTS_PER_USER + 1  # and one more, for the warm-up
    later = now + timedelta(days=1)  # the API's users are not due: the burst is the others
    db_path = work / "webapi.db"
    await make_database(db_path, Due(burst + users + 1, [now] * burst + [later] * (users + 1)), now)
    await api.ctl("reset")
    await api.ctl("limit", overall=LIMIT_OVERALL, per_chat=LIMIT_PER_CHAT)  # Telegram's pace
    with socket.socket() as probe:  # a free port for the web server
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    settings = settings_for(
        db_path, api, webapp_url="https://bench.example.org/app/", webapp_port=port
    )
    async with RunningBot(settings):
        client = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.webapi",
            str(RATE), str(sizes.tap_seconds), str(port), str(FIRST_USER + burst), str(users),
            cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        output, _ = await client.communicate()
        burst_sent = await api.ctl("count")
    await api.ctl("limit")
    result = json.loads(output)
    latencies = result["latency_ms"]
    return {
        "rate": RATE,
        "requests": len(latencies),
        "errors": result["errors"],
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=0.0),
        "slowest_ms": result["slowest_ms"],
        "burst_users": burst,
        "burst_sent_by_end": burst_sent,
    }


async def _load(rate: float, seconds: float, port: int, first_id: int, users: int) -> None:
    from aiohttp import ClientSession, TCPConnector

    from bot.web.auth import sign

    total = round(rate * seconds)
    base = f"http://127.0.0.1:{port}"
    latencies: list[float] = []
    errors: dict[str, int] = {}
    by_path: dict[str, list[float]] = {}

    def header(user_id: int) -> dict[str, str]:
        user = json.dumps({"id": user_id, "first_name": "Bench"}, separators=(",", ":"))
        data = sign({"user": user, "auth_date": str(int(time.time()))}, TOKEN)
        return {"Authorization": f"tma {data}"}

    async with ClientSession(connector=TCPConnector(limit=0)) as client:

        async def one(index: int, due: float) -> None:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            user_id = first_id + index % users
            path = PATHS[(index // users) % len(PATHS)]
            try:
                async with client.get(base + path, headers=header(user_id)) as response:
                    await response.read()
                    status = str(response.status)
            except OSError as e:
                status = type(e).__name__
            latencies.append(1000 * (time.monotonic() - due))
            by_path.setdefault(path, []).append(latencies[-1])
            if status != "200":
                errors[status] = errors.get(status, 0) + 1

        for path in PATHS:  # warm up: a server in use has run each query before
            async with client.get(base + path, headers=header(first_id + users)) as response:
                await response.read()
        start = time.monotonic() + 0.2
        await asyncio.gather(*(one(i, start + i / rate) for i in range(total)))
    slowest = {path: max(values) for path, values in by_path.items()}
    print(json.dumps({"latency_ms": latencies, "errors": errors, "slowest_ms": slowest}))


def table_row(w: dict[str, Any]) -> tuple[str, str, str, bool]:
    """(name, measured, floor, met) for bench/__main__.py's table."""
    errors = sum(w["errors"].values())
    return (
        f"Mini App API at {w['rate']:.0f} requests/s during a {w['burst_users']:,}-user burst",
        f"p99 {w['p99_ms']:.0f} ms, p50 {w['p50_ms']:.0f} ms, {errors} errors "
        f"({w['burst_sent_by_end']:,} reminders sent meanwhile)",
        "p99 ≤ 250 ms, no errors",
        w["p99_ms"] <= 250 and errors == 0,
    )


if __name__ == "__main__":
    rate_, seconds_, port_, first_, users_ = sys.argv[1:6]
    asyncio.run(_load(float(rate_), float(seconds_), int(port_), int(first_), int(users_)))
