"""HTTP to the Bot API over aiohttp, with the retries that cannot send a message twice.

`AiohttpRequest` is a python-telegram-bot `BaseRequest` (the documented hook for another HTTP
back end): the library still builds every call and maps Telegram's answers to its errors
(RetryAfter, Forbidden, BadRequest, ...); this class only moves bytes, maps transport faults
to TimedOut and NetworkError, and retries what is safe to retry. It replaced PTB's httpx
request because httpx and httpcore were most of a reminder's CPU (docs/BENCHMARKS.md).

What is retried, at most `attempts` times with backoff and jitter:
- a 5xx answer, a refused or timed-out connect, a connection dropped without an answer;
- a read timeout, only for calls that cannot post a message (edits, callback answers, ...).
  A message call whose answer timed out may have been delivered, so it is never resent here.
- nothing at all inside `dispatcher_retries()`: the dispatcher owns its retries, so one
  reminder is one HTTP request per attempt (docs/RELIABILITY.md states the bound).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.network import MESSAGE_METHODS, backoff

log = logging.getLogger(__name__)

# Inside this context the transport makes exactly one request per call.
_caller_retries: ContextVar[bool] = ContextVar("caller_retries", default=False)
# A bot token anywhere in a URL (…/bot123456:AbC-_/…): never in an error message.
_TOKEN_IN_URL = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
_JSON_HEADERS = {"Content-Type": "application/json"}


# RequestData is marked final for type checkers; PTB only hands it on to `do_request`, which
# is ours, so a subclass that carries a ready body is safe (tests/test_transport.py).
class PreparedJson(RequestData):  # type: ignore[misc]
    """A JSON body the caller serialised once (a reminder: the card's bytes with the chat id),
    sent as it is. Everything else about the call (PTB's mapping of the answer to its errors,
    the retries above, the pacer) is as for any other call."""

    __slots__ = ("body",)

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body


@contextmanager
def dispatcher_retries() -> Iterator[None]:
    """Calls made inside this block are tried once; the caller retries them itself."""
    token = _caller_retries.set(True)
    try:
        yield
    finally:
        _caller_retries.reset(token)


class AiohttpRequest(BaseRequest):
    """python-telegram-bot's request interface over one aiohttp session (see the module notes)."""

    __slots__ = ("_attempts", "_connector_limit", "_defaults", "_session")

    def __init__(
        self,
        *,
        connection_pool_size: int = 64,
        attempts: int = 3,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._connector_limit = connection_pool_size
        self._attempts = attempts
        self._defaults = (read_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._defaults[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connector_limit),
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none: skip the jar
                headers={"User-Agent": self.USER_AGENT},
                skip_auto_headers=("Accept-Encoding",),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One Bot API call: (HTTP status, body), retried as the module notes say."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        limits = self._timeout(read_timeout, connect_timeout, pool_timeout)
        endpoint = url.rsplit("/", 1)[-1]
        attempts = 1 if _caller_retries.get() else self._attempts
        error: NetworkError
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                code, payload = await self._once(url, method, request_data, limits)
            except (aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError) as e:
                # No connection, so nothing reached Telegram: always safe to retry.
                kind = TimedOut if isinstance(e, TimeoutError) else NetworkError
                error = kind(_describe(e, url))
                if last:
                    raise error from None
            except (aiohttp.ServerTimeoutError, TimeoutError) as e:
                # Telegram had the request and did not answer in time: it may have acted on it.
                if last or endpoint in MESSAGE_METHODS:
                    raise TimedOut(_describe(e, url)) from None
                error = TimedOut(_describe(e, url))
            except aiohttp.ClientError as e:
                if last:
                    raise NetworkError(_describe(e, url)) from None
                error = NetworkError(_describe(e, url))
            else:
                if code < 500 or last:
                    return code, payload
                log.warning("Bot API answered %d to %s; retrying", code, endpoint)
                await asyncio.sleep(backoff(attempt))
                continue
            log.warning("Bot API call %s failed (%s); retrying", endpoint, error.message)
            await asyncio.sleep(backoff(attempt))
        raise AssertionError("unreachable")

    async def _once(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        assert self._session is not None
        data: Any = None
        headers: dict[str, str] | None = None
        if isinstance(request_data, PreparedJson):
            data, headers = request_data.body, _JSON_HEADERS
        elif request_data is not None:
            if request_data.contains_files:
                data = _form(request_data)
            else:
                data = json.dumps(request_data.parameters).encode()
                headers = _JSON_HEADERS
        async with self._session.request(
            method, url, data=data, headers=headers, timeout=limits
        ) as response:
            return response.status, await response.read()

    def _timeout(
        self, read: ODVInput[float], connect: ODVInput[float], pool: ODVInput[float]
    ) -> aiohttp.ClientTimeout:
        default_read, default_connect, default_pool = self._defaults
        read_s = default_read if isinstance(read, DefaultValue) else read
        connect_s = default_connect if isinstance(connect, DefaultValue) else connect
        pool_s = default_pool if isinstance(pool, DefaultValue) else pool
        return _client_timeout(read_s, connect_s, pool_s)


@functools.lru_cache(maxsize=64)
def _client_timeout(
    read: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for these seconds, built once (a burst makes thousands of calls)."""
    # aiohttp's `connect` covers waiting for a pooled connection and connecting.
    acquire = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=None, connect=acquire, sock_connect=connect, sock_read=read)


def _describe(error: BaseException, url: str) -> str:
    """`aiohttp.<Error>: <text>` with the URL, and so the token, blanked out."""
    text = str(error).replace(url, "<Bot API URL>")
    text = _TOKEN_IN_URL.sub("bot<BOT_TOKEN>", text)
    return f"aiohttp.{type(error).__name__}: {text}" if text else f"aiohttp.{type(error).__name__}"


def _form(request_data: RequestData) -> aiohttp.FormData:
    """A multipart body: the parameters as JSON-encoded fields, then the files."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


TRANSPORTS = "transports"  # bot_data key: the bot's two AiohttpRequests (see close_transports)


async def close_transports(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the bot's HTTP sessions even when start-up failed (Telegram unreachable): the
    library shuts down only what it finished initialising, and a session left open for the
    garbage collector is logged as an error."""
    for request in app.bot_data.get(TRANSPORTS, ()):
        await request.shutdown()
