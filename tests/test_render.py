"""Rendered messages: every session fits one Telegram message and carries the safety notes."""

import re
from datetime import date

import pytest

from bot import render
from bot.content import load_content
from bot.domain.variants import Choice, PlanStep, easier_path, plan
from tests.fake_telegram import _parse_text

CONTENT = load_content()
TELEGRAM_LIMIT = 4096


CARD_VISIBLE_LIMIT = 1000  # what the user sees before opening the folded cues
CARD_BUTTON_LIMIT = 8
COLLAPSED_QUOTE_LINES = 3  # a collapsed expandable quote shows about this many lines
QUOTE = re.compile(r"<blockquote expandable>(.*?)</blockquote>", re.S)


def visible(html_text: str) -> tuple[str, str]:
    """(what a phone shows before the folded quote is opened, the whole text), as plain text.

    The card's text outside the expandable quote counts in full, and of the quote its first
    lines, which Telegram shows while it is collapsed; the whole text counts to the 4,096 limit.
    """
    whole, error = _parse_text(html_text, "HTML")
    assert error is None, error
    folded = QUOTE.search(html_text)
    assert folded is not None, "the cues are folded in an expandable quote"
    outside, _ = _parse_text(QUOTE.sub("", html_text), "HTML")
    quote, _ = _parse_text(folded[1], "HTML")
    return outside + "\n".join(quote.splitlines()[:COLLAPSED_QUOTE_LINES]), whole


def plans(routine_id: str) -> list[tuple[str, tuple[PlanStep, ...]]]:
    """The routine as written, and every exercise of it in every variant at every level (the
    other exercises as written), and every exercise at its top level at once."""
    routine = CONTENT.routines[routine_id]
    out = [("as written", CONTENT.default_plan(routine))]
    ladders = CONTENT.ladders
    for slot in routine.exercises:
        forms = [*easier_path(slot, ladders)]
        if (harder := ladders[slot].harder) is not None:
            forms.append(harder)
        for form in forms:
            for level in range(1, ladders[form].levels + 1):
                steps = plan(routine.exercises, {slot: Choice(form, level)})
                out.append((f"{slot} as {form} level {level}", steps))
    top = {s: Choice(s, ladders[s].levels) for s in routine.exercises}
    out.append(("every exercise at its top level", plan(routine.exercises, top)))
    return out


CASES = [(r, name, steps) for r in CONTENT.routines for name, steps in plans(r)]


@pytest.mark.parametrize(
    ("routine_id", "name", "steps"),
    CASES,
    ids=[f"{r}: {n}" for r, n, _ in CASES],
)
@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("webapp", [None, "https://hipcheck.example.org/app/"])
def test_every_session_card_fits_a_phone_and_carries_the_doctor_note_and_stop_cue(
    routine_id, name, steps, late, webapp
):
    routine = CONTENT.routines[routine_id]
    text, markup = render.session(
        CONTENT, routine, date(2026, 11, 21), late=late, steps=steps, webapp=webapp
    )
    seen, whole = visible(text)
    assert len(whole) <= TELEGRAM_LIMIT
    assert len(seen) <= CARD_VISIBLE_LIMIT, f"{len(seen)} characters before the cues open"
    assert _parse_text(CONTENT.messages("doctor_note"), "HTML")[0] in seen
    assert _parse_text(CONTENT.messages("stop_cue"), "HTML")[0] in seen
    assert f"about {CONTENT.plan_duration(steps).label} min" in seen
    for number, step in enumerate(steps, start=1):
        exercise = CONTENT.exercises[step.exercise_id]
        dose = exercise.level(step.level).dose
        assert f"{number}. {exercise.name} · {dose}" in seen.splitlines()  # one line each
        cues = [f"  {i}. {cue}" for i, cue in enumerate(exercise.cues, start=1)]
        assert all(cue in whole for cue in cues)  # every cue numbered, one tap away
    assert markup is not None
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert len(labels) <= CARD_BUTTON_LIMIT
    assert CONTENT.labels("button_rate_pain") in labels
    assert not any(label.isdigit() for label in labels)  # the pain scale waits for a tap
    opens_page = [b for row in markup.inline_keyboard for b in row if b.web_app is not None]
    assert len(opens_page) == (webapp is not None)  # the Mini App's guided page, when on


def test_values_are_escaped_so_user_text_cannot_break_the_html():
    text = render.welcome(CONTENT, "<b>Eve & co</b>")
    assert "&lt;b&gt;Eve &amp; co&lt;/b&gt;" in text
