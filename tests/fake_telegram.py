"""A fake Telegram Bot API server and a "user side" harness for end-to-end tests.

The server speaks enough of the Bot API over real HTTP (aiohttp, 127.0.0.1, a free
port) for an unmodified python-telegram-bot ``Application`` to run against it::

    async with FakeTelegram() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
        ...  # initialize / start / updater.start_polling
        ana = server.user(42, "Ana")
        await ana.send("/start")
        msg = await ana.wait_for_text("Welcome")
        query_id = await ana.tap("Yes")
        await ana.wait_answered(query_id)

Behaviour modelled on the real Bot API:

* Every request goes to ``/bot<token>/<method>``; the method name is matched
  case-insensitively.  A wrong token answers 401 Unauthorized, an unknown method
  404 "Not Found: method not found" (PTB raises ``InvalidToken`` for that, or
  ``EndPointNotFound`` from ``Bot.do_api_request``); unknown calls are kept in
  :attr:`FakeTelegram.unknown_calls`.
* Parameters are read from the query string, form-urlencoded and multipart bodies
  (PTB sends non-string values JSON-encoded, e.g. ``chat_id="123"``) and JSON bodies.
  Form values that are JSON are decoded, except for fields that are always strings
  (``text``, ``caption``, ``callback_query_id``, ...), so a text of ``"123"`` stays a str.
* ``getUpdates`` long-polls and drops updates whose ``update_id`` is below ``offset``
  (negative offsets work as documented).  A newer ``getUpdates`` makes a still pending
  older one answer 409 Conflict, as Telegram does when two bot instances poll.
* Message ids grow per chat and are shared by the user's and the bot's messages.
* Sending to a chat for which no :meth:`FakeTelegram.user` exists answers
  400 "Bad Request: chat not found"; a user that :meth:`FakeUser.block`-ed the bot
  makes sends answer 403 "Forbidden: bot was blocked by the user".
* ``parse_mode`` HTML / MarkdownV2 / Markdown text is checked roughly like Telegram does
  (unknown or unbalanced HTML tags, unescaped reserved MarkdownV2 characters, unclosed
  entities) and rejected with 400 "Bad Request: can't parse entities: ...".  Texts must
  be non-empty and at most 4096 characters (captions 1024), callback_data 1-64 bytes.
* ``editMessageText`` without ``reply_markup`` removes the inline keyboard, exactly as
  Telegram does; an edit that changes nothing answers 400 "message is not modified".

Import it as ``from tests.fake_telegram import FakeTelegram`` (needs the project root on
sys.path: run pytest from the root, or set pytest's ``pythonpath = ["."]``).

Fault injection (see :meth:`FakeTelegram.fail`, :meth:`FakeTelegram.drop_connection`,
:meth:`FakeTelegram.delay`, :meth:`FakeTelegram.limit_rate`) lets reliability tests
make calls fail.  All waiting is driven by one :class:`asyncio.Condition` that is
notified on every change (update queued, message stored/edited/deleted, callback
answered), so nothing here polls with sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import ClientSession, web

__all__ = [
    "BOT_USER",
    "BotMessage",
    "Call",
    "CallbackQueryRecord",
    "FakeTelegram",
    "FakeUser",
    "UploadedFile",
]

JSONDict = dict[str, Any]
_T = TypeVar("_T")

BOT_USER: JSONDict = {
    "id": 999000,
    "is_bot": True,
    "first_name": "Hip Check",
    "username": "hipcheck_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)

# Parameters that are always strings: never JSON-decode them ("123", "true" stay text).
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "action",
        "name",
        "title",
        "description",
        "short_description",
        "language_code",
        "secret_token",
        "ip_address",
        "emoji",
        "business_connection_id",
        "message_effect_id",
    }
)
_SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument", "sendanimation"})
_MAX_TEXT = 4096
_MAX_CAPTION = 1024
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


# --------------------------------------------------------------------------- records


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class Call:
    """One API request as received.  ``status`` is the HTTP status answered, 0 when the
    connection was dropped on purpose, None while pending or if the client went away
    first (e.g. the long poll PTB cancels when its updater stops)."""

    method: str
    params: JSONDict
    time: float
    status: int | None = None
    instance: str = ""  # the label of base_url_for(label) the caller used; "" for base_url


@dataclass
class BotMessage:
    """A message the bot sent into a chat, kept up to date with edits and deletion.

    ``text`` is the raw text the bot sent (with HTML/Markdown markup, if any) or, for
    media messages, the raw caption ("" when there is none); ``plain_text`` has the
    markup removed.  ``history`` holds the earlier texts, oldest first.
    """

    message_id: int
    chat_id: int
    text: str
    method: str = "sendMessage"
    reply_markup: JSONDict | None = None
    parse_mode: str | None = None
    date: int = 0
    edit_date: int | None = None
    edits: int = 0
    deleted: bool = False
    file_bytes: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    file_id: str | None = None
    history: list[str] = field(default_factory=list)

    @property
    def plain_text(self) -> str:
        return _parse_text(self.text, self.parse_mode)[0]

    @property
    def is_media(self) -> bool:
        return self.method != "sendMessage"

    def button_rows(self) -> list[list[tuple[str, str]]]:
        """Inline keyboard rows as (text, callback_data) pairs (url for link buttons)."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [
            [(str(b.get("text", "")), str(b.get("callback_data", b.get("url", "")))) for b in row]
            for row in rows
        ]

    def buttons(self) -> list[tuple[str, str]]:
        """The inline keyboard flattened: [(text, callback_data), ...]."""
        return [b for row in self.button_rows() for b in row]

    def describe(self) -> str:
        flags = ""
        if self.edits:
            flags += f" (edited x{self.edits})"
        if self.deleted:
            flags += " (deleted)"
        keyboard = ""
        if self.buttons():
            keyboard = " [" + " | ".join(f"{t}={d}" for t, d in self.buttons()) + "]"
        media = f" <{self.method} {self.filename or ''}>" if self.is_media else ""
        return f"#{self.message_id}{flags}{media}: {self.text!r}{keyboard}"


@dataclass
class CallbackQueryRecord:
    id: str
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: JSONDict | None = None


@dataclass
class _Fault:
    kind: str  # "error" | "drop" | "delay"
    method: str  # lower-case
    times: int
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    chat_id: int | None = None
    seconds: float = 0.0


@dataclass
class _Chat:
    id: int
    user: FakeUser
    messages: list[BotMessage] = field(default_factory=list)
    by_id: dict[int, BotMessage] = field(default_factory=dict)
    next_message_id: int = 1
    events: list[str] = field(default_factory=list)


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


# --------------------------------------------------------------------------- server


class FakeTelegram:
    """Fake Bot API server.  Use ``async with FakeTelegram() as server`` or start()/stop()."""

    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.unknown_calls: list[Call] = []
        # setChatMenuButton: the button per chat id (None: every chat's default).
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.delivery_counts: dict[int, int] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._cond: asyncio.Condition | None = None
        self._closing = False
        self._updates: list[JSONDict] = []
        self._update_ids = itertools.count(1000)
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._webhook_url = ""
        self._webhook_secret = ""
        self._pusher: asyncio.Task[None] | None = None
        self.webhook_posts: list[tuple[str, int, int]] = []  # (backend, update_id, HTTP status)
        self._commands: dict[str, list[JSONDict]] = {}
        # setMyDescription / setMyShortDescription, by language_code ("" = the default).
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self._chats: dict[int, _Chat] = {}
        self._callbacks: dict[str, CallbackQueryRecord] = {}
        self._callback_ids = itertools.count(7_300_000_000_000_000_001)
        self._files: dict[str, UploadedFile] = {}
        self._file_ids = itertools.count(1)
        self._faults: list[_Fault] = []
        self._outages: dict[str, float] = {}
        self._rate: tuple[float | None, float | None] | None = None
        self._sent_all: deque[float] = deque()
        self._sent_chat: dict[int, deque[float]] = {}
        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {}
        for name, handler in [
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("deleteWebhook", self._delete_webhook),
            ("setWebhook", self._set_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("setMyCommands", self._set_my_commands),
            ("getMyCommands", self._get_my_commands),
            ("deleteMyCommands", self._delete_my_commands),
            ("setMyDescription", self._set_my_description),
            ("setMyShortDescription", self._set_my_short_description),
            ("sendMessage", self._send_message),
            ("sendPhoto", self._send_photo),
            ("sendDocument", self._send_document),
            ("sendAnimation", self._send_animation),
            ("sendChatAction", self._send_chat_action),
            ("editMessageText", self._edit_message_text),
            ("editMessageCaption", self._edit_message_caption),
            ("editMessageReplyMarkup", self._edit_message_reply_markup),
            ("deleteMessage", self._delete_message),
            ("answerCallbackQuery", self._answer_callback_query),
            ("setChatMenuButton", self._set_chat_menu_button),
        ]:
            self._methods[name.lower()] = (name, handler)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._closing = False
        self._cond = asyncio.Condition()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._closing = True
        await self._notify()  # release long polls right away
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        await runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends the token and /method."""
        return f"http://127.0.0.1:{self.port}/bot"

    def base_url_for(self, instance: str) -> str:
        """A base_url whose calls are recorded with ``Call.instance == instance``, to tell
        several bot processes apart."""
        return f"http://127.0.0.1:{self.port}/{instance}/bot"

    @property
    def webhook(self) -> tuple[str, str]:
        """The (url, secret_token) of the last setWebhook; empty strings when none is set."""
        return self._webhook_url, self._webhook_secret

    def push_updates_to(self, backends: list[str]) -> None:
        """Deliver updates by webhook, as Telegram does once setWebhook was called: each
        update is POSTed with the secret header to the next backend in turn (a load balancer
        in front of several instances), one at a time, and retried until it is answered 200.
        """
        self._pusher = asyncio.create_task(self._push(list(backends)))

    async def _push(self, backends: list[str]) -> None:
        turn = itertools.cycle(backends)
        assert self._cond is not None
        async with ClientSession() as client:
            while True:
                async with self._cond:
                    await self._cond.wait_for(lambda: bool(self._webhook_url and self._updates))
                    update = copy.deepcopy(self._updates[0])
                update_id = int(update["update_id"])
                backend = next(turn)
                headers = {"X-Telegram-Bot-Api-Secret-Token": self._webhook_secret}
                try:
                    async with client.post(backend, json=update, headers=headers) as response:
                        status = response.status
                except OSError:
                    status = 0
                self.webhook_posts.append((backend, update_id, status))
                if status == 200:
                    self._updates = [u for u in self._updates if u["update_id"] != update_id]
                    await self._notify()
                else:
                    await asyncio.sleep(0.05)  # e.g. a backend still starting: try the next

    @property
    def bot_user(self) -> JSONDict:
        return dict(BOT_USER)

    # ------------------------------------------------------------------ users & updates

    def user(
        self,
        user_id: int,
        first_name: str = "Ana",
        *,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """The user with this id (created on first use); its private chat id is user_id."""
        chat = self._chats.get(user_id)
        if chat is None:
            fake = FakeUser(self, user_id, first_name, username, language_code)
            chat = self._chats[user_id] = _Chat(id=user_id, user=fake)
        return chat.user

    async def queue_update(self, update: JSONDict) -> int:
        """Queue a raw update (``update_id`` is assigned if missing); returns its id."""
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        await self._notify()
        return int(update["update_id"])

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    def unanswered_callbacks(self) -> list[str]:
        return [q.id for q in self._callbacks.values() if not q.answered]

    def callback_query(self, query_id: str) -> CallbackQueryRecord:
        return self._callbacks[query_id]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """Commands stored by setMyCommands for this scope (default scope if None)."""
        return list(self._commands.get(_commands_key(scope, language_code), []))

    def calls_to(self, method: str) -> list[JSONDict]:
        """Params of every call of ``method`` (case-insensitive), in order."""
        key = method.lower()
        return [c.params for c in self.calls if c.method.lower() == key]

    def messages_in(self, chat_id: int) -> list[BotMessage]:
        chat = self._chats.get(chat_id)
        return list(chat.messages) if chat else []

    # ------------------------------------------------------------------ fault injection

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` (only those for ``chat_id``, if given)
        answer this error and have no effect.  A 429 always carries
        ``parameters.retry_after`` (default 1: PTB ignores 0)."""
        if status == 429 and not retry_after:
            retry_after = 1
        self._faults.append(
            _Fault(
                "error",
                method.lower(),
                times,
                status=status,
                description=description,
                retry_after=retry_after,
                chat_id=chat_id,
            )
        )

    def drop_connection(self, method: str, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` have no effect and the connection is
        closed without an answer (PTB raises NetworkError)."""
        self._faults.append(_Fault("drop", method.lower(), times))

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` take effect at once but are answered only
        after ``seconds``: a client that times out meanwhile (PTB TimedOut) has still
        e.g. sent its message, as can happen with the real Telegram."""
        self._faults.append(_Fault("delay", method.lower(), times, seconds=seconds))

    def outage(self, method: str, seconds: float) -> None:
        """For the next ``seconds`` of real time, every call of ``method`` answers
        502 Bad Gateway and has no effect (updates queued meanwhile wait for the end)."""
        self._outages[method.lower()] = time.monotonic() + seconds

    def clear_faults(self) -> None:
        self._faults.clear()
        self._outages.clear()

    def limit_rate(
        self, overall_per_s: float | None = 30, per_chat_per_s: float | None = 1
    ) -> None:
        """Make sendMessage/sendPhoto/sendDocument answer 429 with retry_after once more
        than ``overall_per_s`` (all chats) or ``per_chat_per_s`` (one chat) messages were
        sent in a sliding window of one second (of 1/rate seconds for rates below 1).
        None disables that limit.  Off by default; see :meth:`unlimit_rate`."""
        self._rate = (overall_per_s, per_chat_per_s)

    def unlimit_rate(self) -> None:
        self._rate = None

    # ------------------------------------------------------------------ waiting

    async def _notify(self) -> None:
        if self._cond is None:
            return
        async with self._cond:
            self._cond.notify_all()

    async def wait_until(
        self,
        check: Callable[[], _T | None],
        *,
        timeout: float,  # noqa: ASYNC109 - part of the harness API
        describe: Callable[[], str],
    ) -> _T:
        """Wait until ``check()`` returns something other than None (re-checked on every
        change of the server's state); AssertionError(describe()) after ``timeout``."""
        if self._cond is None:
            raise RuntimeError("FakeTelegram is not started")
        found: list[_T] = []

        def ready() -> bool:
            value = check()
            if value is None:
                return False
            found.append(value)
            return True

        async with self._cond:
            try:
                async with asyncio.timeout(timeout):
                    await self._cond.wait_for(ready)
            except TimeoutError:
                raise AssertionError(describe()) from None
        return found[-1]

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        match = re.fullmatch(r"(?:/([A-Za-z0-9_-]+))?/bot([^/]*)/([A-Za-z0-9_]+)/?", request.path)
        if match is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        instance, token, method = match[1] or "", match[2], match[3]
        if token != self.token:
            return _json_response(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        key = method.lower()
        name, handler = self._methods.get(key, (method, None))
        params = await _read_params(request)
        call = Call(name, params, time.monotonic(), instance=instance)
        self.calls.append(call)

        chat_id = _as_int(params.get("chat_id"))
        if call.time < self._outages.get(key, 0.0):
            call.status = 502
            return _json_response(
                502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            )
        error_fault = self._take_fault(key, chat_id, ("error", "drop"))
        delay_fault = self._take_fault(key, chat_id, ("delay",))

        status = 200
        body: JSONDict = {"ok": True, "result": True}
        try:
            if error_fault is not None and error_fault.kind == "error":
                raise _ApiError(
                    error_fault.status, error_fault.description, error_fault.retry_after
                )
            if error_fault is None:
                if handler is None:
                    self.unknown_calls.append(call)
                    raise _ApiError(404, "Not Found: method not found")
                if key in _SEND_METHODS:
                    self._check_rate(chat_id)
                result = handler(params)
                if asyncio.iscoroutine(result):
                    result = await result
                body = {"ok": True, "result": result}
        except _ApiError as err:
            status = err.status
            body = err.payload()
            self._log_error(chat_id, name, err)

        if delay_fault is not None:
            await asyncio.sleep(delay_fault.seconds)
        if error_fault is not None and error_fault.kind == "drop":
            call.status = 0
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        call.status = status
        await self._notify()  # waiters may be watching the calls, e.g. for setWebhook
        return _json_response(status, body)

    def _take_fault(self, key: str, chat_id: int | None, kinds: tuple[str, ...]) -> _Fault | None:
        for fault in self._faults:
            if fault.kind not in kinds or fault.method != key:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _log_error(self, chat_id: int | None, method: str, err: _ApiError) -> None:
        chat = self._chats.get(chat_id) if chat_id is not None else None
        if chat is not None:
            chat.events.append(f"bot {method} -> {err.status} {err.description}")

    def _check_rate(self, chat_id: int | None) -> None:
        if self._rate is None:
            return
        now = time.monotonic()
        overall, per_chat = self._rate
        limits: list[tuple[float, deque[float]]] = []
        if overall:
            limits.append((overall, self._sent_all))
        if per_chat and chat_id is not None:
            limits.append((per_chat, self._sent_chat.setdefault(chat_id, deque())))
        wait = 0.0
        for rate, sent in limits:
            window, capacity = (1.0, math.floor(rate)) if rate >= 1 else (1.0 / rate, 1)
            while sent and sent[0] <= now - window:
                sent.popleft()
            if len(sent) >= capacity:
                wait = max(wait, sent[-capacity] + window - now)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise _ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        self._sent_all.append(now)
        if chat_id is not None:
            self._sent_chat.setdefault(chat_id, deque()).append(now)

    # ------------------------------------------------------------------ helpers

    def _chat(self, params: JSONDict) -> _Chat:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _as_int(raw)
        chat = self._chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise _ApiError(400, "Bad Request: chat not found")
        if chat.user.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _find_message(self, params: JSONDict, what: str) -> tuple[_Chat, BotMessage]:
        if params.get("inline_message_id"):
            raise _ApiError(400, f"Bad Request: message to {what} not found")
        chat = self._chat(params)
        message_id = _as_int(params.get("message_id"))
        if message_id is None:
            raise _ApiError(400, "Bad Request: message identifier is not specified")
        msg = chat.by_id.get(message_id)
        if msg is None or msg.deleted:
            raise _ApiError(400, f"Bad Request: message to {what} not found")
        return chat, msg

    def chat_dict(self, chat_id: int) -> JSONDict:
        user = self._chats[chat_id].user
        chat: JSONDict = {"id": chat_id, "type": "private", "first_name": user.first_name}
        if user.username:
            chat["username"] = user.username
        return chat

    def message_dict(self, msg: BotMessage) -> JSONDict:
        """``msg`` as the Bot API Message object Telegram would return for it."""
        out: JSONDict = {
            "message_id": msg.message_id,
            "from": dict(BOT_USER),
            "chat": self.chat_dict(msg.chat_id),
            "date": msg.date,
        }
        if msg.edit_date is not None:
            out["edit_date"] = msg.edit_date
        plain = msg.plain_text
        if msg.method == "sendPhoto":
            size = len(msg.file_bytes or b"")
            out["photo"] = [
                {
                    "file_id": msg.file_id,
                    "file_unique_id": f"u{msg.file_id}",
                    "width": 320,
                    "height": 320,
                    "file_size": size,
                }
            ]
        elif msg.method in ("sendDocument", "sendAnimation"):
            document: JSONDict = {
                "file_id": msg.file_id,
                "file_unique_id": f"u{msg.file_id}",
                "file_size": len(msg.file_bytes or b""),
            }
            if msg.filename:
                document["file_name"] = msg.filename
            if msg.mime_type:
                document["mime_type"] = msg.mime_type
            out["document"] = document
            if msg.method == "sendAnimation":  # Telegram returns both for an animation
                out["animation"] = {
                    **document,
                    "width": 480,
                    "height": 360,
                    "duration": 4,
                }
        if msg.is_media:
            if plain:
                out["caption"] = plain
        else:
            out["text"] = plain
        # Telegram echoes only inline keyboards in the returned Message.
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = copy.deepcopy(msg.reply_markup)
        return out

    async def _store(self, chat: _Chat, msg: BotMessage) -> JSONDict:
        chat.messages.append(msg)
        chat.by_id[msg.message_id] = msg
        chat.events.append(f"bot {msg.method} {msg.describe()}")
        await self._notify()
        return self.message_dict(msg)

    def _new_file_id(self, upload: UploadedFile) -> str:
        file_id = f"FAKEFILE{next(self._file_ids):06d}"
        self._files[file_id] = upload
        return file_id

    # ------------------------------------------------------------------ methods

    def _get_me(self, params: JSONDict) -> JSONDict:
        return dict(BOT_USER)

    def _pending(self) -> list[JSONDict]:
        if not self._allowed_updates:
            return self._updates
        allowed = set(self._allowed_updates)
        return [u for u in self._updates if allowed.intersection(u) - {"update_id"}]

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook_url:
            raise _ApiError(409, CONFLICT_WEBHOOK)
        offset = _as_int(params.get("offset")) or 0
        limit = min(100, max(1, _as_int(params.get("limit")) or 100))
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed]
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

        self._poll_generation += 1
        generation = self._poll_generation
        assert self._cond is not None
        async with self._cond:
            self._cond.notify_all()  # an older pending poll now answers 409

            def ready() -> bool:
                return self._closing or generation != self._poll_generation or bool(self._pending())

            if timeout > 0 and not ready():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await self._cond.wait_for(ready)
        if generation != self._poll_generation:
            raise _ApiError(409, CONFLICT_OTHER_POLL)
        batch = [copy.deepcopy(u) for u in self._pending()[:limit]]
        for update in batch:
            uid = int(update["update_id"])
            self.delivery_counts[uid] = self.delivery_counts.get(uid, 0) + 1
        return batch

    def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = self._webhook_secret = ""
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = str(params.get("url") or "")
        self._webhook_secret = str(params.get("secret_token") or "")
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, "Bad Request: commands must be an array")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.fullmatch(str(cmd.get("command"))):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description") or "")) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        self._commands[key] = [dict(c) for c in commands]
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        return [dict(c) for c in self._commands.get(key, [])]

    def _set_my_description(self, params: JSONDict) -> bool:
        text = str(params.get("description") or "")
        if len(text) > 512:
            raise _ApiError(400, "Bad Request: BOT_DESCRIPTION_INVALID")
        self.descriptions[str(params.get("language_code") or "")] = text
        return True

    def _set_my_short_description(self, params: JSONDict) -> bool:
        text = str(params.get("short_description") or "")
        if len(text) > 120:
            raise _ApiError(400, "Bad Request: BOT_SHORT_DESCRIPTION_INVALID")
        self.short_descriptions[str(params.get("language_code") or "")] = text
        return True

    def _delete_my_commands(self, params: JSONDict) -> bool:
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _check_text(self, value: Any, parse_mode: Any, *, caption: bool = False) -> str:
        text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
        plain, error = _parse_text(text, parse_mode)
        if error:
            raise _ApiError(400, f"Bad Request: can't parse entities: {error}")
        if not caption and not plain.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if caption and _utf16_len(plain) > _MAX_CAPTION:
            raise _ApiError(400, "Bad Request: message caption is too long")
        if not caption and _utf16_len(plain) > _MAX_TEXT:
            raise _ApiError(400, "Bad Request: message is too long")
        return text

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat = self._chat(params)
        text = self._check_text(params.get("text"), params.get("parse_mode"))
        markup = _check_markup(params.get("reply_markup"))
        msg = BotMessage(
            message_id=_next_id(chat),
            chat_id=chat.id,
            text=text,
            method="sendMessage",
            reply_markup=markup,
            parse_mode=_opt_str(params.get("parse_mode")),
            date=int(time.time()),
        )
        return await self._store(chat, msg)

    async def _send_file(self, params: JSONDict, method: str, field_name: str) -> JSONDict:
        chat = self._chat(params)
        caption = self._check_text(params.get("caption"), params.get("parse_mode"), caption=True)
        markup = _check_markup(params.get("reply_markup"))
        value = params.get(field_name)
        if isinstance(value, UploadedFile):
            upload = value
            file_id = self._new_file_id(upload)
        elif isinstance(value, str) and value in self._files:
            file_id, upload = value, self._files[value]
        elif isinstance(value, str) and value:
            # A URL or a file_id we never issued: accepted, no bytes known.
            upload = UploadedFile(filename=None, content_type="", data=b"")
            file_id = self._new_file_id(upload)
        else:
            raise _ApiError(400, f"Bad Request: there is no {field_name} in the request")
        msg = BotMessage(
            message_id=_next_id(chat),
            chat_id=chat.id,
            text=caption,
            method=method,
            reply_markup=markup,
            parse_mode=_opt_str(params.get("parse_mode")),
            date=int(time.time()),
            file_bytes=upload.data,
            filename=upload.filename,
            mime_type=upload.content_type or None,
            file_id=file_id,
        )
        return await self._store(chat, msg)

    async def _send_photo(self, params: JSONDict) -> JSONDict:
        return await self._send_file(params, "sendPhoto", "photo")

    async def _send_document(self, params: JSONDict) -> JSONDict:
        return await self._send_file(params, "sendDocument", "document")

    async def _send_animation(self, params: JSONDict) -> JSONDict:
        return await self._send_file(params, "sendAnimation", "animation")

    def uploads(self, method: str) -> list[UploadedFile]:
        """The files uploaded (not re-sent by file_id) with ``method``, oldest first."""
        return [
            value
            for call in self.calls
            if call.method == method and call.status == 200
            for value in call.params.values()
            if isinstance(value, UploadedFile)
        ]

    def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat(params)
        return True

    async def _apply_edit(
        self, chat: _Chat, msg: BotMessage, text: str, parse_mode: str | None, markup: Any
    ) -> JSONDict:
        if text == msg.text and parse_mode == msg.parse_mode and markup == msg.reply_markup:
            raise _ApiError(400, NOT_MODIFIED)
        if text != msg.text:
            msg.history.append(msg.text)
        msg.text = text
        msg.parse_mode = parse_mode
        msg.reply_markup = markup
        msg.edits += 1
        msg.edit_date = int(time.time())
        chat.events.append(f"bot edited {msg.describe()}")
        await self._notify()
        return self.message_dict(msg)

    async def _edit_message_text(self, params: JSONDict) -> JSONDict:
        chat, msg = self._find_message(params, "edit")
        if msg.is_media:
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        text = self._check_text(params.get("text"), params.get("parse_mode"))
        markup = _check_markup(params.get("reply_markup"))
        return await self._apply_edit(chat, msg, text, _opt_str(params.get("parse_mode")), markup)

    async def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        chat, msg = self._find_message(params, "edit")
        if not msg.is_media:
            raise _ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._check_text(params.get("caption"), params.get("parse_mode"), caption=True)
        markup = _check_markup(params.get("reply_markup"))
        return await self._apply_edit(
            chat, msg, caption, _opt_str(params.get("parse_mode")), markup
        )

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        chat, msg = self._find_message(params, "edit")
        markup = _check_markup(params.get("reply_markup"))
        return await self._apply_edit(chat, msg, msg.text, msg.parse_mode, markup)

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        button = params.get("menu_button")
        if isinstance(button, str):
            button = json.loads(button)
        key = _as_int(params.get("chat_id"))
        self.menu_buttons[key] = button if isinstance(button, dict) else {"type": "default"}
        return True

    async def _delete_message(self, params: JSONDict) -> bool:
        chat, msg = self._find_message(params, "delete")
        msg.deleted = True
        chat.events.append(f"bot deleted #{msg.message_id}")
        await self._notify()
        return True

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id") or ""))
        if query is None or query.answered:
            raise _ApiError(400, QUERY_INVALID)
        query.answered = True
        query.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        chat = self._chats.get(query.chat_id)
        if chat is not None:
            chat.events.append(f"bot answered callback {query.id} {query.answer}")
        await self._notify()
        return True


# --------------------------------------------------------------------------- user side


class FakeUser:
    """A Telegram user talking to the bot in a private chat (chat id == user id)."""

    def __init__(
        self,
        server: FakeTelegram,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self.server = server
        self.id = user_id
        self.first_name = first_name
        self.username = username
        self.language_code = language_code
        self.blocked = False

    @property
    def chat_id(self) -> int:
        return self.id

    @property
    def _chat(self) -> _Chat:
        return self.server._chats[self.id]

    def as_dict(self) -> JSONDict:
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    # ---------------------------------------------------------------- what the bot sent

    @property
    def messages(self) -> list[BotMessage]:
        """Messages the bot sent to this chat, in order (deleted ones flagged)."""
        return list(self._chat.messages)

    @property
    def last_message(self) -> BotMessage:
        if not self._chat.messages:
            raise AssertionError(f"the bot has sent nothing to chat {self.id}")
        return self._chat.messages[-1]

    @property
    def last_text(self) -> str:
        return self.last_message.text

    def texts(self, *, include_deleted: bool = True) -> list[str]:
        return [m.text for m in self._chat.messages if include_deleted or not m.deleted]

    def transcript(self) -> str:
        """Everything that happened in this chat, for assertion messages."""
        lines = [f"chat {self.id} ({self.first_name}):"]
        lines += [f"  {event}" for event in self._chat.events] or ["  (nothing happened)"]
        lines.append("  current bot messages:")
        lines += [f"    {m.describe()}" for m in self._chat.messages] or ["    (none)"]
        return "\n".join(lines)

    # ---------------------------------------------------------------- acting

    async def send(self, text: str) -> int:
        """Send a text message to the bot; returns its message_id."""
        chat = self._chat
        message: JSONDict = {
            "message_id": _next_id(chat),
            "from": self.as_dict(),
            "chat": self.server.chat_dict(self.id),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        chat.events.append(f"user {message['message_id']}: {text!r}")
        await self.server.queue_update({"message": message})
        return int(message["message_id"])

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Share a location with the bot (what a request_location button sends)."""
        chat = self._chat
        message: JSONDict = {
            "message_id": _next_id(chat),
            "from": self.as_dict(),
            "chat": self.server.chat_dict(self.id),
            "date": int(time.time()),
            "location": {"latitude": latitude, "longitude": longitude},
        }
        chat.events.append(f"user {message['message_id']}: location {latitude}, {longitude}")
        await self.server.queue_update({"message": message})
        return int(message["message_id"])

    @property
    def reply_keyboard(self) -> list[list[JSONDict]] | None:
        """The reply keyboard the chat shows now (buttons as Telegram got them), or None: the
        newest message that set one or took it away decides."""
        for msg in reversed(self._chat.messages):
            markup = msg.reply_markup or {}
            if markup.get("remove_keyboard"):
                return None
            if "keyboard" in markup:
                return [list(row) for row in markup["keyboard"]]
        return None

    def _keyboard_message(self, message: BotMessage | None) -> BotMessage:
        if message is not None:
            return message
        for candidate in reversed(self._chat.messages):
            if not candidate.deleted and candidate.buttons():
                return candidate
        raise AssertionError(
            f"no bot message with an inline keyboard in chat {self.id}\n{self.transcript()}"
        )

    async def tap(self, label: str, message: BotMessage | None = None) -> str:
        """Tap the inline button whose text contains ``label`` (an exact match wins) on
        ``message`` or the newest bot message with a keyboard; returns the query id."""
        msg = self._keyboard_message(message)
        buttons = msg.buttons()
        matches = [b for b in buttons if label in b[0]]
        exact = [b for b in matches if b[0] == label]
        if exact:
            matches = exact
        if not matches:
            raise AssertionError(
                f"no button containing {label!r} on message #{msg.message_id}; "
                f"buttons: {[b[0] for b in buttons]}\n{self.transcript()}"
            )
        if len(matches) > 1:
            raise AssertionError(
                f"{label!r} is ambiguous on message #{msg.message_id}: {[b[0] for b in matches]}"
            )
        text = matches[0][0]
        raw = next(
            b
            for row in (msg.reply_markup or {}).get("inline_keyboard", [])
            for b in row
            if b.get("text") == text
        )
        if "callback_data" not in raw:
            raise AssertionError(f"button {text!r} is not a callback button: {raw}")
        return await self._callback(msg, str(raw["callback_data"]), f"tapped [{text}]")

    async def tap_data(self, data: str, message: BotMessage | None = None) -> str:
        """Send a callback query with arbitrary (possibly forged) ``data`` from ``message``
        or the newest bot message with a keyboard (else the newest bot message)."""
        if message is None:
            live = [m for m in self._chat.messages if not m.deleted]
            keyboards = [m for m in live if m.buttons()]
            if not (keyboards or live):
                raise AssertionError(f"the bot has sent nothing to chat {self.id}")
            message = (keyboards or live)[-1]
        return await self._callback(message, data, "sent callback data")

    async def _callback(self, msg: BotMessage, data: str, what: str) -> str:
        if msg.deleted:
            raise AssertionError(f"message #{msg.message_id} was deleted\n{self.transcript()}")
        server = self.server
        query_id = str(next(server._callback_ids))
        server._callbacks[query_id] = CallbackQueryRecord(query_id, self.id, msg.message_id, data)
        self._chat.events.append(f"user {what} data={data!r} on #{msg.message_id} -> {query_id}")
        await server.queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.as_dict(),
                    "message": server.message_dict(msg),
                    "chat_instance": str(-7_000_000 - self.id),
                    "data": data,
                }
            }
        )
        return query_id

    async def block(self) -> None:
        """Block the bot: sends to this chat answer 403; queues a my_chat_member update."""
        await self._set_blocked(True)

    async def unblock(self) -> None:
        await self._set_blocked(False)

    async def _set_blocked(self, blocked: bool) -> None:
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        self.blocked = blocked
        self._chat.events.append("user blocked the bot" if blocked else "user unblocked the bot")
        bot = dict(BOT_USER)
        await self.server.queue_update(
            {
                "my_chat_member": {
                    "chat": self.server.chat_dict(self.id),
                    "from": self.as_dict(),
                    "date": int(time.time()),
                    "old_chat_member": {"user": bot, "status": old, "until_date": 0},
                    "new_chat_member": {"user": bot, "status": new, "until_date": 0},
                }
            }
        )

    # ---------------------------------------------------------------- waiting

    def callback_answered(self, query_id: str) -> bool:
        query = self.server._callbacks.get(query_id)
        return bool(query and query.answered)

    async def wait_answered(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the harness API
    ) -> JSONDict:
        """Wait until the bot answers the callback query; returns the answer's params."""

        def check() -> JSONDict | None:
            query = self.server._callbacks.get(query_id)
            return query.answer if query and query.answered else None

        return await self.server.wait_until(
            check,
            timeout=timeout,
            describe=lambda: (
                f"callback {query_id} not answered in {timeout}s\n" + self.transcript()
            ),
        )

    def snapshot(self) -> dict[int, str]:
        """Each bot message's text now: `wait_for_text(..., since=snapshot)` then waits for
        a message that is new, or that says the text now and did not then (edited in place)."""
        return {id(m): m.text + "\0" + m.plain_text for m in self._chat.messages}

    async def wait_for(
        self,
        predicate: Callable[[BotMessage], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the harness API
        after: int = 0,
    ) -> BotMessage:
        """The first bot message (index >= after) in this chat matching ``predicate``,
        already there or arriving/edited within ``timeout``."""

        def check() -> BotMessage | None:
            for msg in self._chat.messages[after:]:
                if predicate(msg):
                    return msg
            return None

        return await self.server.wait_until(
            check,
            timeout=timeout,
            describe=lambda: f"no matching bot message in {timeout}s\n" + self.transcript(),
        )

    async def wait_for_text(
        self,
        substring: str,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the harness API
        after: int = 0,
        since: dict[int, str] | None = None,
    ) -> BotMessage:
        """Wait for a bot message (index >= after) whose text or plain_text contains
        ``substring``; with `since` (a `snapshot`), one that is new or did not contain it then."""

        def matches(msg: BotMessage) -> bool:
            if substring not in msg.text and substring not in msg.plain_text:
                return False
            return since is None or id(msg) not in since or substring not in since[id(msg)]

        try:
            return await self.wait_for(matches, timeout=timeout, after=after)
        except AssertionError as err:
            raise AssertionError(f"waiting for text {substring!r}: {err}") from None


# --------------------------------------------------------------------------- parsing


def _json_response(status: int, body: JSONDict) -> web.Response:
    return web.Response(
        status=status, body=json.dumps(body).encode(), content_type="application/json"
    )


def _decode_value(key: str, value: str) -> Any:
    if key in _STRING_PARAMS or not value:
        return value
    if value[0] in '{["-0123456789' or value in ("true", "false", "null"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def _read_params(request: web.Request) -> JSONDict:
    params: JSONDict = {k: _decode_value(k, v) for k, v in request.query.items()}
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            elif isinstance(value, (bytes, bytearray)):
                params[key] = _decode_value(key, bytes(value).decode("utf-8", "replace"))
            else:
                params[key] = _decode_value(key, value)
    return params


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
    return None


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _next_id(chat: _Chat) -> int:
    message_id = chat.next_message_id
    chat.next_message_id += 1
    return message_id


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _commands_key(scope: Any, language_code: str) -> str:
    if isinstance(scope, str):
        with contextlib.suppress(ValueError):
            scope = json.loads(scope)
    if not scope:
        scope = {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + language_code


def _check_markup(markup: Any) -> JSONDict | None:
    if markup is None or markup == "":
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise _ApiError(
                400, "Bad Request: can't parse reply keyboard markup JSON object"
            ) from None
    if not isinstance(markup, dict):
        raise _ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    keyboard = markup.get("keyboard")
    if keyboard is not None and (
        not isinstance(keyboard, list)
        or not all(isinstance(r, list) and r for r in keyboard)
        or not all(isinstance(b, dict) and b.get("text") for r in keyboard for b in r)
    ):
        raise _ApiError(400, "Bad Request: can't parse keyboard button")
    rows = markup.get("inline_keyboard")
    if rows is not None:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _ApiError(400, "Bad Request: can't parse inline keyboard button")
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _ApiError(400, "Bad Request: can't parse inline keyboard button")
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode())
                    if not 1 <= size <= 64:
                        raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                elif len(button) == 1:
                    raise _ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
    return markup


# --- parse_mode checks (approximations of Telegram's parsers) ---------------------

_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji", "tg-time",
    }
)  # fmt: skip
_HTML_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD_ENTITY_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
}


def _parse_text(text: str, parse_mode: Any) -> tuple[str, str | None]:
    """(plain text, parse error or None) for ``text`` under ``parse_mode``."""
    mode = str(parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    return text, None


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _parse_html(text: str) -> tuple[str, str | None]:
    stack: list[str] = []
    out: list[str] = []
    pos = 0
    while (start := text.find("<", pos)) != -1:
        out.append(text[pos:start])
        match = _HTML_TAG_RE.match(text, start)
        offset = _byte_offset(text, start)
        if match is None:
            junk = re.match(r"[^\s<>]*", text[start:])
            name = junk[0] if junk else "<"
            return text, f'Unsupported start tag "{name}" at byte offset {offset}'
        closing, name = match[1] == "/", match[2].lower()
        if closing:
            if not stack or stack[-1] != name:
                return text, f"Unexpected end tag at byte offset {offset}"
            stack.pop()
        else:
            if name not in _HTML_TAGS:
                return text, f'Unsupported start tag "{name}" at byte offset {offset}'
            stack.append(name)
        pos = match.end()
    out.append(text[pos:])
    if stack:
        return text, f'Can\'t find end tag corresponding to start tag "{stack[-1]}"'
    return html.unescape("".join(out)), None


def _parse_markdown_v2(text: str) -> tuple[str, str | None]:
    out: list[str] = []
    open_entities: dict[str, int] = {}
    code: str | None = None
    code_start = 0
    in_url = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if not in_url:
                out.append(text[i + 1])
            i += 2
            continue
        if code is not None:
            if text.startswith(code, i):
                i += len(code)
                code = None
                continue
            out.append(c)
            i += 1
            continue
        if in_url:
            in_url = c != ")"
            i += 1
            continue
        if text.startswith("```", i):
            code, code_start = "```", i
            i += 3
            language = re.match(r"[A-Za-z0-9_+-]*\n", text[i:])
            if language:
                i += len(language[0])
            continue
        if c == "`":
            code, code_start = "`", i
            i += 1
            continue
        if text.startswith("](", i):
            in_url = True
            i += 2
            continue
        if c == "[":
            i += 1
            continue
        marker = next((m for m in ("__", "||", "*", "_", "~") if text.startswith(m, i)), None)
        if marker is not None:
            if marker in open_entities:
                del open_entities[marker]
            else:
                open_entities[marker] = _byte_offset(text, i)
            i += len(marker)
            continue
        if c == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        if c in _MDV2_RESERVED:
            return text, f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
        out.append(c)
        i += 1
    if code is not None:
        kind = "Pre" if code == "```" else "Code"
        offset = _byte_offset(text, code_start)
        return text, f"Can't find end of {kind} entity at byte offset {offset}"
    if open_entities:
        marker, offset = min(open_entities.items(), key=lambda kv: kv[1])
        return text, f"Can't find end of {_MD_ENTITY_NAMES[marker]} entity at byte offset {offset}"
    return "".join(out), None


def _parse_markdown(text: str) -> tuple[str, str | None]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            i += 2
            continue
        closer = {"*": "*", "_": "_", "`": "`", "[": "]"}.get(c)
        if text.startswith("```", i):
            closer, c = "```", "```"
        if closer is None:
            out.append(c)
            i += 1
            continue
        end = text.find(closer, i + len(c))
        if end == -1:
            offset = _byte_offset(text, i)
            return text, f"Can't find end of the entity starting at byte offset {offset}"
        out.append(text[i + len(c) : end])
        i = end + len(closer)
        if closer == "]" and text.startswith("(", i):
            close_paren = text.find(")", i)
            i = close_paren + 1 if close_paren != -1 else n
    return "".join(out), None
