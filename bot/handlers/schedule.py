"""The schedule: daily time, time zone, session days, pausing, and the settings overview."""

from __future__ import annotations

from datetime import time

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import callbacks as cb
from bot import render
from bot.domain.schedule import BadTime, parse_time
from bot.domain.states import Awaiting
from bot.domain.zones import ClockMatch, read_zone
from bot.handlers.common import HipContext, clear_buttons, edit, guarded, ids, on_button, say
from bot.usecases import schedule, zones


@guarded
async def set_and_continue(
    update: Update, context: HipContext, *, at: time | None = None, zone: str | None = None
) -> None:
    """Take a time or a zone, then ask for what the schedule still lacks."""
    deps, (user_id, _) = context.deps, ids(update)
    step = await schedule.set_schedule(
        deps.db, user_id, deps.clock(), reminder_time=at, timezone=zone
    )
    await say(update, context, *render.setup_step(context.content, step))


@guarded
async def await_input(
    update: Update, context: HipContext, awaiting: Awaiting, text: str, markup: render.ReplyMarkup
) -> None:
    """Ask for typed text of this kind."""
    deps, (user_id, _) = context.deps, ids(update)
    await schedule.await_input(deps.db, user_id, awaiting)
    await say(update, context, text, markup)


async def bad_time(update: Update, context: HipContext, text: str) -> None:
    message = context.content.messages("bad_time", text=render.escape(text[:40]))
    await say(update, context, message)


async def bad_zone(update: Update, context: HipContext, text: str, suggestion: str | None) -> None:
    content = context.content
    if suggestion is not None:
        await say(update, context, *render.zone_suggestion(content, text[:40], suggestion))
    else:
        await say(update, context, content.messages("bad_zone", text=render.escape(text[:40])))


async def time_command(update: Update, context: HipContext) -> None:
    """Set the daily time (/time 07:30) or ask for it with buttons."""
    if not context.args:
        await await_input(update, context, Awaiting.TIME, *render.ask_time(context.content))
        return
    text = " ".join(context.args)
    try:
        at = parse_time(text)
    except BadTime:
        await bad_time(update, context, text)
        return
    await set_and_continue(update, context, at=at)


async def timezone_command(update: Update, context: HipContext) -> None:
    """Set the time zone (/timezone Europe/Berlin, /timezone berlin, /timezone 18:40) or ask
    for it with buttons."""
    deps = context.deps
    if not context.args:
        await await_input(update, context, Awaiting.ZONE, *render.ask_zone(context.content))
        return
    text = " ".join(context.args)
    places = context.content.places
    match = read_zone(text, deps.clock(), deps.zones, places.aliases, places.common)
    if isinstance(match, ClockMatch):
        await await_input(
            update, context, Awaiting.ZONE, *render.clock_zones(context.content, match, text[:10])
        )
    elif match.zone is None:
        await bad_zone(update, context, text, match.suggestion)
    else:
        await set_and_continue(update, context, zone=match.zone)


async def choose_time(update: Update, context: HipContext, data: cb.ChooseTime) -> str | None:
    """Take a tapped time, or get ready for a typed one."""
    await clear_buttons(update)
    if data.at is None:
        text = context.content.messages("ask_time_typed")
        await await_input(update, context, Awaiting.TIME, text, None)
    else:
        await set_and_continue(update, context, at=data.at)
    return None


async def choose_zone(update: Update, context: HipContext, data: cb.ChooseZone) -> str | None:
    """Take a tapped time zone, or get ready for a typed one."""
    deps = context.deps
    if data.name is not None and data.name not in deps.zones:
        return context.content.messages("button_expired")
    await clear_buttons(update)
    if data.name is None:
        text = context.content.messages("ask_zone_typed")
        await await_input(update, context, Awaiting.ZONE, text, None)
    else:
        await set_and_continue(update, context, zone=data.name)
    return None


async def find_zone(update: Update, context: HipContext, data: cb.FindZone) -> str | None:
    """Ask for the user's location (a reply-keyboard button) or the time on their clock."""
    content = context.content
    await clear_buttons(update)
    if data.way is cb.ZoneWay.LOCATION:
        await await_input(update, context, Awaiting.ZONE, *render.ask_location(content))
    else:
        await await_input(update, context, Awaiting.ZONE, content.messages("ask_local_time"), None)
    return None


@guarded
async def location_message(update: Update, context: HipContext) -> None:
    """Find the time zone at a shared location, offline, and offer it to confirm."""
    deps, (user_id, _) = context.deps, ids(update)
    assert update.effective_message is not None
    location = update.effective_message.location
    assert location is not None
    zone = await zones.zone_at_location(
        deps.db, deps.finder, user_id, location.latitude, location.longitude
    )
    await say(update, context, *render.location_zone(context.content, zone, deps.clock()))


@guarded
async def settings_command(update: Update, context: HipContext) -> None:
    """Show routine, time, zone and reminder status, with buttons to change each."""
    deps, (user_id, _) = context.deps, ids(update)
    view = await schedule.settings(deps.db, user_id, deps.clock())
    await say(
        update,
        context,
        render.settings(context.content, view),
        render.settings_menu(context.content),
    )


@guarded
async def pause_for(update: Update, context: HipContext, days: int) -> None:
    """Pause the next `days` session days."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    paused = await schedule.pause(deps.db, user_id, days)
    if paused.through is None:
        await say(update, context, m("pause_after_red_flag"))
    else:
        await say(
            update, context, m("paused", until=render.day_label(context.content, paused.through))
        )


async def pause_command(update: Update, context: HipContext) -> None:
    """Pause reminders for a number of days (/pause 7), or ask how long with buttons."""
    m = context.content.messages
    if not context.args:
        await say(update, context, *render.pause_choices(context.content))
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


@guarded
async def resume_command(update: Update, context: HipContext) -> None:
    """End a pause now."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    resumed = await schedule.resume(deps.db, user_id, deps.clock())
    if not resumed.resumed:
        await say(update, context, m("not_paused"))
        return
    next_date = render.day_label(context.content, resumed.next_day) if resumed.next_day else "–"
    await say(update, context, m("resumed", next_date=next_date))


@guarded
async def days_command(update: Update, context: HipContext) -> None:
    """Ask which weekdays to send the session on."""
    deps, (user_id, _) = context.deps, ids(update)
    days = await schedule.session_days(deps.db, user_id)
    await say(update, context, *render.ask_days(context.content, days))


async def days_button(update: Update, context: HipContext, data: cb.ChooseDays) -> str | None:
    """Tick days in the picker, or save a set and offer the second reminder."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    query = update.callback_query
    assert query is not None
    if not data.save:
        await edit(query, *render.days_picker(context.content, data.days))
        return None
    if data.days == 0:
        return m("days_none")
    day = await schedule.save_days(deps.db, user_id, data.days, deps.clock())
    await clear_buttons(update)
    text = m(
        "days_saved",
        days=render.describe_days(context.content, data.days),
        next_date=render.day_label(context.content, day) if day else m("status_red_flag"),
    )
    await say(update, context, text, render.second_reminder_choices(context.content))
    return None


async def second_reminder_button(
    update: Update, context: HipContext, data: cb.SecondReminder
) -> str | None:
    """Turn the second reminder on (hours after the usual time) or off."""
    deps, (user_id, _) = context.deps, ids(update)
    await schedule.set_second_reminder(deps.db, user_id, data.hours or None)
    await clear_buttons(update)
    second = render.describe_second(context.content, data.hours or None)
    await say(update, context, context.content.messages("second_saved", second=second))
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
    on_button(cb.FindZone, find_zone),
    MessageHandler(filters.LOCATION, location_message),
]
