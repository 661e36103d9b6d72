"""Logging set-up that keeps the bot token out of every line, traceback included, and health
data (quiz answers, pain ratings, notes) out of the log at every level."""

from __future__ import annotations

import logging
from urllib.parse import quote

REDACTED = "<BOT_TOKEN>"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then blanks out every form of the secrets it was given."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        forms = {form for s in secrets if s for form in (s, quote(s, safe=""))}
        self._secrets = sorted(forms, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


class _NoStartupTraceback(logging.Filter):
    """The library logs a failed start-up (bad token, no network) with a traceback;
    `python -m bot` explains it in one line instead, so keep the record but drop the trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith("Network Retry Loop (Bootstrap"):
            record.exc_info = None
            record.exc_text = None
        return True


class NoHealthData(logging.Filter):
    """Keep what users told the bot out of the log, whatever level a library's logger is at.

    Below INFO, the libraries log payloads: python-telegram-bot every update it fetches and
    every Bot API call with its parameters and answer (the user's note, the rating button's
    data, the bot's "7/10" reply), aiosqlite every statement with its values; SQLAlchemy's
    engine does the same at INFO. Those records are dropped; the bot's own (`bot.*`) never
    log payloads. The library's rare errors that quote a whole update keep their message
    but not the data.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        if name == "bot" or name.startswith("bot."):
            return True
        if record.levelno < logging.INFO:
            return False
        if record.levelno < logging.WARNING and name.startswith("sqlalchemy.engine"):
            return False
        if isinstance(record.msg, str) and _QUOTES_DATA in record.msg:
            record.msg = record.msg.split(_QUOTES_DATA)[0] + "Received data withheld."
            record.args = None
        return True


_QUOTES_DATA = "Received data was"


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.addFilter(NoHealthData())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, which carries the token; keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").addFilter(_NoStartupTraceback())
