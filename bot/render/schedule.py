"""The schedule and settings: time, zone, days, second reminder, pausing, the settings
overview and its menu, and /deletedata's question."""

from __future__ import annotations

from datetime import date, time

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove

from bot import callbacks as cb
from bot.content import Content, Routine
from bot.domain.schedule import EVERY_DAY, WEEKDAYS, format_time
from bot.render.common import Markup, ReplyMarkup, button, chosen, day_label, days, escape, rows
from bot.render.onboarding import routine_buttons
from bot.usecases.schedule import SettingsView, SetupNeed, SetupStep, Standing

COMMON_TIMES = tuple(
    time(h, m)
    for h, m in ((6, 30), (7, 0), (7, 30), (8, 0), (12, 0), (17, 30), (18, 0), (19, 0), (20, 0))
)
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
PAUSE_CHOICES = (1, 3, 7, 14)


def ask_time(content: Content) -> tuple[str, Markup]:
    buttons = [button(format_time(t), cb.ChooseTime(t)) for t in COMMON_TIMES]
    markup = rows(buttons, 3)
    typed = button(content.labels("button_type_time"), cb.ChooseTime(None))
    return content.messages("ask_time"), InlineKeyboardMarkup([*markup.inline_keyboard, [typed]])


def ask_zone(content: Content) -> tuple[str, Markup]:
    buttons = [button(zone, cb.ChooseZone(zone)) for zone in COMMON_ZONES]
    markup = rows(buttons, 2)
    label = content.labels
    other_ways = [
        button(label("button_share_location"), cb.FindZone(cb.ZoneWay.LOCATION)),
        button(label("button_local_time"), cb.FindZone(cb.ZoneWay.CLOCK)),
    ]
    typed = button(label("button_type_zone"), cb.ChooseZone(None))
    keyboard = [*markup.inline_keyboard, other_ways, [typed]]
    return content.messages("ask_zone"), InlineKeyboardMarkup(keyboard)


def zone_suggestion(content: Content, text: str, suggestion: str) -> tuple[str, Markup]:
    message = content.messages("bad_zone_suggest", text=escape(text), suggestion=escape(suggestion))
    label = content.labels("button_use_zone", zone=suggestion)
    return message, InlineKeyboardMarkup([[button(label, cb.ChooseZone(suggestion))]])


def schedule_confirmed(
    content: Content, routine: Routine, at: time, zone: str, next_day: date, days: int = EVERY_DAY
) -> str:
    return content.messages(
        "schedule_confirmed",
        routine=escape(routine.name),
        days=describe_days(content, days),
        time=format_time(at),
        zone=escape(zone),
        next_date=day_label(content, next_day),
    )


def setup_step(content: Content, step: SetupStep) -> tuple[str, ReplyMarkup]:
    """Ask for whatever the schedule still lacks, or confirm it once complete (taking away
    the location request's reply keyboard, if it was shown)."""
    match step.need:
        case SetupNeed.ROUTINE:
            return content.messages("routine_none"), routine_buttons(content)
        case SetupNeed.TIME:
            return ask_time(content)
        case SetupNeed.ZONE:
            return ask_zone(content)
        case SetupNeed.RED_FLAG:  # stopped by a red flag at check-in until /resume
            return content.messages("saved_red_flag"), ReplyKeyboardRemove()
    assert step.routine_id and step.reminder_time and step.timezone and step.next_day
    routine = content.routines[step.routine_id]
    text = schedule_confirmed(
        content, routine, step.reminder_time, step.timezone, step.next_day, step.days
    )
    return text, ReplyKeyboardRemove()


def settings(content: Content, view: SettingsView) -> str:
    """Routine, time, zone, days and reminder status (the menu goes with it)."""
    m = content.messages
    match view.standing:
        case Standing.RED_FLAG:
            status = m("status_red_flag")
        case Standing.UNSCHEDULED:
            status = m("status_unscheduled")
        case Standing.PAUSED:
            assert view.paused_through is not None
            status = m("status_paused", until=day_label(content, view.paused_through))
        case _:
            status = m("status_active")
    return m(
        "settings",
        routine=escape(content.routines[view.routine_id].name) if view.routine_id else "–",
        time=format_time(view.reminder_time) if view.reminder_time else "–",
        zone=escape(view.timezone or "–"),
        days=describe_days(content, view.days),
        second=describe_second(content, view.second_reminder_hours),
        status=status,
        next=(
            f"{day_label(content, view.next_day)}, {format_time(view.reminder_time)}"
            if view.next_day and view.reminder_time
            else "–"
        ),
    )


def describe_days(content: Content, days: int) -> str:
    if days & EVERY_DAY in (EVERY_DAY, 0):
        return content.labels("every_day")
    if days == WEEKDAYS:
        return content.labels("weekdays_range")
    names = content.names.weekdays_short
    return ", ".join(name for i, name in enumerate(names) if days >> i & 1)


def describe_second(content: Content, hours: int | None) -> str:
    m = content.messages
    return m("second_on", hours=hours) if hours else m("second_off")


def ask_days(content: Content, days: int) -> tuple[str, Markup]:
    label = content.labels
    return content.messages("days_ask", days=describe_days(content, days)), InlineKeyboardMarkup(
        [
            [
                button(label("button_every_day"), cb.ChooseDays(EVERY_DAY, True)),
                button(label("button_weekdays"), cb.ChooseDays(WEEKDAYS, True)),
            ],
            [button(label("button_choose_days"), cb.ChooseDays(days, False))],
        ]
    )


def days_picker(content: Content, days: int) -> tuple[str, Markup]:
    """Seven toggles (each button carries the set it would make) and Save."""
    toggles = [
        button(chosen(content, name, bool(days >> i & 1)), cb.ChooseDays(days ^ (1 << i), False))
        for i, name in enumerate(content.names.weekdays_short)
    ]
    markup = rows(toggles, 4)
    text = content.messages("days_pick", days=describe_days(content, days) if days else "–")
    save = button(content.labels("button_save"), cb.ChooseDays(days, True))
    return text, InlineKeyboardMarkup([*markup.inline_keyboard, [save]])


def second_reminder_choices(content: Content) -> InlineKeyboardMarkup:
    label = content.labels
    return rows(
        [
            button(
                label("button_second_off")
                if hours == 0
                else label("button_second_after", hours=hours),
                cb.SecondReminder(hours),
            )
            for hours in cb.SECOND_REMINDER_HOURS
        ],
        2,
    )


def pause_choices(content: Content) -> tuple[str, Markup]:
    buttons = [button(days(content, n), cb.Pause(n)) for n in PAUSE_CHOICES]
    return content.messages("pause_ask"), rows(buttons, 4)


def settings_menu(content: Content) -> InlineKeyboardMarkup:
    label = content.labels
    return InlineKeyboardMarkup(
        [
            [
                button(label("button_menu_time"), cb.Menu(cb.MenuItem.TIME)),
                button(label("button_menu_zone"), cb.Menu(cb.MenuItem.ZONE)),
            ],
            [
                button(label("button_menu_routine"), cb.Menu(cb.MenuItem.ROUTINE)),
                button(label("button_menu_quiz"), cb.Menu(cb.MenuItem.QUIZ)),
            ],
            [
                button(label("button_menu_progress"), cb.Menu(cb.MenuItem.PROGRESS)),
                button(label("button_menu_today"), cb.Menu(cb.MenuItem.TODAY)),
            ],
            [
                button(label("button_menu_summary"), cb.Menu(cb.MenuItem.SUMMARY)),
                button(label("button_report"), cb.SendFile(cb.FileKind.REPORT)),
            ],
            [
                button(label("button_menu_days"), cb.Menu(cb.MenuItem.DAYS)),
                button(label("button_menu_language"), cb.Menu(cb.MenuItem.LANGUAGE)),
            ],
        ]
    )


def delete_confirm(content: Content) -> tuple[str, Markup]:
    label = content.labels
    return content.messages("delete_ask"), InlineKeyboardMarkup(
        [
            [button(label("button_delete_yes"), cb.DeleteData(True))],
            [button(label("button_delete_no"), cb.DeleteData(False))],
        ]
    )
