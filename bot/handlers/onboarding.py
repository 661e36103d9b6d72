"""Onboarding: /start, the red-flag screen, the five-sign quiz and choosing a routine."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.domain import quiz
from bot.domain.schedule import local_date
from bot.handlers.common import HipContext, clear_buttons, edit, ids, on_button, say
from bot.handlers.schedule import next_setup_step, send_settings
from bot.service import reschedule, zone_of
from bot.storage import repo


async def start(update: Update, context: HipContext) -> None:
    """Greet; run the safety screen for a new user, show the settings of a returning one."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    now = deps.clock()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            user = await repo.add_user(s, user_id, chat_id, now)
        elif not user.active:  # they blocked the bot once and are back: keep their settings
            user.active, user.chat_id = True, chat_id
            await reschedule(s, user, now)
        user.awaiting = None
        returning, screen = user.scheduled, user.screen
    first_name = update.effective_user.first_name if update.effective_user else ""
    await say(update, context, render.welcome(deps.content, first_name))
    if returning:
        await send_settings(update, context)
    elif screen == "pending":
        await say(update, context, *render.red_flag_screen(deps.content))
    elif screen == "flagged":
        await say(update, context, *render.red_flag_stop(deps.content))
    else:
        await begin_quiz(update, context, fresh=False)


async def quiz_command(update: Update, context: HipContext) -> None:
    """Start the five-sign quiz again from the first question."""
    await begin_quiz(update, context, fresh=True)


async def begin_quiz(update: Update, context: HipContext, *, fresh: bool) -> None:
    """Send the quiz's current question, starting a new attempt when asked or needed."""
    deps, (user_id, _) = context.deps, ids(update)
    content = deps.content
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            await say(update, context, content.messages("need_setup"))
            return
        if user.screen in ("pending", "flagged"):
            screen = user.screen
            attempt = None
        else:
            screen = None
            user.awaiting = None
            attempt = await repo.latest_attempt(s, user_id)
            if fresh or attempt is None or attempt.finished_at is not None:
                count = len(content.quiz.questions)
                attempt = await repo.add_attempt(
                    s, user_id, quiz.blank_answers(count), deps.clock()
                )
            attempt_id, index = attempt.id, quiz.next_question(attempt.answers) or 0
    if screen == "pending":
        await say(update, context, *render.red_flag_screen(content))
    elif screen == "flagged":
        await say(update, context, *render.red_flag_stop(content))
    else:
        if index == 0:
            await say(update, context, content.messages("quiz_intro"))
        await say(update, context, *render.question(content, attempt_id, index))


async def red_flag(update: Update, context: HipContext, data: cb.RedFlagAnswer) -> str | None:
    """Record the safety screen: a red flag routes to a clinician before any exercise."""
    deps, (user_id, _) = context.deps, ids(update)
    allowed = {"y": ("pending",), "n": ("pending",), "ok": ("flagged",)}[data.answer]
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or user.screen not in allowed:
            return deps.content.messages("button_expired")
        user.screen = {"y": "flagged", "n": "clear", "ok": "cleared"}[data.answer]
    await clear_buttons(update)
    if data.answer == "y":
        await say(update, context, *render.red_flag_stop(deps.content))
        return None
    if data.answer == "ok":
        await say(update, context, deps.content.messages("red_flag_cleared"))
    await begin_quiz(update, context, fresh=False)
    return None


async def quiz_answer(update: Update, context: HipContext, data: cb.QuizAnswer) -> str | None:
    """Record one answer (or go back one question), then ask the next or show the result."""
    deps, (user_id, _) = context.deps, ids(update)
    content = deps.content
    query = update.callback_query
    assert query is not None
    question_ids = [q.id for q in content.quiz.questions]
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)  # holds this user's other presses until we commit
        attempt = await repo.latest_attempt(s, user_id)
        if (
            user is None
            or attempt is None
            or attempt.id != data.attempt_id
            or attempt.finished_at is not None
            or quiz.next_question(attempt.answers) != data.index
            or (data.choice == "b" and data.index == 0)
        ):
            return content.messages("button_expired")
        if data.choice == "b":
            attempt.answers = quiz.clear_answer(attempt.answers, data.index - 1)
        else:
            attempt.answers = quiz.record_answer(attempt.answers, data.index, data.choice == "y")
        following = quiz.next_question(attempt.answers)
        result = None
        changes = None
        if following is None:
            previous = await repo.previous_finished_attempt(s, user_id, attempt.id)
            if previous is not None and previous.finished_at is not None:
                changes = render.quiz_changes(
                    content,
                    local_date(previous.finished_at, zone_of(user)),
                    quiz.sign_changes(previous.answers, attempt.answers, question_ids),
                )
            result = quiz.recommend(
                attempt.answers,
                question_ids,
                [quiz.RoutineTarget(r.id, r.signs) for r in content.routines.values()],
                content.general_routine.id,
            )
            attempt.finished_at = deps.clock()
            attempt.recommended_routine_id = result.routine_id
    chosen = None if data.choice == "b" else data.choice == "y"
    answered = edit(query, render.answered_question(content, data.index, chosen), None)
    if result is None:
        assert following is not None
        # The answered question's edit and the next question go out together: one round trip.
        await asyncio.gather(
            answered, say(update, context, *render.question(content, data.attempt_id, following))
        )
        return None
    await answered
    if changes is not None:
        await say(update, context, changes)
    await say(update, context, *render.quiz_result(content, result))
    return None


async def recheck_button(update: Update, context: HipContext, data: cb.Recheck) -> str | None:
    """Retake the quiz now (the result shows the change sign by sign), or not now."""
    await clear_buttons(update)
    if data.accept:
        await begin_quiz(update, context, fresh=True)
    else:
        await say(update, context, context.deps.content.messages("recheck_later"))
    return None


async def choose_routine(update: Update, context: HipContext, data: cb.ChooseRoutine) -> str | None:
    """Make the tapped routine the user's own, then carry on with the schedule."""
    deps, (user_id, _) = context.deps, ids(update)
    routine = deps.content.routines.get(data.routine_id)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or routine is None:
            return deps.content.messages("button_expired")
        user.routine_id = routine.id
        text, markup = await next_setup_step(s, user, deps)
    await clear_buttons(update)
    chosen = deps.content.messages("routine_chosen", routine=render.escape(routine.name))
    await say(update, context, f"{chosen}\n\n{text}", markup)
    return None


async def routine_command(update: Update, context: HipContext) -> None:
    """Show the current routine with the others one tap away, or switch to the one named."""
    deps, (user_id, _) = context.deps, ids(update)
    content = deps.content
    wanted = " ".join(context.args or []).strip().lower()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            await say(update, context, content.messages("need_setup"))
            return
        current = user.routine_id
        match = next(
            (r for r in content.routines.values() if wanted and wanted in (r.id, r.name.lower())),
            None,
        )
        if match is not None:
            user.routine_id = match.id
            text, markup = await next_setup_step(s, user, deps)
    if match is not None:
        chosen = content.messages("routine_chosen", routine=render.escape(match.name))
        await say(update, context, f"{chosen}\n\n{text}", markup)
    elif current is None:
        await say(
            update, context, content.messages("routine_none"), render.routine_buttons(content)
        )
    else:
        name = render.escape(content.routines[current].name)
        await say(
            update,
            context,
            content.messages("routine_current", routine=name),
            render.routine_buttons(content, first=current),
        )


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("start", start),
    CommandHandler("quiz", quiz_command),
    CommandHandler("routine", routine_command),
    on_button(cb.RedFlagAnswer, red_flag),
    on_button(cb.QuizAnswer, quiz_answer),
    on_button(cb.ChooseRoutine, choose_routine),
    on_button(cb.Recheck, recheck_button),
]
