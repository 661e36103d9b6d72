"""Help, cancel, the settings menu buttons, and the fallbacks for anything unexpected."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks as cb
from bot import render
from bot.domain.zones import ClockMatch
from bot.handlers import language, onboarding, reports, schedule, sessions
from bot.handlers.common import HipContext, expired_button, ids, on_button, say
from bot.usecases import general
from bot.usecases.schedule import SetupStep


async def help_command(update: Update, context: HipContext) -> None:
    """List the commands."""
    await say(update, context, context.content.messages("help"))


async def cancel_command(update: Update, context: HipContext) -> None:
    """Stop waiting for typed input."""
    deps, (user_id, _) = context.deps, ids(update)
    waiting = await general.cancel(deps.db, user_id)
    text = context.content.messages("cancelled" if waiting else "nothing_to_cancel")
    await say(update, context, text, ReplyKeyboardRemove())  # the location request, if shown


async def menu_button(update: Update, context: HipContext, data: cb.Menu) -> str | None:
    """The settings overview's buttons do what the matching command does."""
    context.args = []
    match data.item:
        case cb.MenuItem.TIME:
            await schedule.time_command(update, context)
        case cb.MenuItem.ZONE:
            await schedule.timezone_command(update, context)
        case cb.MenuItem.ROUTINE:
            await onboarding.routine_command(update, context)
        case cb.MenuItem.QUIZ:
            await onboarding.quiz_command(update, context)
        case cb.MenuItem.PROGRESS:
            await sessions.progress_command(update, context)
        case cb.MenuItem.TODAY:
            await sessions.today_command(update, context)
        case cb.MenuItem.SUMMARY:
            await reports.summary_command(update, context)
        case cb.MenuItem.DAYS:
            await schedule.days_command(update, context)
        case cb.MenuItem.LANGUAGE:
            await language.language_command(update, context)
    return None


async def text_message(update: Update, context: HipContext) -> None:
    """Typed text: a time, a zone or a note when the bot asked for one; otherwise point to
    the buttons."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    assert update.effective_message is not None
    text = (update.effective_message.text or "").strip()
    outcome = await general.typed_text(
        deps.db, user_id, text, deps.clock(), deps.zones, context.content.places
    )
    match outcome:
        case SetupStep():
            await say(update, context, *render.setup_step(context.content, outcome))
        case general.NotATime():
            await schedule.bad_time(update, context, text)
        case ClockMatch():
            await say(update, context, *render.clock_zones(context.content, outcome, text[:10]))
        case general.NotAZone(suggestion=suggestion):
            await schedule.bad_zone(update, context, text, suggestion)
        case general.NoteTooLong():
            await say(update, context, m("note_too_long"))
        case general.NoteSaved(saved=saved):
            await say(update, context, m("note_saved" if saved else "button_expired"))
        case _:
            await say(update, context, m("unknown_text"))


async def unknown_command(update: Update, context: HipContext) -> None:
    """A command the bot does not have."""
    await say(update, context, context.content.messages("unknown_command"))


async def other_message(update: Update, context: HipContext) -> None:
    """Stickers, photos, voice notes: point to the buttons."""
    await say(update, context, context.content.messages("unknown_text"))


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("help", help_command),
    CommandHandler("cancel", cancel_command),
    on_button(cb.Menu, menu_button),
]

# Registered after every other module: they catch what nothing else did.
FALLBACKS: list[BaseHandler[Update, HipContext, None]] = [
    MessageHandler(filters.COMMAND, unknown_command),
    MessageHandler(filters.TEXT, text_message),
    MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, other_message),
    CallbackQueryHandler(expired_button),
]
