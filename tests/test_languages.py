"""Languages: each directory under content/ mirrors English (keys, placeholders, HTML tags,
non-text values), a mismatch stops start-up naming file, language and key, and the safety
texts survive in every language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import render
from bot.content import Content, ContentError, load_content
from bot.domain.triage import URGENCY
from tests.language_support import PREFIX, english_only, with_generated_language

SHIPPED = load_content()


def _broken(tmp_path: Path, file: str, change: Callable[[Any], None]) -> str:
    directory = with_generated_language(tmp_path)
    path = directory / "xx" / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(directory)
    return str(info.value)


def test_a_generated_language_loads_beside_english(tmp_path: Path) -> None:
    content = load_content(with_generated_language(tmp_path))
    xx = content.for_language("xx")
    assert [c.code for c in content.languages] == [*(c.code for c in SHIPPED.languages), "xx"]
    assert xx.messages("doctor_note").startswith(PREFIX)
    assert xx.routines.keys() == content.routines.keys()
    assert content.for_language("xx-YY").code == "en"  # only exact codes; Telegram's mapped below
    assert content.supported("xx-YY") == "xx" and content.supported("fr") is None


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "messages.yaml",
            lambda d: d["messages"].pop("welcome"),
            "key 'messages.welcome': missing",
        ),
        (
            "labels.yaml",
            lambda d: d["labels"].update(button_extra="x"),
            "key 'labels.button_extra': not in English",
        ),
        (
            "messages.yaml",
            lambda d: d["messages"].update(welcome="Hola {nombre}"),
            "key 'messages.welcome': placeholders ['nombre'], English has ['name']",
        ),
        (
            "messages.yaml",
            lambda d: d["messages"].update(
                session_done=d["messages"]["session_done"].replace("<b>", "")
            ),
            "key 'messages.session_done': HTML tags",
        ),
        (
            "routines.yaml",
            lambda d: d["routines"][0].update(exercises=["soft-tissue"]),
            "key 'routines[desk-hips].exercises': has 1 entries, English has",
        ),
        (
            "triage.yaml",
            lambda d: d["flags"][0].update(tier="doctor_today"),
            "must stay 'emergency_now'",
        ),
        (
            "exercises.yaml",
            lambda d: d["exercises"][0]["cues"].pop(),
            "key 'exercises[soft-tissue].cues': has",
        ),
        (
            "exercises.yaml",
            lambda d: d["exercises"][0]["levels"][0].update(holds=4),
            "key 'exercises[soft-tissue].levels[0].holds': must stay 9 as in English, not 4",
        ),
    ],
)
def test_a_translation_that_does_not_mirror_english_stops_start_up_naming_file_language_key(
    tmp_path: Path, file: str, change: Callable[[Any], None], expected: str
) -> None:
    message = _broken(tmp_path, file, change)
    assert message.startswith(f"xx/{file}: "), message
    assert expected in message, message


def test_a_language_may_choose_its_own_words_for_off(tmp_path: Path) -> None:
    directory = with_generated_language(tmp_path)
    path = directory / "xx" / "labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["names"]["off_words"] = ["aus"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_content(directory).for_language("xx").names.off_words == ("aus",)


def _all_languages(tmp_path: Path) -> list[Content]:
    return list(load_content(with_generated_language(tmp_path)).languages)


def test_every_session_card_in_every_language_carries_the_doctor_note_and_stop_cue(
    tmp_path: Path,
) -> None:
    for content in _all_languages(tmp_path):
        note, stop = content.messages("doctor_note"), content.messages("stop_cue")
        assert note.strip() and stop.strip()
        for routine in content.routines.values():
            for late in (False, True):
                text, _ = render.session(content, routine, date(2026, 11, 21), late=late)
                assert note in text and stop in text, (content.code, routine.id, late)


def test_every_red_flag_tier_has_its_message_and_flags_in_every_language(tmp_path: Path) -> None:
    english = SHIPPED.triage
    for content in _all_languages(tmp_path):
        triage = content.triage
        for tier in URGENCY:
            assert triage.advice[tier].strip(), (content.code, tier)
            flags = [flag.id for flag in triage.flags_of(tier)]
            assert flags and flags == [flag.id for flag in english.flags_of(tier)]
        assert content.messages("checkin_red_flag_stop").strip()


def test_dates_and_plurals_come_from_babel_in_each_language(tmp_path: Path) -> None:
    content = load_content(with_generated_language(tmp_path))
    day = date(2026, 11, 21)
    assert render.day_label(content, day) == "Sat 21 Nov"
    assert render.days(content, 1) == "1 day" and render.days(content, 3) == "3 days"
    assert render.days(content.for_language("xx"), 1) == f"{PREFIX}1 day"
    for code, label in (("es", "sáb, 21 nov"), ("de", "Sa., 21. Nov.")):
        if code in content.catalog.codes:
            assert render.day_label(content.for_language(code), day) == label


def test_summary_days_are_read_in_the_users_language_with_or_without_accents() -> None:
    if not {"es", "de"} <= set(SHIPPED.catalog.codes):
        pytest.skip("needs content/es and content/de")
    es, de = SHIPPED.for_language("es"), SHIPPED.for_language("de")
    assert render.parse_summary_day(es, "miercoles") == 2
    assert render.parse_summary_day(es, "Sábado") == 5
    assert render.parse_summary_day(de, "Mittwoch") == 2
    assert render.parse_summary_day(de, de.names.off_words[0]) is None


def test_every_session_card_in_every_language_fits_a_phone_and_one_message() -> None:
    from tests.fake_telegram import _parse_text
    from tests.test_render import CARD_VISIBLE_LIMIT, TELEGRAM_LIMIT, plans, visible

    for content in SHIPPED.languages:
        note = _parse_text(content.messages("doctor_note"), "HTML")[0]
        stop = _parse_text(content.messages("stop_cue"), "HTML")[0]
        for routine_id in content.routines:
            for name, steps in plans(routine_id):
                routine = content.routines[routine_id]
                text, _ = render.session(
                    content, routine, date(2026, 11, 21), late=True, steps=steps
                )
                seen, whole = visible(text)
                where = (content.code, routine_id, name)
                assert len(whole) <= TELEGRAM_LIMIT, (*where, len(whole))
                assert len(seen) <= CARD_VISIBLE_LIMIT, (*where, len(seen))
                assert note in seen and stop in seen, where


def test_python_m_bot_languages_lists_every_difference_at_once(tmp_path: Path, capsys) -> None:
    from bot.__main__ import main

    directory = with_generated_language(tmp_path)
    assert main(["languages", str(directory)]) == 0
    path = directory / "xx" / "messages.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["messages"]["welcome"], data["messages"]["help"]
    data["messages"]["stop_cue"] = "no tags, {nor} placeholders"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["languages", str(directory)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "xx/messages.yaml: key 'messages.welcome': missing (English has it)" in lines
    assert "xx/messages.yaml: key 'messages.help': missing (English has it)" in lines
    assert any(
        line.startswith("xx/messages.yaml: key 'messages.stop_cue': placeholders") for line in lines
    )


async def test_users_from_before_languages_keep_english_after_the_migration(tmp_path: Path) -> None:
    from sqlalchemy import text

    from bot.storage import migrate
    from bot.storage.db import Database

    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    try:
        await migrate.upgrade(db.engine, "006")
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (id, chat_id, created_at, active, screen) "
                    "VALUES (7, 7, '2026-11-01 08:00:00', 1, 'clear')"
                )
            )
        await migrate.upgrade(db.engine, "009")
        async with db.engine.connect() as connection:
            language = await connection.scalar(text("SELECT language FROM users WHERE id = 7"))
        assert language == "en"
    finally:
        await db.dispose()


def test_the_pdf_fonts_have_every_letter_of_every_language() -> None:
    from fontTools.ttLib import TTFont

    from bot.pdf import _FONT_DIR, _FONT_FILES

    letters = {
        c
        for content in SHIPPED.languages
        for text in [*content.messages.templates.values(), *content.labels.templates.values()]
        for c in text
        if c.isalpha()
    } | set("áéíóúñüäößÄÖÜ¿¡")
    for filename in _FONT_FILES.values():
        cmap = TTFont(str(_FONT_DIR / filename)).getBestCmap()
        assert sorted(c for c in letters if ord(c) not in cmap) == [], filename


def test_animations_carry_their_captions_in_each_language() -> None:
    for content in SHIPPED.languages:
        for exercise_id, demo in content.demos.items():
            expected = list(content.exercises[exercise_id].demo_cues)
            assert [key.cue for key in demo.keyframes] == expected, (content.code, exercise_id)
    english = SHIPPED.demos["glute-bridge"]
    spanish = SHIPPED.for_language("es").demos["glute-bridge"]
    assert english.keyframes[0].cue != spanish.keyframes[0].cue
    # Another picture, so another upload to Telegram (the file_id is stored by this hash).
    assert english.content_hash != spanish.content_hash


def test_captions_that_do_not_match_the_keyframes_stop_start_up_naming_the_exercise(
    tmp_path: Path,
) -> None:
    directory = english_only(tmp_path / "content")
    path = directory / "en" / "exercises.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bridge = next(e for e in data["exercises"] if e["id"] == "glute-bridge")
    bridge["demo_cues"] = bridge["demo_cues"][:1]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(directory)
    assert "en/exercises.yaml: exercise 'glute-bridge': demo_cues has 1 caption(s)" in str(
        info.value
    )
