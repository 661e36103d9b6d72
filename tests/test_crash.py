"""SIGKILL in the middle of a burst of due sessions, then a restart: none lost, none doubled.

Delivery is at-least-once. The only sessions that may arrive twice are those Telegram accepted
before the kill whose row was still "pending" (the send was not yet recorded); the test works out
that window from the database at the moment of the kill and checks that the duplicates are
exactly those, and that every user has exactly one session row for the day.
"""

from __future__ import annotations

import asyncio
import signal
import time
from asyncio.subprocess import Process
from collections.abc import Awaitable
from pathlib import Path

import pytest

from tests.conftest import SESSION
from tests.fake_telegram import FakeTelegram
from tests.processes import bot_env, seed_due_users, session_rows, spawn_bot

USERS = 200
FIRST_ID = 10_000


def start_bot(tmp_path: Path, telegram: FakeTelegram, url: str) -> Awaitable[Process]:
    env = bot_env(telegram.base_url, url, TICK_SECONDS="0.2", CLAIM_LEASE_SECONDS="3")
    return spawn_bot(tmp_path, env)


def session_messages(telegram: FakeTelegram) -> dict[int, int]:
    return {
        uid: sum(SESSION in m.text for m in telegram.messages_in(uid))
        for uid in range(FIRST_ID, FIRST_ID + USERS)
    }


async def start_burst(tmp_path: Path, telegram: FakeTelegram, url: str, *, sent: int) -> Process:
    """200 users due now, a server limited to 30/s; return once `sent` sessions went out."""
    await seed_due_users(url, range(FIRST_ID, FIRST_ID + USERS))
    for user_id in range(FIRST_ID, FIRST_ID + USERS):
        telegram.user(user_id, f"User {user_id}")
    telegram.limit_rate(overall_per_s=30, per_chat_per_s=1)
    process = await start_bot(tmp_path, telegram, url)
    await telegram.wait_until(
        lambda: True if sum(session_messages(telegram).values()) >= sent else None,
        timeout=60,
        describe=lambda: f"fewer than {sent} sessions sent",
    )
    return process


@pytest.mark.parametrize("kill_after", [1, 70, 150])
async def test_sigkill_mid_burst_then_restart_loses_and_doubles_nothing(
    tmp_path, telegram, database_url, kill_after
):
    url = database_url
    process = await start_burst(tmp_path, telegram, url, sent=kill_after)
    process.send_signal(signal.SIGKILL)
    await process.wait()

    at_kill = session_messages(telegram)
    pending = {r.user_id for r in await session_rows(url) if r.status == "pending"}
    window = {uid for uid in pending if at_kill[uid] > 0}  # accepted, not yet recorded

    process = await start_bot(tmp_path, telegram, url)
    try:
        await telegram.wait_until(
            lambda: True if all(session_messages(telegram).values()) else None,
            timeout=120,
            describe=lambda: (
                f"{sum(not n for n in session_messages(telegram).values())} users got no session"
            ),
        )
        # The window's re-sends come after the lease; wait for them too, then stop cleanly.
        await telegram.wait_until(
            lambda: True if all(session_messages(telegram)[uid] >= 2 for uid in window) else None,
            timeout=60,
            describe=lambda: "the abandoned sends were not retried",
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0

    final = await session_rows(url)
    assert len(final) == USERS == len({r.user_id for r in final})  # one row per user and day
    assert {r.status for r in final} == {"sent"}
    counts = session_messages(telegram)
    assert all(n >= 1 for n in counts.values())  # none lost
    doubled = {uid for uid, n in counts.items() if n > 1}
    assert doubled == window  # only the unavoidable window, each at most twice
    assert max(counts.values()) <= 2
    print(
        f"kill after {kill_after}: sent before kill {sum(at_kill.values())}, window {len(window)}"
    )


async def test_sigterm_mid_burst_finishes_in_flight_sends_and_a_restart_sends_the_rest_once(
    tmp_path, telegram, database_url
):
    url = database_url
    process = await start_burst(tmp_path, telegram, url, sent=50)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    stopped_after = time.monotonic() - started
    assert {r.status for r in await session_rows(url)} <= {"sent"}  # nothing left half-sent
    stopped_at = sum(session_messages(telegram).values())
    print(f"SIGTERM after 50 sent: exited 0 in {stopped_after:.1f} s with {stopped_at} sent")
    assert stopped_at < USERS  # it stopped claiming new work

    process = await start_bot(tmp_path, telegram, url)
    try:
        await telegram.wait_until(
            lambda: True if all(session_messages(telegram).values()) else None,
            timeout=120,
            describe=lambda: "not every user got a session after the restart",
        )
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    assert set(session_messages(telegram).values()) == {1}  # exactly once, all 200
    assert len(await session_rows(url)) == USERS
