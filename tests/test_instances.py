"""Several bot processes on one PostgreSQL database share the due sessions and send each once.

Three instances serve the webhook side by side (as behind a load balancer) and each runs its
own delivery tick; PostgreSQL's `FOR UPDATE SKIP LOCKED` is the only thing between them.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.conftest import SESSION
from tests.fake_telegram import FakeTelegram
from tests.processes import seed_due_users, session_rows, terminate
from tests.test_webhook import start_webhook_instance

INSTANCES = ("node1", "node2", "node3")
USERS = 3_000
FIRST_ID = 50_000


def sessions_sent_by(telegram: FakeTelegram) -> dict[int, list[str]]:
    """For each user, the instances that sent them a session message."""
    sent: dict[int, list[str]] = {}
    for call in telegram.calls:
        if call.method == "sendMessage" and call.status == 200 and SESSION in call.params["text"]:
            sent.setdefault(int(call.params["chat_id"]), []).append(call.instance)
    return sent


@pytest.mark.postgres
async def test_three_instances_send_3000_due_sessions_exactly_once_between_them(
    tmp_path, telegram, database_url
):
    user_ids = range(FIRST_ID, FIRST_ID + USERS)
    for user_id in user_ids:
        telegram.user(user_id, f"User {user_id}")
    instances = await asyncio.gather(
        *(start_webhook_instance(tmp_path, telegram, database_url, n) for n in INSTANCES)
    )
    try:
        # All three are up and ticking; now the whole burst falls due at once.
        await seed_due_users(database_url, user_ids)
        await telegram.wait_until(
            lambda: True if len(sessions_sent_by(telegram)) == USERS else None,
            timeout=300,
            describe=lambda: f"only {len(sessions_sent_by(telegram))} of {USERS} users served",
        )
    finally:
        codes = [await terminate(process) for process, _ in instances]
    assert codes == [0, 0, 0]

    sent = sessions_sent_by(telegram)
    duplicates = sum(len(by) - 1 for by in sent.values())
    per_instance = Counter(instance for by in sent.values() for instance in by)
    print(f"sessions sent per instance: {dict(sorted(per_instance.items()))}")
    print(f"duplicates: {duplicates}")
    assert duplicates == 0
    assert set(sent) == set(user_ids)
    rows = await session_rows(database_url)
    assert len(rows) == USERS and {r.status for r in rows} == {"sent"}
    # Each instance took a real share of the work, not a token few.
    assert all(per_instance[name] >= USERS // 10 for name in INSTANCES), per_instance
