"""The schedule: daily time, time zone, pausing, and the settings overview."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.domain.schedule import BadTime, format_time, parse_time
from bot.domain.zones import match_zone
from bot.handlers.common import HipContext, clear_buttons, edit, ids, on_button, say
from bot.render import Markup
from bot.service import Deps, next_session_day, reschedule, today_of
from bot.storage import repo
from bot.storage.models import User


async def next_setup_step(s: AsyncSession, user: User, deps: Deps) -> tuple[str, Markup]:
    """Ask for whatever the schedule still lacks, or confirm it once complete."""
    content = deps.content
    if user.routine_id is None:
        user.awaiting = None
        return content.messages("routine_none"), render.routine_buttons(content)
    if user.reminder_time is None:
        user.awaiting = "time"
        return render.ask_time(content)
    if user.timezone is None:
        user.awaiting = "zone"
        return render.ask_zone(content)
    user.awaiting = None
    day = await reschedule(s, user, deps.clock())
    if day is None:  # stopped by a red flag at check-in until /resume
        return content.messages("saved_red_flag"), None
    routine = content.routines[user.routine_id]
    text = render.schedule_confirmed(
        content, routine, user.reminder_time, user.timezone, day, user.days
    )
    return text, None


async def _set_and_continue(update: Update, context: HipContext, **changes: object) -> None:
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            text, markup = deps.content.messages("need_setup"), None
        else:
            for name, value in changes.items():
                setattr(user, name, value)
            text, markup = await next_setup_step(s, user, deps)
    await say(update, context, text, markup)


async def _await_input(
    update: Update, context: HipContext, awaiting: str, text: str, markup: Markup
) -> None:
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            text, markup = deps.content.messages("need_setup"), None
        else:
            user.awaiting = awaiting
    await say(update, context, text, markup)


async def set_time_from_text(update: Update, context: HipContext, text: str) -> None:
    try:
        at = parse_time(text)
    except BadTime:
        message = context.deps.content.messages("bad_time", text=render.escape(text[:40]))
        await say(update, context, message)
        return
    await _set_and_continue(update, context, reminder_time=at)


async def set_zone_from_text(update: Update, context: HipContext, text: str) -> None:
    deps = context.deps
    match = match_zone(text, deps.zones)
    if match.zone is not None:
        await _set_and_continue(update, context, timezone=match.zone)
    elif match.suggestion is not None:
        await say(
            update, context, *render.zone_suggestion(deps.content, text[:40], match.suggestion)
        )
    else:
        await say(update, context, deps.content.messages("bad_zone", text=render.escape(text[:40])))


async def time_command(update: Update, context: HipContext) -> None:
    """Set the daily time (/time 07:30) or ask for it with buttons."""
    if context.args:
        await set_time_from_text(update, context, " ".join(context.args))
    else:
        await _await_input(update, context, "time", *render.ask_time(context.deps.content))


async def timezone_command(update: Update, context: HipContext) -> None:
    """Set the time zone (/timezone Europe/Berlin) or ask for it with buttons."""
    if context.args:
        await set_zone_from_text(update, context, " ".join(context.args))
    else:
        await _await_input(update, context, "zone", *render.ask_zone(context.deps.content))


async def choose_time(update: Update, context: HipContext, data: cb.ChooseTime) -> str | None:
    """Take a tapped time, or get ready for a typed one."""
    await clear_buttons(update)
    if data.at is None:
        await _await_input(
            update, context, "time", context.deps.content.messages("ask_time_typed"), None
        )
    else:
        await _set_and_continue(update, context, reminder_time=data.at)
    return None


async def choose_zone(update: Update, context: HipContext, data: cb.ChooseZone) -> str | None:
    """Take a tapped time zone, or get ready for a typed one."""
    deps = context.deps
    if data.name is not None and data.name not in deps.zones:
        return deps.content.messages("button_expired")
    await clear_buttons(update)
    if data.name is None:
        await _await_input(update, context, "zone", deps.content.messages("ask_zone_typed"), None)
    else:
        await _set_and_continue(update, context, timezone=data.name)
    return None


async def send_settings(update: Update, context: HipContext) -> None:
    """Show routine, time, zone and reminder status, with buttons to change each."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    now = deps.clock()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            await say(update, context, m("need_setup"))
            return
        today = today_of(user, now)
        next_day = next_session_day(user)
        if user.red_flag_at is not None:
            status = m("status_red_flag")
        elif not user.scheduled or next_day is None:
            status = m("status_unscheduled")
        elif user.paused_until is not None and user.paused_until > today:
            until = render.day_label(user.paused_until - timedelta(days=1))
            status = m("status_paused", until=until)
        else:
            status = m("status_active")
        text = m(
            "settings",
            routine=render.escape(deps.content.routines[user.routine_id].name)
            if user.routine_id
            else "–",
            time=format_time(user.reminder_time) if user.reminder_time else "–",
            zone=render.escape(user.timezone or "–"),
            days=render.describe_days(user.days),
            second=render.describe_second(deps.content, user.second_reminder_hours),
            status=status,
            next=(
                f"{render.day_label(next_day)}, {format_time(user.reminder_time)}"
                if next_day and user.reminder_time
                else "–"
            ),
        )
    await say(update, context, text, render.settings_menu())


async def settings_command(update: Update, context: HipContext) -> None:
    """Show the settings overview."""
    await send_settings(update, context)


async def pause_for(update: Update, context: HipContext, days: int) -> None:
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        first_day = None if user is None else next_session_day(user)
        if user is not None and user.red_flag_at is not None:
            text = m("pause_after_red_flag")  # stopped already, until a clinician says go
        elif user is None or first_day is None:
            text = m("need_setup")
        else:
            # The pause covers the next `days` session days, extending one already running.
            start = max(first_day, user.paused_until or first_day)
            user.paused_until = start + timedelta(days=days)
            text = m("paused", until=render.day_label(user.paused_until - timedelta(days=1)))
    await say(update, context, text)


async def pause_command(update: Update, context: HipContext) -> None:
    """Pause reminders for a number of days (/pause 7), or ask how long with buttons."""
    m = context.deps.content.messages
    if not context.args:
        await say(update, context, *render.pause_choices(context.deps.content))
        return
    text = " ".join(context.args)
    if not text.isdigit() or not 1 <= int(text) <= cb.MAX_PAUSE_DAYS:
        await say(update, context, m("bad_pause", text=render.escape(text[:20])))
        return
    await pause_for(update, context, int(text))


async def pause_button(update: Update, context: HipContext, data: cb.Pause) -> str | None:
    """Pause for the tapped number of days."""
    await clear_buttons(update)
    await pause_for(update, context, data.days)
    return None


async def resume_command(update: Update, context: HipContext) -> None:
    """End a pause now."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    now = deps.clock()
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or not user.scheduled:
            text = m("need_setup")
        elif user.red_flag_at is not None:  # stopped by a red flag at check-in
            user.red_flag_at = user.paused_until = None
            day = await reschedule(s, user, now)
            text = m("resumed", next_date=render.day_label(day) if day else "–")
        elif user.paused_until is None or user.paused_until <= today_of(user, now):
            user.paused_until = None
            text = m("not_paused")
        else:
            user.paused_until = None
            day = await reschedule(s, user, now)
            text = m("resumed", next_date=render.day_label(day) if day else "–")
    await say(update, context, text)


async def days_command(update: Update, context: HipContext) -> None:
    """Ask which weekdays to send the session on."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        days = None if user is None or not user.scheduled else user.days
    if days is None:
        await say(update, context, deps.content.messages("need_setup"))
    else:
        await say(update, context, *render.ask_days(deps.content, days))


async def days_button(update: Update, context: HipContext, data: cb.ChooseDays) -> str | None:
    """Tick days in the picker, or save a set and offer the second reminder."""
    deps, (user_id, _) = context.deps, ids(update)
    m = deps.content.messages
    query = update.callback_query
    assert query is not None
    if not data.save:
        await edit(query, *render.days_picker(deps.content, data.days))
        return None
    if data.days == 0:
        return m("days_none")
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None or not user.scheduled:
            return m("button_expired")
        user.days = data.days
        day = await reschedule(s, user, deps.clock())
    await clear_buttons(update)
    text = m(
        "days_saved",
        days=render.describe_days(data.days),
        next_date=render.day_label(day) if day else m("status_red_flag"),
    )
    await say(update, context, text, render.second_reminder_choices())
    return None


async def second_reminder_button(
    update: Update, context: HipContext, data: cb.SecondReminder
) -> str | None:
    """Turn the second reminder on (hours after the usual time) or off."""
    deps, (user_id, _) = context.deps, ids(update)
    async with deps.db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            return deps.content.messages("button_expired")
        user.second_reminder_hours = data.hours or None
    await clear_buttons(update)
    second = render.describe_second(deps.content, data.hours or None)
    await say(update, context, deps.content.messages("second_saved", second=second))
    return None


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("time", time_command),
    CommandHandler("timezone", timezone_command),
    CommandHandler("settings", settings_command),
    CommandHandler("pause", pause_command),
    CommandHandler("resume", resume_command),
    on_button(cb.ChooseTime, choose_time),
    on_button(cb.ChooseZone, choose_zone),
    on_button(cb.Pause, pause_button),
    CommandHandler("days", days_command),
    on_button(cb.ChooseDays, days_button),
    on_button(cb.SecondReminder, second_reminder_button),
]
