"""The other ways to a time zone: the location request (a reply keyboard), the zone found at
a shared location, and the zones whose clocks read the typed local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot import callbacks as cb
from bot.content import Content
from bot.domain.schedule import format_time
from bot.domain.zones import ClockMatch, format_offset
from bot.render.common import Markup, button, escape, rows
from bot.render.schedule import ask_zone


def ask_location(content: Content) -> tuple[str, ReplyKeyboardMarkup]:
    """Telegram shows the location button in place of the keyboard; tapping it sends the
    user's location (after their phone asks them)."""
    share = KeyboardButton(content.labels("button_send_location"), request_location=True)
    keyboard = ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    return content.messages("ask_location"), keyboard


def location_zone(content: Content, zone: str | None, now: datetime) -> tuple[str, Markup]:
    """The zone at the shared location, to confirm; or the other choices when there is none."""
    if zone is None:
        return content.messages("location_no_zone"), ask_zone(content)[1]
    local = format_time(now.astimezone(ZoneInfo(zone)).time())
    label = content.labels
    return content.messages("location_zone", zone=escape(zone), time=local), InlineKeyboardMarkup(
        [
            [button(label("button_use_zone", zone=zone), cb.ChooseZone(zone))],
            [button(label("button_other_zone"), cb.Menu(cb.MenuItem.ZONE))],
        ]
    )


def clock_zones(content: Content, match: ClockMatch, typed: str) -> tuple[str, Markup]:
    """The zones whose clocks read the typed time now, one tap each to confirm."""
    m = content.messages
    if not match.zones:
        return m("clock_no_zone", time=escape(typed)), None
    offsets = " / ".join(format_offset(offset) for offset in match.offsets)
    markup = rows([button(zone, cb.ChooseZone(zone)) for zone in match.zones], 2)
    typed_button = button(content.labels("button_type_zone"), cb.ChooseZone(None))
    keyboard = [*markup.inline_keyboard, [typed_button]]
    return m("clock_zones", offset=offsets), InlineKeyboardMarkup(keyboard)
