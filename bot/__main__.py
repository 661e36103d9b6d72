"""Entry point: `python -m bot` applies migrations and runs the bot (polling or webhook)."""

from __future__ import annotations

import sys

from pydantic import ValidationError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.config import Settings
from bot.content import ContentError, load_content
from bot.handlers.common import HipApp
from bot.logs import configure_logging

NO_TOKEN = (
    "BOT_TOKEN is not set. Get a token from @BotFather in Telegram (send it /newbot), "
    "then run: BOT_TOKEN=<your token> python -m bot"
)


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as e:
        print(
            f"Configuration error: {e.errors()[0]['msg']} ({e.errors()[0]['loc']})", file=sys.stderr
        )
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
        run(app, settings)
    except InvalidToken:
        print("Telegram rejected BOT_TOKEN. Check it with @BotFather (/mybots).", file=sys.stderr)
        return 2
    except NetworkError as e:
        print(f"Could not reach the Telegram Bot API ({e}). Check the network.", file=sys.stderr)
        return 1
    return 0


def run(app: HipApp, settings: Settings) -> None:
    """Serve until stopped: webhook when configured, long polling otherwise."""
    allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
    if settings.webhook_url:
        assert settings.webhook_secret is not None
        app.run_webhook(
            listen="0.0.0.0",
            port=settings.port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=allowed,
        )
    else:
        app.run_polling(allowed_updates=allowed)


if __name__ == "__main__":
    sys.exit(main())
