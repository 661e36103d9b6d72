"""Bot API calls whose answers the bot does not read, posted as JSON without PTB's objects.

python-telegram-bot's `send_message`, `edit_message_text` and `answer_callback_query` build
each call from keyword arguments and parse every answer into a `Message`: on a quiz press that
was a third of the CPU, for answers nobody looks at (docs/BENCHMARKS.md). Here a call's
parameters are the Bot API's own JSON, the bot's defaults added as `send_message` would add
them, posted through the rate limiter (so replies still go before reminders) and
`BaseRequest.post` (so Telegram's refusals are still PTB's RetryAfter, Forbidden,
BadRequest, ...). The answer comes back as the Bot API's JSON.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from telegram import Bot, TelegramObject
from telegram.ext import Defaults, ExtBot

from bot.render.common import ReplyMarkup
from bot.transport import AiohttpRequest, PreparedJson

JSONDict = dict[str, Any]


def defaults_of(bot: Bot) -> Defaults | None:
    return bot.defaults if isinstance(bot, ExtBot) else None


@functools.lru_cache(maxsize=8)
def text_defaults(defaults: Defaults | None) -> JSONDict:
    """What a text call (sendMessage, editMessageText) gets from the bot's defaults when the
    caller gives none: the parse mode and the link-preview options. Shared: copy, not change."""
    found: JSONDict = {}
    if defaults is not None:
        if defaults.parse_mode is not None:
            found["parse_mode"] = str(defaults.parse_mode)
        if defaults.link_preview_options is not None:
            found["link_preview_options"] = defaults.link_preview_options.to_dict()
    return found


def encode(parameters: JSONDict) -> bytes:
    """A call's JSON body, as compact as Telegram takes it."""
    return json.dumps(parameters, ensure_ascii=False, separators=(",", ":")).encode()


async def post(
    bot: Bot, endpoint: str, body: bytes, data: JSONDict, *, rate_limit_args: Any = None
) -> Any:
    """Post a ready JSON `body` to `endpoint`; `data` is what the rate limiter sees of it (the
    chat id is enough). Over another transport the library's own call is made from `body`."""
    request = bot.request
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    if not isinstance(request, AiohttpRequest):
        extra = {"rate_limit_args": rate_limit_args} if limiter is not None else {}
        return await bot.do_api_request(endpoint, api_kwargs=json.loads(body), **extra)
    url, prepared = f"{bot.base_url}/{endpoint}", PreparedJson(body)
    if limiter is None:
        return await request.post(url, prepared)
    return await limiter.process_request(
        callback=request.post,
        args=(url, prepared),
        kwargs={},
        endpoint=endpoint,
        data=data,
        rate_limit_args=rate_limit_args,
    )


async def call(
    bot: Bot, endpoint: str, parameters: JSONDict, *, rate_limit_args: Any = None
) -> Any:
    """One call with these parameters (the Bot API's JSON); its answer as JSON."""
    return await post(
        bot, endpoint, encode(parameters), parameters, rate_limit_args=rate_limit_args
    )


def _markup(markup: ReplyMarkup | TelegramObject | None) -> JSONDict:
    return {} if markup is None else {"reply_markup": markup.to_dict()}


async def send_text(bot: Bot, chat_id: int, text: str, markup: ReplyMarkup = None) -> int:
    """sendMessage as `bot.send_message(chat_id, text, reply_markup=markup)` makes it; the new
    message's id."""
    parameters = {"chat_id": chat_id, "text": text, **text_defaults(defaults_of(bot))}
    sent = await call(bot, "sendMessage", parameters | _markup(markup))
    return int(sent["message_id"])


async def edit_text(
    bot: Bot, where: JSONDict, text: str, markup: ReplyMarkup | TelegramObject | None = None
) -> None:
    """editMessageText of the message `where` names (chat_id and message_id, or
    inline_message_id), with the bot's defaults; no markup takes the keyboard away."""
    parameters = {**where, "text": text, **text_defaults(defaults_of(bot))}
    await call(bot, "editMessageText", parameters | _markup(markup))


async def edit_markup(bot: Bot, where: JSONDict, markup: TelegramObject | None) -> None:
    """editMessageReplyMarkup: the message's keyboard replaced, or taken away."""
    await call(bot, "editMessageReplyMarkup", where | _markup(markup))


async def answer_query(bot: Bot, query_id: str, text: str | None = None) -> None:
    """answerCallbackQuery, with a short notice when `text` is given."""
    parameters: JSONDict = {"callback_query_id": query_id}
    if text is not None:
        parameters["text"] = text
    await call(bot, "answerCallbackQuery", parameters)
