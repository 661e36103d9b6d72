"""The daily session: /today, Done / Snooze / Skip, the pain rating, and /progress."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.delivery import send_session
from bot.domain.schedule import format_time
from bot.domain.states import SessionStatus
from bot.domain.triage import URGENCY, Tier, Verdict, tier_after_no
from bot.handlers.common import HipContext, clear_buttons, edit, guarded, ids, on_button, say
from bot.handlers.demos import show_me
from bot.usecases import sessions
from bot.usecases.sessions import AlreadyDone, CheckedIn, Snoozed

HISTORY_LENGTH = 14


@guarded
async def today_command(update: Update, context: HipContext) -> None:
    """Send today's session now (the reminder will not repeat it)."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    now = deps.clock()
    today = await sessions.open_session_today(deps.db, user_id, now)
    message = await send_session(
        context.bot,
        context.content,
        chat_id,
        today.routine_id,
        today.day,
        choices=today.choices,
        webapp=deps.settings.webapp_url,
    )
    await sessions.record_sent(deps.db, today.session_id, message.message_id, now)


@guarded
async def done_command(update: Update, context: HipContext) -> None:
    """Mark today's session done."""
    deps, (user_id, _) = context.deps, ids(update)
    checked = await sessions.mark_done(deps.db, user_id, None, deps.clock())
    await show_check_in(update, context, checked)


async def show_check_in(update: Update, context: HipContext, checked: CheckedIn) -> None:
    """Answer a check-in with the streak, the pain-after scale and a way to add a note."""
    m = context.content.messages
    streak = render.days(context.content, checked.streak)
    await clear_buttons(update)
    if not checked.changed:
        await say(update, context, m("session_already_done", streak=streak))
    else:
        done = m(
            "session_partly" if checked.status is SessionStatus.PARTLY else "session_done",
            streak=streak,
        )
        text = f"{done}\n\n{m('pain_ask')}\n{m('note_hint')}"
        await say(update, context, text, render.pain_buttons(context.content, checked.day))
    if checked.recheck:
        await say(update, context, *render.recheck_offer(context.content))


async def session_button(update: Update, context: HipContext, data: cb.SessionPress) -> str | None:
    """Done, Partly done, Snooze 1 h, Skip today, Something's wrong or Show me, on the session
    the button belongs to."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    now = deps.clock()
    match data.action:
        case cb.SessionAction.DONE | cb.SessionAction.PARTLY:
            partly = data.action is cb.SessionAction.PARTLY
            checked = await sessions.mark_done(deps.db, user_id, data.day, now, partly=partly)
            await show_check_in(update, context, checked)
        case cb.SessionAction.SHOW:
            return await show_me(update, context, data.day)
        case cb.SessionAction.RATE:
            query = update.callback_query
            assert query is not None
            await edit(query, markup=render.pain_before_buttons(data.day))
            return m("pain_before_ask")
        case cb.SessionAction.WRONG:
            await sessions.something_wrong(deps.db, user_id, data.day, now)
            first = render.checkin_screen(context.content, data.day, URGENCY[0])
            await say(update, context, *first)
        case cb.SessionAction.SNOOZE:
            options = await sessions.snooze_options(deps.db, user_id, data.day, now)
            if isinstance(options, AlreadyDone):
                await say(update, context, already_done(context, options))
            else:
                evening = None if options.evening is None else format_time(options.evening)
                await say(
                    update,
                    context,
                    m("session_snooze_ask"),
                    render.snooze_choices(context.content, data.day, evening),
                )
        case cb.SessionAction.SKIP:
            skipped = await sessions.skip(deps.db, user_id, data.day, now)
            text = (
                already_done(context, skipped)
                if isinstance(skipped, AlreadyDone)
                else m("session_skipped")
            )
            await clear_buttons(update)
            await say(
                update,
                context,
                f"{text}\n{m('note_hint')}",
                render.note_button(context.content, data.day),
            )
    return None


async def snooze_button(update: Update, context: HipContext, data: cb.SnoozeFor) -> str | None:
    """Snooze the session the choice belongs to: 15 min, 1 h, 3 h or this evening."""
    deps, (user_id, _) = context.deps, ids(update)
    snoozed = await sessions.snooze(deps.db, user_id, data.day, deps.clock(), data.minutes)
    await clear_buttons(update)
    if isinstance(snoozed, Snoozed):
        text = context.content.messages("session_snoozed", time=format_time(snoozed.until))
    else:
        text = already_done(context, snoozed)
    await say(update, context, text)
    return None


def already_done(context: HipContext, done: AlreadyDone) -> str:
    streak = render.days(context.content, done.streak)
    return context.content.messages("session_already_done", streak=streak)


async def checkin_red_flag(
    update: Update, context: HipContext, data: cb.CheckinRedFlag
) -> str | None:
    """Ask the red-flag tiers after "Something's wrong", most urgent first: a yes stops the
    reminders at that tier's advice until "I have been cleared"; a no asks the next tier."""
    deps, (user_id, _) = context.deps, ids(update)
    content = context.content
    tier = Tier(data.tier)
    await sessions.report_red_flags(deps.db, user_id, data.day, tier, data.yes, deps.clock())
    await clear_buttons(update)
    if data.yes:
        note = content.messages("checkin_red_flag_stop")
        await say(update, context, *render.screen_advice(content, Verdict(tier.value), note))
    elif following := tier_after_no(tier):
        await say(update, context, *render.checkin_screen(content, data.day, following))
    else:
        await say(update, context, content.messages("checkin_no_red_flag"))
    return None


async def pain_button(update: Update, context: HipContext, data: cb.PainRating) -> str | None:
    """Store the knee-pain rating after the session; a high or jumping one gets advice to ease
    off; then the progression rule may move the routine up or down a level."""
    deps, (user_id, _) = context.deps, ids(update)
    rated = await sessions.rate_pain(
        deps.db, user_id, data.day, data.score, deps.clock(), context.content
    )
    await clear_buttons(update)
    text = render.rating_message(context.content, rated.review, data.score, rated.needs_care)
    await say(update, context, text, render.note_button(context.content, data.day))
    return None


async def pain_before_button(
    update: Update, context: HipContext, data: cb.PainBefore
) -> str | None:
    """Store the knee-pain rating before the session (one tap, optional)."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    needs_care = await sessions.rate_pain_before(
        deps.db, user_id, data.day, data.score, deps.clock()
    )
    query = update.callback_query
    assert query is not None
    buttons = render.session_buttons(
        context.content, data.day, ask_pain=False, webapp=deps.settings.webapp_url
    )
    await edit(query, markup=buttons)
    pain = f"{data.score}/10"
    if needs_care:
        await say(update, context, m("pain_high", pain=pain))
    return m("pain_before_noted", pain=pain)


async def note_button(update: Update, context: HipContext, data: cb.AddNote) -> str | None:
    """Get ready for a typed note on the session the button belongs to."""
    deps, (user_id, _) = context.deps, ids(update)
    await sessions.ask_note(deps.db, user_id, data.day, deps.clock())
    await say(update, context, context.content.messages("note_ask"))
    return None


@guarded
async def history_command(update: Update, context: HipContext) -> None:
    """List the recent sessions with their pain ratings and notes."""
    deps, (user_id, _) = context.deps, ids(update)
    records = await sessions.history(deps.db, user_id, HISTORY_LENGTH)
    await say(update, context, render.history(context.content, records))


@guarded
async def levels_command(update: Update, context: HipContext) -> None:
    """Show each exercise's form and level, and the rule that moves them."""
    deps, (user_id, _) = context.deps, ids(update)
    routine, steps = await sessions.levels(deps.db, user_id, context.content)
    await say(update, context, render.levels(context.content, routine, steps))


@guarded
async def progress_command(update: Update, context: HipContext) -> None:
    """Show streaks, counts, completion rate, the four-week calendar and the pain trend."""
    deps, (user_id, _) = context.deps, ids(update)
    view = await sessions.progress(deps.db, user_id, deps.clock())
    text = render.progress(context.content, view.summary, view.today, view.average_pain)
    await say(update, context, text, render.progress_buttons(context.content))


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("today", today_command),
    CommandHandler("done", done_command),
    CommandHandler("progress", progress_command),
    on_button(cb.SessionPress, session_button),
    on_button(cb.PainRating, pain_button),
    on_button(cb.PainBefore, pain_before_button),
    on_button(cb.SnoozeFor, snooze_button),
    on_button(cb.AddNote, note_button),
    on_button(cb.CheckinRedFlag, checkin_red_flag),
    CommandHandler("history", history_command),
    CommandHandler("levels", levels_command),
]
