"""HTTP to the Bot API with retries: 5xx answers and network faults are retried with backoff."""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)


def backoff(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with jitter: about base·2^attempt seconds, never above `cap`."""
    delay: float = min(cap, base * 2.0**attempt)
    return delay * random.uniform(0.5, 1.5)


def retry_seconds(error: RetryAfter) -> float:
    """How long a 429 asks us to wait, in seconds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RetryingRequest(HTTPXRequest):
    """The library's HTTPX request, retrying 5xx answers, timeouts and dropped connections.

    Used for every call but getUpdates, whose polling loop has its own backoff. A 4xx (429
    included) is never retried here: the rate limiter and the callers handle those.
    """

    def __init__(self, *, attempts: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._attempts = attempts

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        for attempt in range(self._attempts):
            last = attempt == self._attempts - 1
            try:
                code, payload = await super().do_request(*args, **kwargs)
            except NetworkError as e:
                if last:
                    raise
                log.warning("Bot API call failed (%s); retrying", e)
            else:
                if code < 500 or last:
                    return code, payload
                log.warning("Bot API answered %d; retrying", code)
            await asyncio.sleep(backoff(attempt))
        raise AssertionError("unreachable")
