"""Entry point: `python -m bot [polling|webhook|migrate|backup PATH]` (see USAGE)."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import Settings, normalize_database_url
from bot.content import ContentError, load_content
from bot.handlers.common import HipApp
from bot.logs import configure_logging

USAGE = """usage: python -m bot [polling|webhook|migrate|copy-from SOURCE_URL|backup PATH|demos DIR
                     |languages [CONTENT_DIR]]

  (none)    webhook when WEBHOOK_URL is set, long polling otherwise
  polling   long polling (one instance per bot token)
  webhook   serve Telegram's webhook (and the Mini App) on PORT (needs WEBHOOK_URL and
            WEBHOOK_SECRET)
  migrate   apply the database migrations and exit (a Procfile release phase)
  copy-from copy every row from SOURCE_URL (e.g. the SQLite file) into an empty DATABASE_URL
  backup    write a consistent copy of the running SQLite database to the new file PATH
  demos     render every exercise's demonstration (GIF and still) and a contact sheet to DIR
  languages list every place a translation in content/ does not yet mirror English"""
MODES = ("polling", "webhook", "migrate")

NO_TOKEN = (
    "BOT_TOKEN is not set. Get a token from @BotFather in Telegram (send it /newbot), "
    "then run: BOT_TOKEN=<your token> python -m bot"
)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "demos":  # needs no token, settings or database
        from bot.demos.cli import render_all

        return render_all(Path(args[1]))
    if args and args[0] == "languages" and len(args) <= 2:  # needs no token either
        from bot.languages_cli import report

        return report(*(Path(a) for a in args[1:]))
    copying = len(args) == 2 and args[0] == "copy-from"
    backing_up = len(args) == 2 and args[0] == "backup"
    if not (copying or backing_up) and (len(args) > 1 or (args and args[0] not in MODES)):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        settings = Settings()
    except ValidationError as e:
        print(
            f"Configuration error: {e.errors()[0]['msg']} ({e.errors()[0]['loc']})", file=sys.stderr
        )
        return 2
    if copying:
        return copy_into(settings.database_url, normalize_database_url(args[1]))
    if backing_up:
        return back_up(settings.database_url, Path(args[1]))
    mode = args[0] if args else ("webhook" if settings.webhook_url else "polling")
    if mode == "migrate":
        settings.ensure_sqlite_directory()
        revision = asyncio.run(migrate_database(settings.database_url))
        print(f"Database migrated to revision {revision}.")
        return 0
    if mode == "webhook" and not settings.webhook_url:
        print("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET.", file=sys.stderr)
        return 2
    if settings.bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    secrets = [settings.token()] + (
        [settings.webhook_secret.get_secret_value()] if settings.webhook_secret else []
    )
    configure_logging(settings.log_level, secrets)
    try:
        content = load_content(*([settings.content_dir] if settings.content_dir else []))
    except ContentError as e:
        print(f"Content error: {e}", file=sys.stderr)
        return 1
    settings.ensure_sqlite_directory()

    from bot.app import build_application  # after logging, so start-up is logged redacted

    app = build_application(settings, content=content)
    try:
        run(app, settings, webhook=mode == "webhook")
    except InvalidToken:
        print("Telegram rejected BOT_TOKEN. Check it with @BotFather (/mybots).", file=sys.stderr)
        return 2
    except NetworkError as e:
        print(f"Could not reach the Telegram Bot API ({e}). Check the network.", file=sys.stderr)
        return 1
    except OSError as e:
        if mode != "webhook":
            raise
        # PORT is taken, or not ours to listen on.
        print(f"Could not listen on PORT {settings.port}: {e}", file=sys.stderr)
        return 1
    return 0


async def migrate_database(url: str) -> str | None:
    from bot.storage import migrate
    from bot.storage.db import Database

    database = Database(url)
    try:
        await migrate.upgrade(database.engine)
        return await migrate.current_revision(database.engine)
    finally:
        await database.dispose()


def copy_into(target_url: str, source_url: str) -> int:
    from bot.storage.copy import TargetNotEmptyError, copy_database

    try:
        copied = asyncio.run(copy_database(source_url, target_url))
    except TargetNotEmptyError as e:
        print(f"Nothing copied: {e}. Copy into a new, empty database.", file=sys.stderr)
        return 1
    print("Rows copied: " + ", ".join(f"{table} {rows}" for table, rows in copied.items()) + ".")
    return 0


def back_up(database_url: str, target: Path) -> int:
    from bot.storage.backup import BackupError, backup_sqlite, sqlite_file

    try:
        source = sqlite_file(database_url)
        pages = backup_sqlite(source, target)
    except BackupError as e:
        print(f"No backup written: {e}", file=sys.stderr)
        return 1
    print(f"Backed up {source} to {target} ({pages} pages).")
    return 0


def use_fast_event_loop() -> None:
    """Run on uvloop's event loop where it is installed (not on Windows): the same asyncio
    API, with the loop's own work (polling sockets, waking for aiosqlite's thread, calling
    back) in C. Without it, asyncio's own loop serves the same way, only with more CPU."""
    try:
        import uvloop
    except ImportError:
        logging.getLogger(__name__).info("uvloop is not installed: running on asyncio's loop")
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    logging.getLogger(__name__).info("running on uvloop's event loop")


def run(app: HipApp, settings: Settings, *, webhook: bool) -> None:
    """Serve until stopped: Telegram's webhook on PORT, or long polling."""
    use_fast_event_loop()
    allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
    if webhook:
        assert settings.webhook_url is not None and settings.webhook_secret is not None
        from bot.web.server import serve_webhook

        # One aiohttp server on PORT: the webhook on the public URL's path (so the proxy in
        # front can pass requests on unchanged), and the Mini App's page and API beside it.
        asyncio.run(
            serve_webhook(
                app,
                port=settings.port,
                url_path=urlsplit(settings.webhook_url).path,
                webhook_url=settings.webhook_url,
                secret=settings.webhook_secret.get_secret_value(),
                allowed_updates=allowed,
            )
        )
    else:
        from bot.transport import close_transports

        try:
            app.run_polling(allowed_updates=allowed, close_loop=False)
        finally:  # on the loop run_polling used, which it leaves open for this
            loop = asyncio.get_event_loop()
            loop.run_until_complete(close_transports(app))
            loop.close()


if __name__ == "__main__":
    sys.exit(main())
