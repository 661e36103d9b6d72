"""What every handler module shares: the typed context, replies, button plumbing, and the one
guard that answers a refused use case (no user yet, or a stale button)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, ExtBot

from bot import botapi
from bot import callbacks as cb
from bot.content import Content
from bot.render.common import ReplyMarkup
from bot.usecases import language
from bot.usecases.common import Deps, NeedsSetup, Refused

log = logging.getLogger(__name__)


class HipContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context, with the application's dependencies typed, and the content in
    the language of the user the update comes from."""

    # The user's language for this update (None: English), once `language_found`: read before
    # the handlers run (handlers/language.py), or handed back by the handler's own use case.
    language: str | None = None
    language_found: bool = False

    @property
    def deps(self) -> Deps:
        deps: Deps = self.bot_data["deps"]
        return deps

    def settle_language(self, update: Update, stored: str | None) -> None:
        """Answer this update in the user's stored language, else in Telegram's for them."""
        user = update.effective_user
        told = user.language_code if user is not None else None
        self.language = stored or self.deps.content.supported(told)
        self.language_found = True

    @property
    def content(self) -> Content:
        """Every word for this update, in the user's language."""
        return self.deps.content.for_language(self.language)


HipApp = Application[Any, HipContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
C = TypeVar("C", bound=cb.Callback)
P = ParamSpec("P")
ButtonCallback = Callable[[Update, HipContext, Any], Awaitable[str | None]]


async def find_language(update: Update, context: HipContext) -> None:
    """Read the user's stored language, unless this update's language is already found."""
    if context.language_found or update.effective_user is None:
        return
    stored = await language.language_of(context.deps.db, update.effective_user.id)
    context.settle_language(update, stored)


def ids(update: Update) -> tuple[int, int]:
    """The (user id, chat id) an update comes from."""
    assert update.effective_user is not None and update.effective_chat is not None
    return update.effective_user.id, update.effective_chat.id


async def say(update: Update, context: HipContext, text: str, markup: ReplyMarkup = None) -> int:
    """Send `text` (and its buttons) to the chat the update comes from; the message's id."""
    _, chat_id = ids(update)
    return await botapi.send_text(context.bot, chat_id, text, markup)


def _where(query: CallbackQuery) -> dict[str, Any]:
    """The Bot API's name for the message under a button."""
    if query.message is None:
        return {"inline_message_id": query.inline_message_id}
    return {"chat_id": query.message.chat.id, "message_id": query.message.message_id}


async def edit(
    query: CallbackQuery, text: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message under a button; an unchanged message is not an error."""
    try:
        if text is None:
            await botapi.edit_markup(query.get_bot(), _where(query), markup)
        else:
            await botapi.edit_text(query.get_bot(), _where(query), text, markup)
    except BadRequest as e:
        # "no text": a forged button on a photo or document, which has no text to replace.
        reason = e.message.lower()
        if not any(quiet in reason for quiet in ("not modified", "not found", "no text")):
            raise


async def clear_buttons(update: Update) -> None:
    """Remove the keyboard from the message whose button was pressed."""
    if update.callback_query is not None:
        await edit(update.callback_query, markup=None)


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press so the client stops its spinner; a stale query is not an error."""
    try:
        await botapi.answer_query(query.get_bot(), query.id, text)
    except BadRequest as e:
        reason = e.message.lower()
        if "query is too old" not in reason and "query id is invalid" not in reason:
            raise
        log.info("callback query answered too late: %s", e.message)


def on_button(
    kinds: type[C] | tuple[type[cb.Callback], ...], callback: ButtonCallback
) -> CallbackQueryHandler[HipContext, None]:
    """A handler for buttons whose data parses to `kinds`; the press is always answered.

    `callback` receives the parsed data and returns an optional short notice for the answer.
    """

    def matches(data: object) -> bool:
        if not isinstance(data, str):
            return False
        try:
            return isinstance(cb.parse(data), kinds)
        except cb.InvalidCallback:
            return False

    async def handle(update: Update, context: HipContext) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        notice: str | None = None
        try:
            notice = await callback(update, context, cb.parse(query.data))
        except Refused:  # no user (any more), or the button belongs to something past
            await find_language(update, context)
            notice = context.content.messages("button_expired")
        finally:
            await answer(query, notice)

    return CallbackQueryHandler(handle, pattern=matches)


def guarded(
    handler: Callable[Concatenate[Update, HipContext, P], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[Update, HipContext, P], Coroutine[Any, Any, None]]:
    """Reply to a refused use case: "start first" without a user, "expired" for a stale one."""

    @functools.wraps(handler)
    async def run(
        update: Update, context: HipContext, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        try:
            await handler(update, context, *args, **kwargs)
        except Refused as refused:
            await find_language(update, context)
            key = "need_setup" if isinstance(refused, NeedsSetup) else "button_expired"
            await say(update, context, context.content.messages(key))

    return run


async def expired_button(update: Update, context: HipContext) -> None:
    """Refuse a button this bot cannot read (old, forged or from another version)."""
    query = update.callback_query
    assert query is not None
    await answer(query, context.content.messages("button_expired"))
