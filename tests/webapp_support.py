"""The Mini App under test: the real bot against the fake Bot API, with its web server (page and
JSON API) on 127.0.0.1:<free port>, and launch data signed the way Telegram signs it.

Use it from a test module with `from tests.webapp_support import webapp_fixture  # noqa: F401`,
then take the `webapp` fixture (it brings the `bot`, `telegram` and `clock` of tests/conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.config import Settings
from bot.web.auth import sign
from tests.conftest import FakeClock, RunningBot
from tests.fake_telegram import FakeTelegram
from tests.processes import free_port, wait_for_port

WEBAPP_URL = "https://hipcheck.example.org/app/"


def sign_init_data(
    user_id: int,
    token: str,
    auth_date: datetime | int,
    *,
    first_name: str = "Ana",
    language_code: str | None = None,
    **fields: str,
) -> str:
    """A launch string (Telegram.WebApp.initData) for `user_id`, signed with the bot's token."""
    stamp = auth_date if isinstance(auth_date, int) else int(auth_date.timestamp())
    person: dict[str, object] = {"id": user_id, "first_name": first_name}
    if language_code is not None:
        person["language_code"] = language_code
    user = json.dumps(person, separators=(",", ":"))
    values = {"query_id": "AAH-test", "user": user, "auth_date": str(stamp), **fields}
    return sign(values, token)


@dataclass
class Response:
    status: int
    body: Any  # the JSON answer, or the raw bytes of anything else
    content_type: str


@dataclass
class WebApp:
    base_url: str  # http://127.0.0.1:<port>
    bot: RunningBot
    telegram: FakeTelegram
    clock: FakeClock
    client: ClientSession

    @property
    def token(self) -> str:
        return self.telegram.token

    def init_data(self, user_id: int, auth_date: datetime | None = None) -> str:
        return sign_init_data(user_id, self.token, auth_date or self.clock())

    def page_url(self, user_id: int, view: str = "progress") -> str:
        """The page as Telegram opens it: the signed launch data in the hash (tgWebAppData)."""
        from urllib.parse import quote

        data = quote(self.init_data(user_id), safe="")
        return f"{self.base_url}/app/?view={view}#tgWebAppData={data}&tgWebAppVersion=8.0"

    async def call(
        self,
        method: str,
        path: str,
        user_id: int | None = None,
        body: Any = None,
        *,
        init_data: str | None = None,
    ) -> Response:
        """One API request, signed for `user_id` (or with `init_data` as given; neither: none)."""
        headers = {}
        if init_data is None and user_id is not None:
            init_data = self.init_data(user_id)
        if init_data is not None:
            headers["Authorization"] = f"tma {init_data}"
        async with self.client.request(
            method, self.base_url + path, json=body, headers=headers
        ) as r:
            raw = await r.read()
            kind = r.content_type
            parsed: Any = json.loads(raw) if kind == "application/json" else raw
            return Response(r.status, parsed, kind)


@pytest.fixture(name="webapp")
async def webapp_fixture(
    settings: Settings, telegram: FakeTelegram, clock: FakeClock, rendered_demos: None
) -> AsyncIterator[WebApp]:
    port = free_port()
    configured = settings.model_copy(update={"webapp_url": WEBAPP_URL, "webapp_port": port})
    running = RunningBot(configured, clock)
    await running.start()
    try:
        await wait_for_port(port, timeout=10)
        async with ClientSession() as client:
            yield WebApp(f"http://127.0.0.1:{port}", running, telegram, clock, client)
    finally:
        await running.stop()
