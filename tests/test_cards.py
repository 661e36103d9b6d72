"""Session cards: rendered once per routine, choices, day and lateness, and exactly what
render.session would have sent."""

from __future__ import annotations

from datetime import date

import pytest

from bot import cards, render
from bot.cards import SessionCards
from bot.content import Content, load_content
from bot.domain.variants import Choice, plan

DAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def test_a_card_is_the_session_message_with_its_buttons_as_the_bot_api_takes_them(content):
    routine = content.routines["desk-hips"]
    choices = {"glute-bridge": Choice("glute-bridge", 2)}
    card = SessionCards(content).card("desk-hips", DAY, late=True, choices=choices)
    text, markup = render.session(
        content, routine, DAY, late=True, steps=plan(routine.exercises, choices)
    )
    assert markup is not None
    assert (card.text, card.reply_markup) == (text, markup.to_dict())


def test_users_sharing_routine_choices_and_day_share_one_rendering(content, monkeypatch):
    rendered = []
    real = render.session

    def counting(*args, **kwargs):
        rendered.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(cards.render, "session", counting)
    shelf = SessionCards(content)
    level_two = {"glute-bridge": Choice("glute-bridge", 2)}
    first = shelf.card("desk-hips", DAY, late=False, choices={})
    assert shelf.card("desk-hips", DAY, late=False, choices={}) is first
    assert shelf.card("desk-hips", DAY, late=False, choices=level_two) is not first
    assert shelf.card("desk-hips", DAY, late=True, choices={}) is not first
    assert shelf.card("knee-line", DAY, late=False, choices={}) is not first
    assert "Sun 22 Nov" in shelf.card("desk-hips", date(2026, 11, 22), late=False, choices={}).text
    assert len(rendered) == 5
    shelf.clear()
    shelf.card("desk-hips", DAY, late=False, choices={})
    assert len(rendered) == 6


def test_a_card_is_rendered_per_language_and_unknown_languages_get_english(content):
    shelf = SessionCards(content)
    english = shelf.card("desk-hips", DAY, late=False, choices={})
    assert shelf.card("desk-hips", DAY, late=False, choices={}, language="zz") is english
    for other in content.languages[1:]:
        card = shelf.card("desk-hips", DAY, late=False, choices={}, language=other.code)
        assert card is not english
        assert other.messages("doctor_note") in card.text
        assert other.routines["desk-hips"].name in card.text
