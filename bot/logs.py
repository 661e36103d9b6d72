"""Logging set-up that keeps the bot token out of every line, traceback included."""

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


def configure_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, which carries the token; keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").addFilter(_NoStartupTraceback())
