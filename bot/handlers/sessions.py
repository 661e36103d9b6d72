"""The daily session: /today, Done / Snooze / Skip, the pain rating, and /progress."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.delivery import send_session
from bot.domain.progress import pain_needs_care
from bot.domain.schedule import format_time
from bot.handlers.common import HipContext, clear_buttons, ids, on_button, say
from bot.service import SNOOZE, average_pain, open_today, progress_of, streak_of, today_of, zone_of
from bot.storage import repo


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


async def mark_done(update: Update, context: HipContext, day: date | None) -> str | None:
    """Record the session of `day` (today's, when None) done; answer with the streak."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    now = deps.clock()
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
        already = session.status == "done"
        if not already:
            session.status, session.done_at, session.snooze_until = "done", now, None
        streak = render.count(await streak_of(s, user, now), "day")
        session_day = session.day
    await clear_buttons(update)
    if already:
        await say(update, context, m("session_already_done", streak=streak))
    else:
        text = f"{m('session_done', streak=streak)}\n\n{m('pain_ask')}"
        await say(update, context, text, render.pain_buttons(session_day))
    return None


async def session_button(update: Update, context: HipContext, data: cb.SessionPress) -> str | None:
    """Done, Snooze 1 h or Skip today, on the session the button belongs to."""
    if data.action is cb.SessionAction.DONE:
        return await mark_done(update, context, data.day)
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
    await say(update, context, text)
    return None


async def pain_button(update: Update, context: HipContext, data: cb.PainRating) -> str | None:
    """Store the knee-pain rating; a high or jumping one gets advice to ease off."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    async with deps.db.transaction() as s:
        session = await repo.get_session(s, user_id, data.day)
        if session is None:
            return m("button_expired")
        usual = await repo.recent_pain(s, user_id, data.day - timedelta(days=28), before=data.day)
        session.pain = data.score
    await clear_buttons(update)
    pain = f"{data.score}/10"
    key = "pain_high" if pain_needs_care(data.score, usual) else "pain_thanks"
    await say(update, context, m(key, pain=pain))
    return None


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
    await say(update, context, render.progress(deps.content, summary, today, pain))


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("today", today_command),
    CommandHandler("done", done_command),
    CommandHandler("progress", progress_command),
    on_button(cb.SessionPress, session_button),
    on_button(cb.PainRating, pain_button),
]
