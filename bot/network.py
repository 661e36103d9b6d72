"""Pacing under Telegram's limit, and the backoff every retry of a Bot API call uses."""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
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


# Rate-limit argument marking a bulk send (a reminder), which yields to replies to people.
BULK = "bulk"
# Calls that post a new message: what Telegram's overall limit (about 30 a second) counts.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAnimation",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendSticker",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
BULK_PER_SECOND = 29.0  # a little under Telegram's 30, so network jitter never crowds 31 into 1 s

ApiCall = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]


class MessagePacer(BaseRateLimiter[str]):
    """Keeps bulk sends under Telegram's overall limit and lets replies to people go first.

    Bulk messages (``rate_limit_args=BULK``: the dispatcher's reminders) are spaced evenly at
    `bulk_per_second`, with no bursts, which is what a strict per-second window allows. A reply
    to a person is never delayed: it goes at once and pushes the next bulk message back by one
    slot, so a burst of reminders cannot slow an answer and the two together stay under the
    limit. Other calls (edits, callback answers) are not paced. A 429 holds every bulk send for
    its retry_after; any other call is retried after it, at most `max_retries` times.
    (PTB's AIORateLimiter paces every call carrying a chat id as one queue, allows bursts of
    30 and pauses all calls on any 429: replies waited behind reminders, and bursts drew 429s.)
    """

    def __init__(self, bulk_per_second: float = BULK_PER_SECOND, max_retries: int = 2) -> None:
        self._interval = 1.0 / bulk_per_second if bulk_per_second else 0.0
        self._max_retries = max_retries
        self._next_bulk = 0.0  # event-loop time before which no bulk message may go
        self._bulk_queue: asyncio.Lock | None = None

    async def initialize(self) -> None:
        self._bulk_queue = asyncio.Lock()

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: ApiCall,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Pace a bulk message; send anything else at once, retrying it after a 429."""
        if rate_limit_args == BULK:
            await self._bulk_slot()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as e:
                self._hold_bulk(retry_seconds(e))
                raise  # the dispatcher waits it out and sends again through a new slot
        for attempt in range(self._max_retries + 1):
            if endpoint in MESSAGE_METHODS:
                self._hold_bulk(self._interval)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as e:
                wait = retry_seconds(e)
                self._hold_bulk(wait)
                if attempt == self._max_retries:
                    raise
                log.info("Telegram asked to wait %.0f s before %s; waiting", wait, endpoint)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    def _hold_bulk(self, seconds: float) -> None:
        if self._interval:
            now = asyncio.get_running_loop().time()
            self._next_bulk = max(self._next_bulk, now + seconds)

    async def _bulk_slot(self) -> None:
        """Wait for the next bulk slot; slots keep their cadence however late a wake-up is."""
        if not self._interval:
            return
        if self._bulk_queue is None:
            self._bulk_queue = asyncio.Lock()
        loop = asyncio.get_running_loop()
        async with self._bulk_queue:
            # A reply may push the slot back while we sleep: look again after waking.
            while (wait := self._next_bulk - loop.time()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            # During a burst keep the cadence, so a late wake-up is made up by the next slot
            # instead of lowering the rate; after an idle spell start afresh from now.
            now = loop.time()
            slot = self._next_bulk if now - self._next_bulk < self._interval else now
            self._next_bulk = slot + self._interval
