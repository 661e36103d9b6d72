"""A lean fake Bot API for the benchmarks: raw asyncio HTTP, run in its own process.

It answers the calls the bot makes (getMe, getUpdates, setMyCommands, sendMessage, edits,
answerCallbackQuery), can enforce Telegram's limits (N messages per second overall and per
chat, 429 with retry_after beyond), records when every message was accepted, and can play
many users doing the quiz. Control calls go to /_ctl/<name> on the same port. It is kept
small and cheap so that the bot, not the server, is what a benchmark measures; the richer
fake used by the tests is tests/fake_telegram.py.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from bench import fake_load

JSONDict = dict[str, Any]
BOT_USER: JSONDict = {"id": 999000, "is_bot": True, "first_name": "Hip Check", "username": "hc_bot"}
SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
STRING_PARAMS = frozenset({"text", "parse_mode", "callback_query_id", "caption"})


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


@dataclass
class Chat:
    id: int
    next_message_id: int = 1
    accepted: list[float] = field(default_factory=list)  # wall times of accepted sends
    keyboard: tuple[int, JSONDict] | None = None  # newest message with buttons
    sent: deque[float] = field(default_factory=deque)  # for the per-chat limit


@dataclass
class QuizUser:
    """A simulated user doing the quiz; `done` is set when the bot finished the last update."""

    chat_id: int
    rng: random.Random
    done: asyncio.Event = field(default_factory=asyncio.Event)


class FakeApi:
    def __init__(self) -> None:
        self.chats: dict[int, Chat] = {}
        self.rate: tuple[float, float] | None = None
        self.sent_all: deque[float] = deque()
        self.rejected_429 = 0
        self.calls: dict[str, int] = {}
        self.first_get_updates: float | None = None  # time.monotonic(), comparable across processes
        self.updates: list[JSONDict] = []
        self.update_ids = 1
        self.updates_changed = asyncio.Event()
        self.handed_out: dict[int, float] = {}  # update id -> when a getUpdates answer carried it
        self.completed: dict[int, float] = {}  # update id -> when the bot's reply arrived
        self.waiting: dict[str, int] = {}  # "reply:<chat id>" -> the update awaiting a reply
        self.finished: dict[int, asyncio.Event] = {}
        self.quiz_tasks: list[asyncio.Task[None]] = []
        self.taps = fake_load.TapLoad()

    # ------------------------------------------------------------------ dispatch

    async def call(self, method: str, params: JSONDict) -> JSONDict:
        key = method.lower()
        self.calls[key] = self.calls.get(key, 0) + 1
        handler = getattr(self, f"m_{key}", None)
        if handler is None:
            return {"ok": True, "result": True}
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as e:
            body: JSONDict = {"ok": False, "error_code": e.status, "description": e.description}
            if e.retry_after is not None:
                body["parameters"] = {"retry_after": e.retry_after}
            return body
        return {"ok": True, "result": result}

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = self.chats[chat_id] = Chat(chat_id)
        return chat

    def check_rate(self, chat: Chat) -> None:
        if self.rate is None:
            return
        now = time.monotonic()
        wait = 0.0
        overall, per_chat = self.rate
        for rate, sent in ((overall, self.sent_all), (per_chat, chat.sent)):
            if not rate:
                continue
            window, capacity = (1.0, math.floor(rate)) if rate >= 1 else (1.0 / rate, 1)
            while sent and sent[0] <= now - window:
                sent.popleft()
            if len(sent) >= capacity:
                wait = max(wait, sent[-capacity] + window - now)
        if wait > 0:
            self.rejected_429 += 1
            retry = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        self.sent_all.append(now)
        chat.sent.append(now)

    def message(self, chat: Chat, text: str, markup: Any) -> JSONDict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            chat.keyboard = (message_id, markup)
        return {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": chat.id, "type": "private", "first_name": "User"},
            "date": int(time.time()),
            "text": text,
        }

    # ------------------------------------------------------------------ Bot API methods

    def m_getme(self, params: JSONDict) -> JSONDict:
        return BOT_USER

    async def m_getupdates(self, params: JSONDict) -> list[JSONDict]:
        if self.first_get_updates is None:
            self.first_get_updates = time.monotonic()
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self.updates and timeout > 0:
            self.updates_changed.clear()
            try:
                async with asyncio.timeout(timeout):
                    await self.updates_changed.wait()
            except TimeoutError:
                pass
        batch = self.updates[:100]
        now = time.monotonic()
        for update in batch:
            self.handed_out.setdefault(update["update_id"], now)
        return batch

    def m_sendmessage(self, params: JSONDict) -> JSONDict:
        chat = self.chat(int(params["chat_id"]))
        self.check_rate(chat)
        chat.accepted.append(time.time())
        message = self.message(chat, str(params.get("text", "")), params.get("reply_markup"))
        if chat.keyboard is not None and chat.keyboard[0] == message["message_id"]:
            self.complete(f"reply:{chat.id}")  # the reply with the buttons to press next
        return message

    def m_editmessagetext(self, params: JSONDict) -> JSONDict:
        chat = self.chat(int(params["chat_id"]))
        message_id = int(params["message_id"])
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            chat.keyboard = (message_id, markup)  # new buttons in place (the quiz's next question)
            self.complete(f"reply:{chat.id}")
        elif chat.keyboard is not None and chat.keyboard[0] == message_id:
            chat.keyboard = None
        return {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": {"id": chat.id, "type": "private", "first_name": "User"},
            "date": int(time.time()),
            "text": str(params.get("text", "")),
        }

    def m_editmessagereplymarkup(self, params: JSONDict) -> JSONDict:
        return self.m_editmessagetext(params)

    def m_answercallbackquery(self, params: JSONDict) -> bool:
        return True

    def complete(self, key: str) -> None:
        update_id = self.waiting.pop(key, None)
        if update_id is not None:
            self.completed[update_id] = time.monotonic()
            self.finished.pop(update_id).set()

    # ------------------------------------------------------------------ simulated users

    def queue(self, update: JSONDict, waits_for: str) -> asyncio.Event:
        update_id = self.update_ids
        self.update_ids += 1
        update["update_id"] = update_id
        self.waiting[waits_for] = update_id
        done = self.finished[update_id] = asyncio.Event()
        self.updates.append(update)
        self.updates_changed.set()
        return done

    def user_dict(self, chat_id: int) -> JSONDict:
        return {"id": chat_id, "is_bot": False, "first_name": f"U{chat_id}", "language_code": "en"}

    async def send_text(self, chat_id: int, text: str) -> None:
        chat = self.chat(chat_id)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: JSONDict = {
            "message_id": message_id,
            "from": self.user_dict(chat_id),
            "chat": {"id": chat_id, "type": "private", "first_name": f"U{chat_id}"},
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        await self.queue({"message": message}, f"reply:{chat_id}").wait()

    async def tap(self, chat_id: int, label: str | None, rng: random.Random) -> bool:
        """Tap the button labelled `label` (a random Yes/No when None); False if none."""
        chat = self.chat(chat_id)
        if chat.keyboard is None:
            return False
        message_id, markup = chat.keyboard
        buttons = [b for row in markup["inline_keyboard"] for b in row]
        labels = [label] if label else [rng.choice(["Yes", "No"])]
        found = next((b for b in buttons if b.get("text") in labels), None)
        if found is None:
            return False
        query_id = f"{chat_id}-{message_id}-{rng.random()}"
        update = {
            "callback_query": {
                "id": query_id,
                "from": self.user_dict(chat_id),
                "message": {
                    "message_id": message_id,
                    "from": BOT_USER,
                    "chat": {"id": chat_id, "type": "private", "first_name": f"U{chat_id}"},
                    "date": int(time.time()),
                    "text": "question",
                },
                "chat_instance": str(chat_id),
                "data": found["callback_data"],
            }
        }
        await self.queue(update, f"reply:{chat_id}").wait()
        return True

    async def do_quiz(self, chat_id: int, start_in: float, think: tuple[float, float]) -> None:
        """/start, the steps before the quiz, five answers: eleven updates, a human pause
        before each."""
        rng = random.Random(chat_id)
        await asyncio.sleep(start_in)
        await self.send_text(chat_id, "/start")
        for label in fake_load.BEFORE_QUIZ:
            await asyncio.sleep(rng.uniform(*think))
            if not await self.tap(chat_id, label, rng):
                return
        for _ in range(5):
            await asyncio.sleep(rng.uniform(*think))
            if not await self.tap(chat_id, None, rng):
                return

    # ------------------------------------------------------------------ control

    def ctl(self, name: str, params: JSONDict) -> Any:
        if name == "limit":
            overall, per_chat = params.get("overall"), params.get("per_chat")
            self.rate = (overall or 0, per_chat or 0) if overall or per_chat else None
            return True
        if name == "reset":
            self.chats.clear()
            self.sent_all.clear()
            self.rejected_429 = 0
            self.calls.clear()
            self.first_get_updates = None
            self.handed_out.clear()
            self.completed.clear()
            return True
        if name == "deliveries":
            return {
                "accepted": {str(c.id): c.accepted for c in self.chats.values() if c.accepted},
                "rejected_429": self.rejected_429,
                "calls": self.calls,
            }
        if name == "count":  # messages accepted, in chats below `below` if given
            below = params.get("below")
            return sum(len(c.accepted) for c in self.chats.values() if not below or c.id < below)
        if name == "first_get_updates":
            return self.first_get_updates
        if name == "quiz":
            users, spread = int(params["users"]), float(params["start_spread"])
            think = (float(params["think"][0]), float(params["think"][1]))
            base = int(params.get("first_id", 5_000_000))
            rng = random.Random(1)
            self.quiz_tasks = [
                asyncio.create_task(self.do_quiz(base + i, rng.uniform(0, spread), think))
                for i in range(users)
            ]
            return True
        if name == "quiz_result":
            pending = sum(not t.done() for t in self.quiz_tasks)
            times = [
                self.completed[u] - self.handed_out[u]
                for u in self.completed
                if u in self.handed_out
            ]
            return {"pending_users": pending, "handler_s": times, "unfinished": len(self.waiting)}
        if (result := fake_load.ctl(self, self.taps, name, params)) is not None:
            return result
        raise ApiError(404, f"unknown control call {name}")


# ---------------------------------------------------------------------- HTTP


class HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, one request at a time per connection: all PTB needs."""

    def __init__(self, api: FakeApi, token: str) -> None:
        self.api, self.prefix = api, f"/bot{token}/"
        self.buffer = b""
        self.busy = False
        self.transport: asyncio.Transport | None = None
        self.task: asyncio.Future[None] | None = None  # the request being answered

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.next_request()

    def next_request(self) -> None:
        if self.busy:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = self.buffer[:end].decode("latin-1").split("\r\n")
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(self.buffer) < end + 4 + length:
            return
        body = self.buffer[end + 4 : end + 4 + length]
        self.buffer = self.buffer[end + 4 + length :]
        path = head[0].split(" ")[1]
        self.busy = True
        self.task = asyncio.ensure_future(self.respond(path, headers.get("content-type", ""), body))

    async def respond(self, path: str, content_type: str, body: bytes) -> None:
        path, _, query = path.partition("?")
        params = decode(query.encode(), "application/x-www-form-urlencoded") if query else {}
        params.update(decode(body, content_type))
        status = 200
        if path.startswith("/_ctl/"):
            try:
                payload: JSONDict = {"ok": True, "result": self.api.ctl(path[6:], params)}
            except ApiError as e:
                status, payload = e.status, {"ok": False, "description": e.description}
        elif path.startswith(self.prefix):
            payload = await self.api.call(path[len(self.prefix) :].strip("/"), params)
            status = 200 if payload["ok"] else int(payload["error_code"])
        else:
            status, payload = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        data = json.dumps(payload).encode()
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(
            b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (status, len(data), data)
        )
        self.busy = False
        self.next_request()


def decode(body: bytes, content_type: str) -> JSONDict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        value = json.loads(body)
        return value if isinstance(value, dict) else {}
    params: JSONDict = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if key not in STRING_PARAMS and value[:1] in '{["-0123456789tfn':
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params


async def serve(token: str) -> None:
    api = FakeApi()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpProtocol(api, token), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)  # the port, for the parent
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
