"""Privacy: /privacy shows the notice again; /deletedata removes every row of the user, after a
confirmation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.handlers.common import HipContext, clear_buttons, ids, on_button, say
from bot.usecases.general import delete_data
from bot.usecases.triage import privacy_pending


async def privacy_command(update: Update, context: HipContext) -> None:
    """Show the privacy notice again; with "I agree" while the user has not agreed yet."""
    deps, (user_id, _) = context.deps, ids(update)
    ask = await privacy_pending(deps.db, user_id)
    text, markup = render.privacy_notice(context.content, deps.settings.retention_days, ask=ask)
    await say(update, context, text, markup)


async def delete_command(update: Update, context: HipContext) -> None:
    """Ask before deleting everything stored about the user."""
    await say(update, context, *render.delete_confirm(context.content))


async def delete_button(update: Update, context: HipContext, data: cb.DeleteData) -> str | None:
    """Delete every row of the presser (never anyone else's), or keep everything."""
    deps, (user_id, _) = context.deps, ids(update)
    await clear_buttons(update)
    if data.confirm:
        await delete_data(deps.db, user_id)
    await say(
        update, context, context.content.messages("deleted" if data.confirm else "delete_kept")
    )
    return None


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("privacy", privacy_command),
    CommandHandler("deletedata", delete_command),
    on_button(cb.DeleteData, delete_button),
]
