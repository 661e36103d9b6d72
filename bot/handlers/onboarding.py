"""Onboarding: /start, the privacy notice, the age band, the tiered red-flag screen, the
five-sign quiz and choosing a routine."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.domain.triage import AgeBand, ScreenAnswer, Verdict
from bot.handlers.common import HipContext, clear_buttons, edit, guarded, ids, on_button, say
from bot.usecases import onboarding, schedule
from bot.usecases.onboarding import BackToRoutine, Question, QuizStep
from bot.usecases.triage import AgeFirst, PrivacyFirst


async def start(update: Update, context: HipContext) -> None:
    """Greet; run the safety screen for a new user, show the settings of a returning one."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    welcome = await onboarding.start(
        deps.db, user_id, chat_id, deps.clock(), context.content, language=context.language
    )
    first_name = update.effective_user.first_name if update.effective_user else ""
    await say(update, context, render.welcome(context.content, first_name))
    if welcome.settings is not None:
        text = render.settings(context.content, welcome.settings)
        await say(update, context, text, render.settings_menu(context.content))
    elif welcome.quiz is not None:
        await ask(update, context, welcome.quiz)


async def ask(update: Update, context: HipContext, step: QuizStep) -> None:
    """Send the next step: the privacy notice, the age band, the red-flag screen (a tier's
    question or the advice it stopped at), or the quiz's question."""
    content = context.content
    if isinstance(step, Question):
        if step.index == 0:
            await say(update, context, content.messages("quiz_intro"))
        await say(update, context, *render.question(content, step.attempt_id, step.index))
    elif isinstance(step, PrivacyFirst):
        days = context.deps.settings.retention_days
        await say(update, context, *render.privacy_notice(content, days, ask=True))
    elif isinstance(step, AgeFirst):
        await say(update, context, *render.age_question(content))
    elif isinstance(step, BackToRoutine):
        if step.next_day is not None:  # None: still paused, or blocked; /settings says why
            day = render.day_label(content, step.next_day)
            await say(update, context, content.messages("back_to_routine", next_date=day))
    elif step.tier is not None:
        await say(update, context, *render.screen_question(content, step.tier))
    elif step.advice is not None:
        await say(update, context, *render.screen_advice(content, step.advice))


@guarded
async def quiz_command(update: Update, context: HipContext) -> None:
    """Start the five-sign quiz again from the first question."""
    deps, (user_id, _) = context.deps, ids(update)
    step = await onboarding.begin_quiz(deps.db, user_id, deps.clock(), context.content, fresh=True)
    await ask(update, context, step)


async def privacy_agree(update: Update, context: HipContext, data: cb.PrivacyAgree) -> str | None:
    """Record the agreement to the privacy notice, then ask the first health question."""
    deps, (user_id, _) = context.deps, ids(update)
    step = await onboarding.agree_privacy(deps.db, user_id, deps.clock(), context.content)
    await clear_buttons(update)
    await ask(update, context, step)
    return None


async def age_band(update: Update, context: HipContext, data: cb.AgeBandAnswer) -> str | None:
    """Store the age band; a child or teenager gets the advice to see a doctor first."""
    deps, (user_id, _) = context.deps, ids(update)
    band = AgeBand(data.band)
    step = await onboarding.answer_age(deps.db, user_id, band, deps.clock(), context.content)
    await clear_buttons(update)
    await ask(update, context, step)
    return None


async def red_flag(update: Update, context: HipContext, data: cb.RedFlagAnswer) -> str | None:
    """Record a press on the tiered screen: a yes stops at its tier's advice until cleared."""
    deps, (user_id, _) = context.deps, ids(update)
    answer = ScreenAnswer(data.answer)
    step = await onboarding.answer_red_flags(
        deps.db, user_id, Verdict(data.stage), answer, deps.clock(), context.content
    )
    await clear_buttons(update)
    if answer is ScreenAnswer.CLEARED:
        await say(update, context, context.content.messages("red_flag_cleared"))
    await ask(update, context, step)
    return None


async def quiz_answer(update: Update, context: HipContext, data: cb.QuizAnswer) -> str | None:
    """Record one answer (or go back one question), then ask the next or show the result.

    The use case hands back the user's language with its outcome (handlers/language.py
    OWN_LANGUAGE): the press is one transaction."""
    deps, (user_id, _) = context.deps, ids(update)
    query = update.callback_query
    assert query is not None
    chosen = None if data.choice == "b" else data.choice == "y"
    pressed = await onboarding.answer_quiz(
        deps.db, user_id, Question(data.attempt_id, data.index), chosen, deps.clock(), deps.content
    )
    context.settle_language(update, pressed.language)
    content, outcome = context.content, pressed.outcome
    if isinstance(outcome, Question):
        # The next question (after Back, the one before) takes the answered one's place in
        # the same message: one Bot API call, and the quiz stays one message on the phone.
        await edit(query, *render.question(content, outcome.attempt_id, outcome.index))
        return None
    await edit(query, render.quiz_answers(content, outcome.answers))
    if outcome.previous_on is not None:
        await say(
            update, context, render.quiz_changes(content, outcome.previous_on, outcome.changes)
        )
    await say(update, context, *render.quiz_result(content, outcome.result))
    return None


async def recheck_button(update: Update, context: HipContext, data: cb.Recheck) -> str | None:
    """Retake the quiz now (the result shows the change sign by sign), or not now."""
    await clear_buttons(update)
    if data.accept:
        await quiz_command(update, context)
    else:
        await say(update, context, context.content.messages("recheck_later"))
    return None


async def choose_routine(update: Update, context: HipContext, data: cb.ChooseRoutine) -> str | None:
    """Make the tapped routine the user's own, then carry on with the schedule."""
    deps, (user_id, _) = context.deps, ids(update)
    routine = context.content.routines.get(data.routine_id)
    if routine is None:
        return context.content.messages("button_expired")
    step = await schedule.set_schedule(deps.db, user_id, deps.clock(), routine_id=routine.id)
    await clear_buttons(update)
    text, markup = render.setup_step(context.content, step)
    chosen = context.content.messages("routine_chosen", routine=render.escape(routine.name))
    await say(update, context, f"{chosen}\n\n{text}", markup)
    return None


@guarded
async def routine_command(update: Update, context: HipContext) -> None:
    """Show the current routine with the others one tap away, or switch to the one named."""
    deps, (user_id, _) = context.deps, ids(update)
    content = context.content
    wanted = " ".join(context.args or []).strip().lower()
    match = next(
        (r for r in content.routines.values() if wanted and wanted in (r.id, r.name.lower())),
        None,
    )
    if match is not None:
        step = await schedule.set_schedule(deps.db, user_id, deps.clock(), routine_id=match.id)
        text, markup = render.setup_step(content, step)
        chosen = content.messages("routine_chosen", routine=render.escape(match.name))
        await say(update, context, f"{chosen}\n\n{text}", markup)
        return
    current = await schedule.current_routine(deps.db, user_id)
    if current is None:
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
    on_button(cb.PrivacyAgree, privacy_agree),
    on_button(cb.AgeBandAnswer, age_band),
    on_button(cb.RedFlagAnswer, red_flag),
    on_button(cb.QuizAnswer, quiz_answer),
    on_button(cb.ChooseRoutine, choose_routine),
    on_button(cb.Recheck, recheck_button),
]
