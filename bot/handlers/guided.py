"""Guided mode: the session one exercise per message, with Next / Back, a hold timer and
"This hurts" (the rules are in bot/usecases/guided.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler

from bot import callbacks as cb
from bot import render
from bot.handlers.common import HipContext, clear_buttons, ids, on_button, say
from bot.handlers.demos import send_step
from bot.handlers.sessions import show_check_in
from bot.usecases import guided
from bot.usecases.guided import TimerStarted
from bot.usecases.sessions import CheckedIn


async def guided_button(update: Update, context: HipContext, data: cb.Guided) -> str | None:
    """Start, move through, time or ease a step of the guided session the button belongs to."""
    deps, (user_id, _) = context.deps, ids(update)
    content, m = context.content, context.content.messages
    outcome = await guided.press_guided(
        deps.db, user_id, data.day, data.step, data.action, deps.clock(), content
    )
    if isinstance(outcome, TimerStarted):
        return m("guided_timer_started", seconds=outcome.seconds)
    if isinstance(outcome, CheckedIn):  # Finish on the last step
        await show_check_in(update, context, outcome)
        return None
    await clear_buttons(update)
    if (eased := outcome.eased) is not None:
        exercise = render.escape(eased.exercise)
        if eased.easier is None:
            await say(update, context, m("hurts_gentlest", exercise=exercise))
        else:
            easier = render.escape(eased.easier)
            await say(update, context, m("hurts_swapped", exercise=exercise, easier=easier))
    text, markup = render.guided_step(
        content, outcome.routine, outcome.steps, outcome.show, data.day
    )
    shown = content.exercises[outcome.steps[outcome.show].exercise_id]
    await send_step(update, context, shown, text, markup)
    return None


async def next_hold(update: Update, context: HipContext, data: cb.TimerHold) -> str | None:
    """Start the timer for the next hold (side, direction) of the step on screen."""
    deps, (user_id, _) = context.deps, ids(update)
    started = await guided.start_hold(
        deps.db, user_id, data.day, data.step, data.hold, deps.clock(), context.content
    )
    await clear_buttons(update)
    return context.content.messages("guided_timer_started", seconds=started.seconds)


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    on_button(cb.Guided, guided_button),
    on_button(cb.TimerHold, next_hold),
]
