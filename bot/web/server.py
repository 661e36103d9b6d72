"""The Mini App's web server (aiohttp.web): the page at /app/, its JSON API at /api/, and in
webhook mode Telegram's webhook too, all in one application.

Polling mode: `start_beside` (from the bot's post_init) serves the page and API on
WEBAPP_PORT when WEBAPP_URL is set, and `stop_beside` (post_shutdown) stops it. Webhook mode:
`serve_webhook` runs the bot itself under this server on PORT, the way PTB's custom-webhook
example does (updates go to the application's update queue), instead of `run_webhook`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import MenuButtonWebApp, Update, WebAppInfo
from telegram.error import TelegramError

from bot.handlers.common import HipApp
from bot.transport import close_transports
from bot.usecases.common import Deps
from bot.web import api
from bot.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
RUNNER = "web-runner"  # bot_data: the AppRunner serving beside polling
SERVED_BY_WEBHOOK = "web-with-webhook"  # bot_data: the webhook's server serves the page too
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def build_web_app(bot_app: HipApp, *, limiter: RateLimiter | None = None) -> web.Application:
    """The page, the API and (added by `serve_webhook`) nothing else."""
    deps: Deps = bot_app.bot_data["deps"]
    web_app = web.Application(client_max_size=64 * 1024)
    web_app[api.BOT_APP] = bot_app
    web_app[api.LIMITER] = limiter or RateLimiter(deps.clock)
    api.add_routes(web_app)
    web_app.router.add_get("/app", _to_app)
    web_app.router.add_get("/app/", _index)
    if STATIC.is_dir():
        web_app.router.add_static("/app/", STATIC, follow_symlinks=False)
    return web_app


async def _to_app(request: web.Request) -> web.StreamResponse:
    query = f"?{request.query_string}" if request.query_string else ""
    raise web.HTTPPermanentRedirect(location="/app/" + query)


async def _index(_request: web.Request) -> web.StreamResponse:
    index = STATIC / "index.html"
    if not index.is_file():
        raise web.HTTPNotFound
    return web.FileResponse(index, headers={"Cache-Control": "no-cache"})


async def start_beside(bot_app: HipApp) -> None:
    """Polling mode: serve the page and API on WEBAPP_PORT when WEBAPP_URL is set."""
    deps: Deps = bot_app.bot_data["deps"]
    await set_menu_button(bot_app)
    if not deps.settings.webapp_url or bot_app.bot_data.get(SERVED_BY_WEBHOOK):
        return
    runner = web.AppRunner(build_web_app(bot_app), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "0.0.0.0", deps.settings.webapp_port).start()
    except OSError as e:  # the chat works on without the page
        log.error(
            "could not serve the Mini App on WEBAPP_PORT %s: %s", deps.settings.webapp_port, e
        )
        await runner.cleanup()
        return
    bot_app.bot_data[RUNNER] = runner
    log.info("Mini App served on port %s", deps.settings.webapp_port)


async def stop_beside(bot_app: HipApp) -> None:
    runner: web.AppRunner | None = bot_app.bot_data.pop(RUNNER, None)
    if runner is not None:
        await runner.cleanup()


async def set_menu_button(bot_app: HipApp) -> None:
    """The chat's menu button opens the Mini App (for every chat), when WEBAPP_URL is set."""
    deps: Deps = bot_app.bot_data["deps"]
    if not deps.settings.webapp_url:
        return
    button = MenuButtonWebApp(
        deps.content.labels("button_webapp_menu"), WebAppInfo(deps.settings.webapp_url)
    )
    try:
        await bot_app.bot.set_chat_menu_button(menu_button=button)
    except TelegramError as e:
        log.warning("could not set the Mini App menu button: %s", e)


def webhook_handler(bot_app: HipApp, secret: str) -> Any:
    """Telegram's POSTs: checked for the secret header, then queued for the application."""

    async def receive(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, bot_app.bot)
        except (ValueError, TypeError, KeyError, json.JSONDecodeError):
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        await bot_app.update_queue.put(update)
        return web.Response(status=200)

    return receive


async def serve_webhook(
    bot_app: HipApp,
    *,
    port: int,
    url_path: str,
    webhook_url: str,
    secret: str,
    allowed_updates: list[str],
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot under one aiohttp server: the webhook on `url_path`, the page and API beside
    it; until SIGTERM or SIGINT (or `stop`)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    bot_app.bot_data[SERVED_BY_WEBHOOK] = True
    web_app = build_web_app(bot_app)
    web_app.router.add_post("/" + url_path.strip("/"), webhook_handler(bot_app, secret))
    runner = web.AppRunner(web_app, access_log=None)
    try:
        await bot_app.initialize()
    except BaseException:
        await close_transports(bot_app)
        raise
    try:
        if bot_app.post_init is not None:
            await bot_app.post_init(bot_app)
        await bot_app.start()
        await runner.setup()
        await web.TCPSite(runner, "0.0.0.0", port).start()
        await bot_app.bot.set_webhook(
            webhook_url, allowed_updates=allowed_updates, secret_token=secret
        )
        await stop.wait()
    finally:
        await runner.cleanup()
        if bot_app.running:
            await bot_app.stop()
        await bot_app.shutdown()
        if bot_app.post_shutdown is not None:
            await bot_app.post_shutdown(bot_app)
