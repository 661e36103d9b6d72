"""The /language question: one button per language, each named in its own words."""

from __future__ import annotations

from bot import callbacks as cb
from bot.content import Content
from bot.render.common import Markup, button, chosen, rows


def language_choices(content: Content) -> tuple[str, Markup]:
    buttons = [
        button(
            chosen(content, other.language.name, other.code == content.code),
            cb.ChooseLanguage(other.code),
        )
        for other in content.languages
    ]
    return content.messages("language_ask"), rows(buttons, 3)
