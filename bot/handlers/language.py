"""The user's language: found for every update before the handlers run, and /language (also
behind a Settings button) to switch it at once."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, TypeHandler

from bot import callbacks as cb
from bot import render
from bot.handlers.common import HipContext, edit, find_language, guarded, ids, on_button, say
from bot.usecases import language
from bot.usecases.common import Expired

# The group of the handler that finds the language: before every other handler (group 0).
RESOLVE_GROUP = -1


# Buttons whose use case reads the user's row anyway and hands the stored language back with
# its outcome, so the press is one transaction, not a read and then the use case's: the quiz's
# answers, the most frequent press there is (docs/BENCHMARKS.md). Their handler settles the
# language; should the use case refuse, `on_button` reads it as for any other update.
OWN_LANGUAGE: tuple[type[cb.Callback], ...] = (cb.QuizAnswer,)


async def resolve_language(update: Update, context: HipContext) -> None:
    """Find the language this update is answered in: the stored one, else Telegram's."""
    if (query := update.callback_query) is not None and _parses_to(query.data, OWN_LANGUAGE):
        return
    await find_language(update, context)


def _parses_to(data: str | None, kinds: tuple[type[cb.Callback], ...]) -> bool:
    try:
        return data is not None and isinstance(cb.parse(data), kinds)
    except cb.InvalidCallback:
        return False


@guarded
async def language_command(update: Update, context: HipContext) -> None:
    """Offer the languages as buttons."""
    await say(update, context, *render.language_choices(context.content))


async def language_button(
    update: Update, context: HipContext, data: cb.ChooseLanguage
) -> str | None:
    """Switch to the chosen language and confirm in it."""
    if data.code not in context.deps.content.catalog.codes:
        raise Expired
    user_id, _ = ids(update)
    await language.set_language(context.deps.db, user_id, data.code)
    context.settle_language(update, data.code)
    assert update.callback_query is not None
    await edit(update.callback_query, context.content.messages("language_set"))
    return None


RESOLVER = TypeHandler(Update, resolve_language)

HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("language", language_command),
    on_button(cb.ChooseLanguage, language_button),
]
