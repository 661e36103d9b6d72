"""Build the Telegram application: handlers, database, dispatcher, error handler."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any
from zoneinfo import available_timezones

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.config import Settings
from bot.content import Content, load_content
from bot.delivery import Dispatcher
from bot.domain.zones import usable_zones
from bot.handlers import (
    general,
    guided,
    language,
    onboarding,
    privacy,
    reports,
    schedule,
    sessions,
)
from bot.handlers.common import HipApp, HipContext, find_language, ids
from bot.network import MessagePacer
from bot.ordering import PerUserOrder
from bot.storage import migrate
from bot.storage.db import Database
from bot.transport import TRANSPORTS, AiohttpRequest
from bot.usecases.common import Clock, Deps, system_clock
from bot.usecases.general import user_blocked
from bot.web import server as web_server
from bot.zonefinder import ZoneFinder

log = logging.getLogger(__name__)

# The command menu, in order: (command, the key of its description in content/labels.yaml).
COMMANDS = [
    ("start", "command_start"),
    ("today", "command_today"),
    ("done", "command_done"),
    ("progress", "command_progress"),
    ("summary", "command_summary"),
    ("report", "command_report"),
    ("export", "command_export"),
    ("history", "command_history"),
    ("levels", "command_levels"),
    ("quiz", "command_quiz"),
    ("routine", "command_routine"),
    ("time", "command_time"),
    ("timezone", "command_timezone"),
    ("days", "command_days"),
    ("pause", "command_pause"),
    ("resume", "command_resume"),
    ("settings", "command_settings"),
    ("privacy", "command_privacy"),
    ("deletedata", "command_deletedata"),
    ("cancel", "command_cancel"),
    ("help", "command_help"),
    ("language", "command_language"),
]

WAKE_UP = "delivery-wake-up"
CONNECTION_POOL = 64  # room for the dispatcher's sends in flight plus the handlers' calls
CONCURRENT_UPDATES = 32  # handlers running at once (each user's updates still one at a time)

# Registration order is matching order: feature modules first, fallbacks last.
HANDLER_MODULES = (onboarding, schedule, sessions, guided, reports, privacy, language, general)


def build_application(
    settings: Settings, *, content: Content | None = None, clock: Clock = system_clock
) -> HipApp:
    """Wire everything; nothing connects until the application is initialised."""
    content = content or load_content(*([settings.content_dir] if settings.content_dir else []))
    api_request = AiohttpRequest(
        connection_pool_size=CONNECTION_POOL, read_timeout=settings.telegram_read_timeout
    )
    # getUpdates too: the library's polling loop has its own backoff, so one try per call.
    updates_request = AiohttpRequest(connection_pool_size=1, attempts=1)
    app: HipApp = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(settings.telegram_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .request(api_request)
        .get_updates_request(updates_request)
        # Reminders are paced under Telegram's limit and yield to replies; a 429 on a reply is
        # waited out and retried, one on a reminder is retried by the dispatcher (never dropped).
        .rate_limiter(MessagePacer())
        .concurrent_updates(PerUserOrder(CONCURRENT_UPDATES))
        .context_types(ContextTypes(context=HipContext))
        .post_init(_on_start)
        .post_shutdown(_on_stop)
        .build()
    )
    zones = usable_zones(available_timezones())
    deps = Deps(
        settings=settings,
        content=content,
        db=Database(settings.database_url),
        clock=clock,
        zones=zones,
        finder=ZoneFinder(zones),
    )
    app.bot_data["deps"] = deps
    app.bot_data[TRANSPORTS] = (api_request, updates_request)
    app.bot_data["dispatcher"] = Dispatcher(deps, app.bot, keep_going=lambda: app.running)
    # Before every handler: the language the update is answered in.
    app.add_handler(language.RESOLVER, group=language.RESOLVE_GROUP)
    for module in HANDLER_MODULES:
        app.add_handlers(module.HANDLERS)
    app.add_handlers(general.FALLBACKS)
    app.add_error_handler(_on_error)
    return app


def dispatcher_of(app: HipApp) -> Dispatcher:
    dispatcher: Dispatcher = app.bot_data["dispatcher"]
    return dispatcher


async def _on_start(app: HipApp) -> None:
    deps: Deps = app.bot_data["deps"]
    await migrate.upgrade(deps.db.engine)
    await _introduce_bot(app, deps.content)
    await web_server.start_beside(app)  # the Mini App, when WEBAPP_URL is set
    assert app.job_queue is not None

    async def tick(_context: HipContext) -> None:
        # Once stopping has begun, a job the scheduler starts is cancelled by its shutdown, and
        # a cancellation inside a transaction can leave the connection open and idle in it:
        # a pass that starts or ends then touches nothing.
        if not app.running:
            return
        await dispatcher_of(app).tick()
        if app.running:
            await _wake_up_when_due(app, tick)

    app.job_queue.run_repeating(
        tick,
        interval=deps.settings.tick_seconds,
        name="delivery-tick",
        # Two instances: a tick still sending a burst makes the next one return at once (see
        # Dispatcher.tick) instead of APScheduler logging a skipped run every interval.
        # next_run_time: the first pass as soon as the scheduler starts. (`first=0` did not do
        # that: added here, before the scheduler starts, its start lies in the past once it
        # does, and the first run came one whole interval later.) Scheduler time is real time.
        job_kwargs={
            "max_instances": 2,
            "coalesce": True,
            "misfire_grace_time": None,
            "next_run_time": datetime.now(UTC),
        },
    )


async def _introduce_bot(app: HipApp, content: Content) -> None:
    """Register the command menu, the description and the short description in every language
    (English also as the default for any other); a refusal is a warning, never a crash."""
    for each in content.languages:
        code = None if each.code == content.code else each.code
        label = each.labels
        steps = (
            (
                "command list",
                app.bot.set_my_commands,
                [BotCommand(n, label(k)) for n, k in COMMANDS],
            ),
            ("description", app.bot.set_my_description, label("bot_description")),
            ("short description", app.bot.set_my_short_description, label("bot_short_description")),
        )
        for what, call, value in steps:
            try:
                await call(value, language_code=code)
            except TelegramError as e:
                log.warning("could not register the %s (%s) with Telegram: %s", what, each.code, e)


async def _wake_up_when_due(
    app: HipApp, tick: Callable[[HipContext], Coroutine[Any, Any, None]]
) -> None:
    """Run one extra pass at the next due instant when it comes before the next tick.

    Reminders are set for round times, so many fall due at the same instant; without this a
    whole crowd would wait for the tick, up to TICK_SECONDS late.
    """
    deps: Deps = app.bot_data["deps"]
    assert app.job_queue is not None
    due = await dispatcher_of(app).next_due()
    if due is None:
        return
    delay = (due - deps.clock()).total_seconds()
    if not 0 < delay < deps.settings.tick_seconds:
        return
    for job in app.job_queue.get_jobs_by_name(WAKE_UP):
        job.schedule_removal()
    app.job_queue.run_once(tick, when=delay, name=WAKE_UP)


async def _on_stop(app: HipApp) -> None:
    deps: Deps = app.bot_data["deps"]
    await web_server.stop_beside(app)
    await deps.db.dispose()


async def _on_error(update: object, context: HipContext) -> None:
    """Log the failure with its context; tell the user briefly; stop reminders if blocked."""
    error = context.error
    if not isinstance(update, Update) or update.effective_user is None:
        log.error("error outside an update: %r", error, exc_info=error)
        return
    user_id, _ = ids(update)
    if isinstance(error, Forbidden):
        log.info("user %s blocked the bot; reminders stopped", user_id)
        await user_blocked(context.deps.db, user_id)
        return
    log.error("error handling update %s of user %s", update.update_id, user_id, exc_info=error)
    try:
        await context.bot.send_message(user_id, await _error_text(update, context))
    except TelegramError as e:
        log.warning("could not tell user %s about the error: %s", user_id, e)


async def _error_text(update: Update, context: HipContext) -> str:
    """The apology, in the user's language when it can still be found."""
    try:
        await find_language(update, context)
    except Exception:  # the failure may be the database itself: apologise in English
        log.warning("could not find the language of the apology", exc_info=True)
    return context.content.messages("error")
