"""What every handler module shares: the typed context, replies, button plumbing, and the one
guard that answers a refused use case (no user yet, or a stale button)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, ExtBot

from bot import callbacks as cb
from bot.content import Content
from bot.render.common import ReplyMarkup
from bot.usecases.common import Deps, Expired, NeedsSetup, Refused

log = logging.getLogger(__name__)


class HipContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context, with the application's dependencies typed, and the content in
    the language of the user the update comes from."""

    # The user's language, set for each update before any handler runs (handlers/language.py).
    language: str | None = None

    @property
    def deps(self) -> Deps:
        deps: Deps = self.bot_data["deps"]
        return deps

    @property
    def content(self) -> Content:
        """Every word for this update, in the user's language."""
        return self.deps.content.for_language(self.language)


HipApp = Application[Any, HipContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
C = TypeVar("C", bound=cb.Callback)
P = ParamSpec("P")
ButtonCallback = Callable[[Update, HipContext, Any], Awaitable[str | None]]


def ids(update: Update) -> tuple[int, int]:
    """The (user id, chat id) an update comes from."""
    assert update.effective_user is not None and update.effective_chat is not None
    return update.effective_user.id, update.effective_chat.id


async def say(
    update: Update, context: HipContext, text: str, markup: ReplyMarkup = None
) -> Message:
    _, chat_id = ids(update)
    return await context.bot.send_message(chat_id, text, reply_markup=markup)


async def edit(
    query: CallbackQuery, text: str | None = None, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message under a button; an unchanged message is not an error."""
    try:
        if text is None:
            await query.edit_message_reply_markup(reply_markup=markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
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
        await query.answer(text)
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
        except NeedsSetup:
            await say(update, context, context.content.messages("need_setup"))
        except Expired:
            await say(update, context, context.content.messages("button_expired"))

    return run


async def expired_button(update: Update, context: HipContext) -> None:
    """Refuse a button this bot cannot read (old, forged or from another version)."""
    query = update.callback_query
    assert query is not None
    await answer(query, context.content.messages("button_expired"))
