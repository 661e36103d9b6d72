"""Rendered messages: every session fits one Telegram message and carries the safety notes."""

from datetime import date

import pytest

from bot import render
from bot.content import load_content

CONTENT = load_content()
TELEGRAM_LIMIT = 4096


@pytest.mark.parametrize("routine_id", list(CONTENT.routines))
@pytest.mark.parametrize("late", [False, True])
def test_every_session_fits_one_message_with_the_doctor_note_and_stop_cue(routine_id, late):
    routine = CONTENT.routines[routine_id]
    text, markup = render.session(CONTENT, routine, date(2026, 11, 21), late=late)
    assert len(text) <= TELEGRAM_LIMIT
    assert CONTENT.messages("doctor_note") in text
    assert CONTENT.messages("stop_cue") in text
    for exercise_id in routine.exercises:
        exercise = CONTENT.exercises[exercise_id]
        assert render.escape(exercise.dose) in text
        assert f"  {len(exercise.cues)}. " in text  # every cue is numbered
    assert markup is not None and len(markup.inline_keyboard) == 5  # actions, pain 0–10


def test_values_are_escaped_so_user_text_cannot_break_the_html():
    text = render.welcome(CONTENT, "<b>Eve & co</b>")
    assert "&lt;b&gt;Eve &amp; co&lt;/b&gt;" in text
