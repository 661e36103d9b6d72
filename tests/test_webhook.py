"""`python -m bot webhook`: Telegram pushes updates to our HTTP endpoint instead of being polled.

The fake Bot API plays Telegram and the load balancer in front of the instances: once an
instance has called setWebhook, it POSTs each update, with the secret header, to the next
instance in turn.
"""

from __future__ import annotations

from asyncio.subprocess import Process
from pathlib import Path

from aiohttp import ClientSession

from tests.conftest import onboard, step
from tests.fake_telegram import FakeTelegram
from tests.processes import bot_env, free_port, spawn_bot, terminate, wait_for_port

PUBLIC_URL = "https://hipcheck.example.org/telegram"
SECRET = "Kx7-webhook_secret-2026"


async def start_webhook_instance(
    tmp_path: Path, telegram: FakeTelegram, database_url: str, name: str
) -> tuple[Process, str]:
    """One instance serving the webhook on a port of its own; returns it and its local URL."""
    port = free_port()
    env = bot_env(
        telegram.base_url_for(name),
        database_url,
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_SECRET=SECRET,
        PORT=str(port),
    )
    process = await spawn_bot(tmp_path, env, "webhook", log=tmp_path / f"{name}.log")
    await telegram.wait_until(
        lambda: (
            True
            if any(c.instance == name for c in telegram.calls if c.method == "setWebhook")
            else None
        ),
        timeout=30,
        describe=lambda: f"instance {name} never called setWebhook",
    )
    await wait_for_port(port)  # the library starts its server just after setWebhook
    return process, f"http://127.0.0.1:{port}/telegram"


async def post_update(url: str, update: dict[str, object], headers: dict[str, str]) -> int:
    async with ClientSession() as client, client.post(url, json=update, headers=headers) as r:
        return r.status


def start_update(user_id: int, update_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Eve"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Eve"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_registers_the_secret_and_refuses_requests_without_it(
    tmp_path, telegram, database_url
):
    process, local_url = await start_webhook_instance(tmp_path, telegram, database_url, "web1")
    try:
        assert telegram.webhook == (PUBLIC_URL, SECRET)
        eve = telegram.user(2002, "Eve")
        missing = await post_update(local_url, start_update(eve.id, 1), {})
        wrong = await post_update(
            local_url, start_update(eve.id, 2), {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        )
        assert (missing, wrong) == (403, 403)
        right = await post_update(
            local_url, start_update(eve.id, 3), {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert right == 200
        await eve.wait_for_text("Your data, in short")
        # Updates are handled in order, so replies to the refused ones would have come first.
        greetings = [m for m in eve.messages if "Your data, in short" in m.text]
        assert len(greetings) == 1  # only the update that carried the secret was handled
    finally:
        assert await terminate(process) == 0


async def test_a_quiz_whose_answers_land_on_different_instances(tmp_path, telegram, database_url):
    first, first_url = await start_webhook_instance(tmp_path, telegram, database_url, "web1")
    second, second_url = await start_webhook_instance(tmp_path, telegram, database_url, "web2")
    telegram.push_updates_to([first_url, second_url])
    try:
        ana = telegram.user(1001, "Ana")
        assert "All set" in await onboard(ana)
        await step(ana, "/progress", "Your progress", tap=False)
    finally:
        assert await terminate(first) == 0
        assert await terminate(second) == 0
    handled_by = {backend for backend, _, status in telegram.webhook_posts if status == 200}
    assert handled_by == {first_url, second_url}
    replied_from = {c.instance for c in telegram.calls if c.method == "sendMessage"}
    assert replied_from == {"web1", "web2"}
    assert not telegram.unanswered_callbacks()
