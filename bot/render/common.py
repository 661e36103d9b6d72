"""What every message family shares: escaping, buttons, day labels and counted days, all in
the words of content/labels.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape as _html_escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot import callbacks as cb
from bot.content import Content
from bot.domain.history import DayRecord

Markup = InlineKeyboardMarkup | None
# A message may instead carry a reply keyboard (the location request) or take it away.
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def escape(text: str) -> str:
    """Escape text for Telegram HTML (quotes need no escaping outside attributes)."""
    return _html_escape(text, quote=False)


def button(label: str, callback: cb.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=cb.encode(callback))


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
    )


def chosen(content: Content, label: str, current: bool) -> str:
    """A choice's label, marked when it is the current one."""
    return content.labels("button_chosen", label=label) if current else label


def day_label(content: Content, day: date) -> str:
    """A day in the language's short form: "Sat 21 Nov", "sáb, 21 nov", "Sa., 21. Nov."."""
    return content.date(day, "MMMEd")


def days(content: Content, n: int) -> str:
    """ "1 day", "3 days", by the language's plural rule."""
    return content.labels.count("days", n)


def pain_change(record: DayRecord) -> str:
    """The day's pain before → after the session ("2 → 3"; "–" where not rated)."""
    before, after = record.pain_before, record.pain_after
    return f"{'–' if before is None else before} → {'–' if after is None else after}"
