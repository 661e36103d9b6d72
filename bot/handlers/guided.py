"""Guided mode: the session one exercise per message, with Next / Back, a hold timer and
"This hurts". The step on screen and the timer's due instant live in the session row."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import BaseHandler

from bot import callbacks as cb
from bot import render
from bot.domain.variants import Choice, easier
from bot.handlers.common import HipContext, clear_buttons, ids, on_button, say
from bot.handlers.demos import send_step
from bot.handlers.sessions import mark_done
from bot.service import plan_of, today_of
from bot.storage import repo

Action = cb.GuidedAction


async def guided_button(update: Update, context: HipContext, data: cb.Guided) -> str | None:
    """Start, move through, time or ease a step of the guided session the button belongs to."""
    deps, (user_id, _) = context.deps, ids(update)
    content, m = deps.content, deps.content.messages
    now = deps.clock()
    show: int | None = None
    notice: str | None = None
    eased: str | None = None  # what "This hurts" says before the step is shown again
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = await repo.get_session(s, user_id, data.day)
        routine = None if session is None else content.routines.get(session.routine_id)
        if (
            user is None
            or session is None
            or routine is None
            or session.status == "skipped"
            or session.day < today_of(user, now) - timedelta(days=1)
        ):
            return m("button_expired")
        steps = await plan_of(s, user_id, routine)
        if data.action is Action.START:
            show = 0
        elif session.guided_step != data.step or data.step >= len(steps):
            return m("button_expired")  # an older step's button, or pressed twice
        elif data.action is Action.NEXT:
            show = data.step + 1 if data.step + 1 < len(steps) else None
        elif data.action is Action.BACK:
            if data.step == 0:
                return m("button_expired")
            show = data.step - 1
        elif data.action is Action.TIMER:
            exercise = content.exercises[steps[data.step].exercise_id]
            hold = exercise.level(steps[data.step].level).hold_seconds
            if hold is None:
                return m("button_expired")
            # The tick sends the message when it is due, so a restart does not lose it.
            session.timer_due_at = now + timedelta(seconds=hold)
            session.timer_exercise = exercise.id
            notice = m("guided_timer_started", seconds=hold)
        elif data.action is Action.HURTS:
            current = steps[data.step]
            before = content.exercises[current.exercise_id]
            variant = easier(Choice(current.exercise_id, current.level), content.ladders)
            if variant is None:
                eased = m("hurts_gentlest", exercise=render.escape(before.name))
                show = data.step
            else:
                # Remembered for the slot, so the next sessions use the easier form too.
                await repo.set_exercise_choice(s, user_id, current.slot, variant, now)
                steps = await plan_of(s, user_id, routine)
                show = min(data.step, len(steps) - 1)
                name = content.exercises[variant.exercise_id].name
                eased = m(
                    "hurts_swapped",
                    exercise=render.escape(before.name),
                    easier=render.escape(name),
                )
        if data.action is not Action.TIMER:
            session.guided_step = show
    if data.action is Action.TIMER:
        return notice
    if show is None:  # Finish on the last step
        return await mark_done(update, context, data.day)
    await clear_buttons(update)
    if eased is not None:
        await say(update, context, eased)
    text, markup = render.guided_step(content, routine, steps, show, data.day)
    await send_step(update, context, content.exercises[steps[show].exercise_id], text, markup)
    return None


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    on_button(cb.Guided, guided_button),
]
