"""The daily session: /today, Done / Snooze / Skip, the pain rating, and /progress."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.delivery import send_session
from bot.domain.progress import pain_needs_care
from bot.domain.progression import Move
from bot.domain.quiz import recheck_due
from bot.domain.schedule import format_time, local_date
from bot.handlers.common import HipContext, clear_buttons, edit, ids, on_button, say
from bot.handlers.demos import show_me
from bot.service import (
    SNOOZE,
    apply_progression,
    average_pain,
    open_today,
    plan_of,
    progress_of,
    streak_of,
    today_of,
    zone_of,
)
from bot.storage import repo
from bot.storage.models import User

NOTE_LENGTH = 200  # the notes column's size
HISTORY_LENGTH = 14


async def today_command(update: Update, context: HipContext) -> None:
    """Send today's session now (the reminder will not repeat it)."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    now = deps.clock()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or user.routine_id is None:
            await say(update, context, deps.content.messages("need_setup"))
            return
        session = await open_today(s, user, now)
        session_id, routine_id, day = session.id, session.routine_id, session.day
        choices = await repo.exercise_choices(s, user_id)
    message = await send_session(
        context.bot, deps.content, chat_id, routine_id, day, choices=choices
    )
    async with deps.db.transaction() as s:
        await repo.record_sent(s, session_id, message.message_id, now)


async def done_command(update: Update, context: HipContext) -> None:
    """Mark today's session done."""
    await mark_done(update, context, None)


async def mark_done(
    update: Update, context: HipContext, day: date | None, *, partly: bool = False
) -> str | None:
    """Record the session of `day` (today's, when None) done or partly done; answer with the
    streak, the pain-after scale and a way to add a note."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    now = deps.clock()
    status = "partly" if partly else "done"
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or user.routine_id is None:
            if day is not None:  # a button, not the command: nothing of theirs to mark
                return m("button_expired")
            await say(update, context, m("need_setup"))
            return None
        today = today_of(user, now)
        found = (
            await open_today(s, user, now)
            if day is None
            else await repo.get_session(s, user_id, day)
        )
        if found is None or found.day < today - timedelta(days=1):
            return m("button_expired")
        session = found
        # Done after Partly done upgrades it; nothing else changes a checked-in day.
        already = session.status == "done" or session.status == status
        if not already:
            session.status, session.done_at, session.snooze_until = status, now, None
        streak = render.count(await streak_of(s, user, now), "day")
        session_day = session.day
        recheck = not already and await offer_recheck(s, user, today)
    await clear_buttons(update)
    if already:
        await say(update, context, m("session_already_done", streak=streak))
    else:
        done = m("session_partly" if partly else "session_done", streak=streak)
        text = f"{done}\n\n{m('pain_ask')}\n{m('note_hint')}"
        await say(update, context, text, render.pain_buttons(session_day))
    if recheck:
        await say(update, context, *render.recheck_offer(deps.content))
    return None


async def offer_recheck(s: AsyncSession, user: User, today: date) -> bool:
    """True (and noted) when the four-weekly quiz re-check is due at this check-in."""
    finished = await repo.last_quiz_finished(s, user.id)
    last_quiz = None if finished is None else local_date(finished, zone_of(user))
    if not recheck_due(last_quiz, user.recheck_offered_on, today):
        return False
    user.recheck_offered_on = today
    return True


async def session_button(update: Update, context: HipContext, data: cb.SessionPress) -> str | None:
    """Done, Snooze 1 h or Skip today, on the session the button belongs to."""
    if data.action in (cb.SessionAction.DONE, cb.SessionAction.PARTLY):
        return await mark_done(
            update, context, data.day, partly=data.action is cb.SessionAction.PARTLY
        )
    if data.action is cb.SessionAction.WRONG:
        return await something_wrong(update, context, data.day)
    if data.action is cb.SessionAction.SHOW:
        return await show_me(update, context, data.day)
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    now = deps.clock()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = await repo.get_session(s, user_id, data.day)
        if user is None or session is None or session.day != today_of(user, now):
            return m("button_expired")
        if session.status == "done":
            streak = render.count(await streak_of(s, user, now), "day")
            text = m("session_already_done", streak=streak)
        elif data.action is cb.SessionAction.SNOOZE:
            session.snooze_until = now + SNOOZE
            local = session.snooze_until.astimezone(zone_of(user))
            text = m("session_snoozed", time=format_time(local.time()))
        else:
            session.status, session.snooze_until = "skipped", None
            text = m("session_skipped")
    if data.action is cb.SessionAction.SKIP:
        await clear_buttons(update)
        await say(update, context, f"{text}\n{m('note_hint')}", render.note_button(data.day))
    else:
        await say(update, context, text)
    return None


async def something_wrong(update: Update, context: HipContext, day: date) -> str | None:
    """Offer the red-flag list from the session message."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = await repo.get_session(s, user_id, day)
        if (
            user is None
            or session is None
            or session.day < today_of(user, deps.clock()) - timedelta(days=1)
        ):
            return deps.content.messages("button_expired")
    await say(update, context, *render.checkin_red_flags(deps.content, day))
    return None


async def checkin_red_flag(
    update: Update, context: HipContext, data: cb.CheckinRedFlag
) -> str | None:
    """Any red flag stops the reminders and routes to a clinician first; /resume restarts."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or await repo.get_session(s, user_id, data.day) is None:
            return m("button_expired")
        if data.yes:
            user.red_flag_at = deps.clock()
            await repo.clear_reminders(s, user_id)
    await clear_buttons(update)
    await say(update, context, m("checkin_red_flag_stop" if data.yes else "checkin_no_red_flag"))
    return None


async def pain_button(update: Update, context: HipContext, data: cb.PainRating) -> str | None:
    """Store the knee-pain rating after the session; a high or jumping one gets advice to ease
    off; then the progression rule may move the routine up or down a level."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = await repo.get_session(s, user_id, data.day)
        if user is None or session is None:
            return m("button_expired")
        usual = await repo.recent_pain(s, user_id, data.day - timedelta(days=28), before=data.day)
        session.pain = data.score
        result = await apply_progression(s, user, deps.content, deps.clock())
    await clear_buttons(update)
    pain = f"{data.score}/10"
    key = "pain_high" if pain_needs_care(data.score, usual) else "pain_thanks"
    text = m(key, pain=pain)
    if result.move is Move.UP:
        rate = "–" if result.adherence is None else f"{result.adherence:.0%}"
        text += "\n\n" + m("progress_up", rate=rate)
    elif result.move is Move.DOWN:
        text += "\n\n" + m("progress_down")
    await say(update, context, text, render.note_button(data.day))
    return None


async def pain_before_button(
    update: Update, context: HipContext, data: cb.PainBefore
) -> str | None:
    """Store the knee-pain rating before the session (one tap, optional)."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = await repo.get_session(s, user_id, data.day)
        if (
            user is None
            or session is None
            or session.day < today_of(user, deps.clock()) - timedelta(days=1)
        ):
            return m("button_expired")
        usual = await repo.recent_pain(s, user_id, data.day - timedelta(days=28), before=data.day)
        session.pain_before = data.score
    query = update.callback_query
    assert query is not None
    await edit(query, markup=render.session_buttons(data.day, ask_pain=False))
    pain = f"{data.score}/10"
    if pain_needs_care(data.score, usual):
        await say(update, context, m("pain_high", pain=pain))
    return m("pain_before_noted", pain=pain)


async def note_button(update: Update, context: HipContext, data: cb.AddNote) -> str | None:
    """Get ready for a typed note on the session the button belongs to."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or await repo.get_session(s, user_id, data.day) is None:
            return deps.content.messages("button_expired")
        user.awaiting, user.note_day = "note", data.day
    await say(update, context, deps.content.messages("note_ask"))
    return None


async def save_note(update: Update, context: HipContext, text: str) -> None:
    """Attach the typed note to the session it was asked for."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    if len(text) > NOTE_LENGTH:
        await say(update, context, m("note_too_long"))
        return
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        session = (
            None
            if user is None or user.note_day is None
            else await repo.get_session(s, user_id, user.note_day)
        )
        if user is not None:
            user.awaiting = user.note_day = None
        if session is not None:
            session.note = text
    await say(update, context, m("note_saved" if session is not None else "button_expired"))


async def history_command(update: Update, context: HipContext) -> None:
    """List the recent sessions with their pain ratings and notes."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            await say(update, context, deps.content.messages("need_setup"))
            return
        records = await repo.latest_day_records(s, user_id, HISTORY_LENGTH)
    await say(update, context, render.history(deps.content, records))


async def levels_command(update: Update, context: HipContext) -> None:
    """Show each exercise's form and level, and the rule that moves them."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        routine = None if user is None else deps.content.routines.get(user.routine_id or "")
        if routine is None:
            await say(update, context, deps.content.messages("need_setup"))
            return
        steps = await plan_of(s, user_id, routine)
    await say(update, context, render.levels(deps.content, routine, steps))


async def progress_command(update: Update, context: HipContext) -> None:
    """Show streaks, counts, completion rate, the four-week calendar and the pain trend."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            await say(update, context, deps.content.messages("need_setup"))
            return
        summary, today = await progress_of(s, user, deps.clock())
        pain = await average_pain(s, user, today)
    text = render.progress(deps.content, summary, today, pain)
    await say(update, context, text, render.progress_buttons())


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("today", today_command),
    CommandHandler("done", done_command),
    CommandHandler("progress", progress_command),
    on_button(cb.SessionPress, session_button),
    on_button(cb.PainRating, pain_button),
    on_button(cb.PainBefore, pain_before_button),
    on_button(cb.AddNote, note_button),
    on_button(cb.CheckinRedFlag, checkin_red_flag),
    CommandHandler("history", history_command),
    CommandHandler("levels", levels_command),
]
