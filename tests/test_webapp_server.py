"""The Mini App's server as an operator runs it: `python -m bot` in polling mode serves the page
and API on WEBAPP_PORT; in webhook mode one server on PORT serves the webhook, page and API."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from aiohttp import ClientSession
from pydantic import ValidationError

from bot.config import Settings
from tests.fake_telegram import FakeTelegram
from tests.processes import bot_env, free_port, spawn_bot, terminate, wait_for_port
from tests.test_webhook import PUBLIC_URL, SECRET, post_update, start_update
from tests.webapp_support import WEBAPP_URL, sign_init_data


def test_the_mini_app_is_off_by_default_and_its_port_is_8081():
    settings = Settings(_env_file=None)
    assert (settings.webapp_url, settings.webapp_port) == (None, 8081)
    assert settings.webapp_max_age_seconds == 24 * 3600


@pytest.mark.parametrize("url", ["http://example.org/app/", "example.org/app/"])
def test_a_webapp_url_that_is_not_https_is_refused_at_start(url):
    with pytest.raises(ValidationError, match="https"):
        Settings(_env_file=None, webapp_url=url)


@pytest.mark.parametrize(
    ("webapp", "opened"),
    [
        ("https://h.example.org/app/", "https://h.example.org/app/?view=guided"),
        ("https://h.example.org/app/?view=progress", "https://h.example.org/app/?view=guided"),
        ("https://h.example.org/?a=1", "https://h.example.org/?a=1&view=guided"),
    ],
)
def test_the_cards_button_opens_the_guided_view_of_the_configured_page(webapp, opened):
    from bot import render

    assert render.guided_page(webapp) == opened


def test_a_blank_webapp_url_means_off():
    assert Settings(_env_file=None, webapp_url="  ").webapp_url is None


async def texts_status(port: int, token: str, user_id: int = 1001) -> int:
    headers = {"Authorization": "tma " + sign_init_data(user_id, token, int(time.time()))}
    async with (
        ClientSession() as client,
        client.get(f"http://127.0.0.1:{port}/api/texts", headers=headers) as r,
    ):
        return r.status


async def test_polling_mode_serves_the_api_on_webapp_port(tmp_path, telegram: FakeTelegram):
    port = free_port()
    env = bot_env(
        telegram.base_url,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        WEBAPP_URL=WEBAPP_URL,
        WEBAPP_PORT=str(port),
    )
    process = await spawn_bot(tmp_path, env, "polling", log=tmp_path / "bot.log")
    try:
        await wait_for_port(port)
        assert await texts_status(port, telegram.token) == 200
        assert await texts_status(port, "654321:OTHER") == 401
        await telegram.wait_until(
            lambda: telegram.menu_buttons.get(None),
            timeout=30,
            describe=lambda: "the menu button was never set",
        )
    finally:
        assert await terminate(process) == 0


async def test_webhook_mode_serves_webhook_page_and_api_on_one_port(
    tmp_path, telegram: FakeTelegram
):
    port = free_port()
    env = bot_env(
        telegram.base_url,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        WEBHOOK_URL=PUBLIC_URL,
        WEBHOOK_SECRET=SECRET,
        PORT=str(port),
        WEBAPP_URL=WEBAPP_URL,
    )
    process = await spawn_bot(tmp_path, env, "webhook", log=tmp_path / "bot.log")
    try:
        await wait_for_port(port)
        await telegram.wait_until(
            lambda: True if telegram.calls_to("setWebhook") else None,
            timeout=30,
            describe=lambda: "setWebhook never called",
        )
        assert await texts_status(port, telegram.token) == 200
        eve = telegram.user(2002, "Eve")
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        url = f"http://127.0.0.1:{port}/telegram"
        assert await post_update(url, start_update(eve.id, 1), headers) == 200
        await eve.wait_for_text("Your data, in short")
    finally:
        assert await terminate(process) == 0


async def test_a_taken_webapp_port_leaves_the_chat_working(tmp_path, telegram: FakeTelegram):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(
            telegram.base_url,
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            WEBAPP_URL=WEBAPP_URL,
            WEBAPP_PORT=str(port),
        )
        log = tmp_path / "bot.log"
        process = await spawn_bot(tmp_path, env, "polling", log=log)
        try:
            eve = telegram.user(2002, "Eve")
            await eve.send("/start")
            await eve.wait_for_text("Your data, in short", timeout=30)
        finally:
            assert await terminate(process) == 0
    assert f"could not serve the Mini App on WEBAPP_PORT {port}" in log.read_text()


async def test_a_taken_port_in_webhook_mode_is_one_clear_line(tmp_path, telegram: FakeTelegram):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(
            telegram.base_url,
            f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            WEBHOOK_URL=PUBLIC_URL,
            WEBHOOK_SECRET=SECRET,
            PORT=str(port),
        )
        log = tmp_path / "bot.log"
        process = await spawn_bot(tmp_path, env, "webhook", log=log)
        assert await asyncio.wait_for(process.wait(), timeout=60) == 1
    output = log.read_text()
    assert f"Could not listen on PORT {port}" in output
    assert "Traceback" not in output
