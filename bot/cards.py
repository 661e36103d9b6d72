"""Session messages rendered once and reused: most users of a delivery pass share a card.

A session card depends on the routine, the user's forms and levels of its exercises, the day,
whether it is late and the user's language, and on nothing else of the user. Rendering one
(text, buttons and their callback data) cost more CPU than sending it, so the dispatcher keeps
the cards of a pass here, with the buttons already in the Bot API's JSON form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from telegram.ext import Defaults

from bot import botapi, render
from bot.content import Content
from bot.domain.variants import Choice, PlanStep, plan

MAX_CARDS = 512  # routines × variants × days × late: a pass needs a handful; a bound for safety


@dataclass(frozen=True, slots=True)
class Card:
    text: str
    reply_markup: dict[str, Any] | None  # the keyboard as the Bot API takes it
    defaults: Defaults | None = None  # the bot's, which `send_message` would add
    tail: bytes = field(default=b"", compare=False, repr=False)  # the JSON body after chat_id

    def __post_init__(self) -> None:
        object.__setattr__(self, "tail", botapi.encode(self.parameters())[1:])

    def body(self, chat_id: int) -> bytes:
        """sendMessage's JSON body for this chat, from the serialised card."""
        return b'{"chat_id":%d,%b' % (chat_id, self.tail)

    def parameters(self) -> dict[str, Any]:
        """sendMessage's parameters but the chat: the text, the keyboard, and the bot's
        defaults `send_message` would add (parse mode, link previews)."""
        found: dict[str, Any] = {"text": self.text, **botapi.text_defaults(self.defaults)}
        if self.reply_markup is not None:
            found["reply_markup"] = self.reply_markup
        return found


class SessionCards:
    """The session messages of one delivery pass, each rendered once."""

    def __init__(
        self, content: Content, *, webapp: str | None = None, defaults: Defaults | None = None
    ) -> None:
        self._content = content
        self._webapp = webapp  # the Mini App's address: the card's Guided button opens it
        self._defaults = defaults
        self._cards: dict[tuple[str, tuple[PlanStep, ...], date, bool, str], Card] = {}

    def card(
        self,
        routine_id: str,
        day: date,
        *,
        late: bool,
        choices: Mapping[str, Choice],
        language: str | None = None,
    ) -> Card:
        """The message for this routine as these choices make it, on `day`, in `language`."""
        content = self._content.for_language(language)
        routine = content.routines[routine_id]
        steps = plan(routine.exercises, choices)
        key = (routine_id, steps, day, late, content.code)
        found = self._cards.get(key)
        if found is None:
            text, markup = render.session(
                content, routine, day, late=late, steps=steps, webapp=self._webapp
            )
            found = Card(text, markup.to_dict() if markup is not None else None, self._defaults)
            if len(self._cards) >= MAX_CARDS:
                self._cards.clear()
            self._cards[key] = found
        return found

    def clear(self) -> None:
        self._cards.clear()
