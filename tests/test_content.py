"""The shipped content (content/*.yaml) loads, is safe, and broken content fails loudly."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import (
    DEFAULT_CONTENT_DIR,
    MESSAGE_FIELDS,
    Content,
    ContentError,
    ExerciseKind,
    load_content,
)
from bot.domain.triage import Verdict

QUIZ_IDS = (
    "sitting_stairs",
    "front_hip_tight",
    "pigeon_knee_pain",
    "single_leg_balance",
    "knees_cave_in",
)
EXERCISE_IDS = {
    "soft-tissue",
    "hip-flexor-release",
    "glute-bridge",
    "lateral-lunge",
    "figure-four",
    "chair-pigeon",
    "supported-side-step",
    "chair-hip-flexor",
    "small-bridge",
    "single-leg-stance",
}
# "This hurts" on a routine exercise swaps in this one.
EASIER = {
    "lateral-lunge": "supported-side-step",
    "hip-flexor-release": "chair-hip-flexor",
    "glute-bridge": "small-bridge",
    "chair-pigeon": "figure-four",
}
# Realistic stand-ins for the values the bot passes in (already escaped and formatted).
DUMMY_VALUES: dict[str, str] = {
    "name": "Ana &amp; Bo",
    "k": "2",
    "n": "5",
    "count": "2 of 5",
    "routine": "Desk-sitter hip opener",
    "text": "25:99",
    "suggestion": "Europe/Berlin",
    "offset": "UTC+02:00",
    "hold": "first side, hold 2 of 3",
    "time": "07:30",
    "zone": "Europe/Berlin",
    "next_date": "Mon 23 Nov",
    "minutes": "12",
    "date": "Mon 23 Nov",
    "streak": "3 days",
    "pain": "4/10",
    "status": "active",
    "next": "Mon 23 Nov",
    "until": "Mon 23 Nov",
    "current": "3 days",
    "best": "5 days",
    "week": "3",
    "month": "11",
    "rate": "86%",
    "calendar": "<pre>✅ ✅ ⏭ ✖ · · ·</pre>",
    "done": "5",
    "period": "Sun 13 Dec – Sat 19 Dec",
    "days": "7",
    "previous": "3.5/10",
    "day": "Sunday",
    "seconds": "30",
    "exercise": "Side lunge",
    "easier": "Supported side step",
    "lines": "<b>Sat 21 Nov</b> · ✅ done",
    "second": "off",
    "hours": "2",
    "changes": "• Glute bridge: 2–3 sets of 10–12 reps → 3 sets of 12 reps",
}
ALLOWED_TAGS = {"b", "i"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


# --- the shipped content ---------------------------------------------------------------------


def test_shipped_content_loads(content: Content) -> None:
    assert set(content.exercises) == EXERCISE_IDS
    assert len(content.routines) >= 4
    assert set(content.messages.templates) == set(MESSAGE_FIELDS)


def test_every_routine_uses_known_exercises_and_starts_with_soft_tissue(content: Content) -> None:
    for routine in content.routines.values():
        assert routine.exercises, routine.id
        assert routine.exercises[0] == "soft-tissue", routine.id
        for exercise_id in routine.exercises:
            assert exercise_id in content.exercises, (routine.id, exercise_id)
        # Soft tissue comes before any stretching, and only once.
        assert routine.exercises.count("soft-tissue") == 1, routine.id
        assert content.routine_duration(routine).low >= 5 * 60, routine.id
        assert content.routine_duration(routine).high <= 30 * 60, routine.id


def test_no_exercise_is_full_pigeon(content: Content) -> None:
    for exercise in content.exercises.values():
        assert exercise.id != "pigeon"
        assert "full pigeon" not in exercise.name.lower()
        assert "deep pigeon" not in exercise.name.lower()
    pigeon = content.exercises["chair-pigeon"]
    assert pigeon.kind is ExerciseKind.STRETCH
    assert any("chair" in c.lower() or "couch" in c.lower() for c in pigeon.cues)


def test_exactly_one_general_routine(content: Content) -> None:
    general = [r for r in content.routines.values() if r.general]
    assert len(general) == 1
    assert content.general_routine is general[0]


def test_quiz_has_the_five_signs_in_order(content: Content) -> None:
    assert tuple(q.id for q in content.quiz.questions) == QUIZ_IDS
    for question in content.quiz.questions:
        assert question.text.rstrip().endswith("?"), question.id
        # Never a diagnosis: the explanation hedges.
        assert re.search(r"\b(may|can)\b", question.why), question.id


def test_every_sign_has_a_routine(content: Content) -> None:
    covered = {sign for r in content.routines.values() for sign in r.signs}
    assert covered == set(QUIZ_IDS)


def test_pigeon_sign_routine_stays_gentle(content: Content) -> None:
    for routine in content.routines.values():
        if "pigeon_knee_pain" in routine.signs:
            assert set(routine.exercises) <= {"soft-tissue", "figure-four", "chair-pigeon"}


def test_exercise_doses_and_cues_follow_the_source(content: Content) -> None:
    ex = content.exercises
    assert ex["soft-tissue"].kind is ExerciseKind.SOFT_TISSUE
    assert "30–60" in ex["soft-tissue"].dose
    assert len(ex["soft-tissue"].cues) >= 5
    regions = ("glutes", "outer thigh", "inner thigh", "quads", "hamstrings")
    for region in regions:
        assert any(region in c.lower() for c in ex["soft-tissue"].cues), region
    assert ex["glute-bridge"].dose == "2–3 sets of 10–12 reps"
    assert ex["lateral-lunge"].dose == "2–3 sets of 8–10 reps per side"
    for exercise in ex.values():
        assert 3 <= len(exercise.cues) <= 7, exercise.id
        for cue in exercise.cues:
            assert not re.match(r"^\s*\d+[.)]", cue), (exercise.id, cue)
        if exercise.general_guidance:
            assert any(c.startswith("General guidance:") for c in exercise.cues), exercise.id
    assert ex["hip-flexor-release"].general_guidance


def test_easier_variants_are_gentler_supported_forms_of_the_same_kind(content: Content) -> None:
    ex = content.exercises
    assert {e.id: e.easier for e in ex.values() if e.easier} == EASIER
    for original, variant in EASIER.items():
        assert ex[variant].kind is ex[original].kind
        assert len(ex[variant].levels) == 1, variant  # one gentle dose
    # The invented easier forms say they are general guidance and lead back to the source's.
    for variant in ("supported-side-step", "chair-hip-flexor", "small-bridge"):
        assert ex[variant].general_guidance, variant
        assert ex[variant].harder in EASIER, variant
        assert ex[ex[variant].harder].easier == variant
    assert "chair" in ex["chair-hip-flexor"].name.lower()
    assert "supported" in ex["supported-side-step"].name.lower()


def test_levels_add_sets_or_time_within_the_sources_doses(content: Content) -> None:
    ex = content.exercises
    assert [lv.dose for lv in ex["glute-bridge"].levels] == [
        "2–3 sets of 10–12 reps",
        "3 sets of 12 reps",
    ]
    assert [lv.dose for lv in ex["lateral-lunge"].levels] == [
        "2–3 sets of 8–10 reps per side",
        "3 sets of 10 reps per side",
    ]
    assert [lv.hold_seconds for lv in ex["soft-tissue"].levels] == [30, 60]
    for exercise in ex.values():
        timed = exercise.kind in (
            ExerciseKind.SOFT_TISSUE,
            ExerciseKind.STRETCH,
            ExerciseKind.BALANCE,
        )
        for level in exercise.levels:
            # Holds, balance and soft-tissue work get a 30–60 s timer in guided mode; reps none.
            assert (level.hold_seconds is not None) == timed, exercise.id
            if timed:
                assert level.hold_seconds is not None and 30 <= level.hold_seconds <= 60


def test_every_message_formats_with_its_fields(content: Content) -> None:
    for key, fields in MESSAGE_FIELDS.items():
        text = content.messages(key, **{f: DUMMY_VALUES[f] for f in fields})
        assert text.strip(), key
        # Only the tags we allow, balanced; no raw '&' or '<' outside tags and entities.
        template = content.messages.templates[key]
        stack: list[str] = []
        for closing, tag in re.findall(r"<(/?)([a-z]+)>", template):
            assert tag in ALLOWED_TAGS, (key, tag)
            if closing:
                assert stack, key
                assert stack.pop() == tag, key
            else:
                stack.append(tag)
        assert not stack, key
        bare = re.sub(r"</?[a-z]+>", "", template)
        assert "<" not in bare, key
        assert ">" not in bare, key
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;)", bare), key


def test_session_note_and_stop_cue_say_what_they_must(content: Content) -> None:
    assert "doctor" in content.messages("doctor_note").lower()
    assert "stop" in content.messages("stop_cue").lower()
    for advice in Verdict:  # every stop before the quiz says how to carry on
        if advice is not Verdict.CLEAR:
            assert "I have been cleared" in (content.triage.advice_text(advice) or ""), advice


# --- broken content --------------------------------------------------------------------------


def _broken(tmp_path: Path, filename: str, change: Callable[[Any], None]) -> Path:
    """Copy the shipped content, apply `change` to one file's data, and return the copy."""
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


def _error(directory: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_content(directory)
    return str(info.value)


def test_unchanged_copy_loads(tmp_path: Path) -> None:
    directory = _broken(tmp_path, "en/routines.yaml", lambda data: None)
    assert load_content(directory).routines.keys() == load_content().routines.keys()


def test_unknown_exercise_id_in_routine(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        data["routines"][1]["exercises"].append("moon-walk")

    shipped = yaml.safe_load(
        (DEFAULT_CONTENT_DIR / "en" / "routines.yaml").read_text(encoding="utf-8")
    )
    routine_id = shipped["routines"][1]["id"]
    message = _error(_broken(tmp_path, "en/routines.yaml", change))
    assert "routines.yaml" in message
    assert routine_id in message
    assert "moon-walk" in message


def test_exercise_without_cues(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        entry = next(e for e in data["exercises"] if e["id"] == "glute-bridge")
        del entry["cues"]

    message = _error(_broken(tmp_path, "en/exercises.yaml", change))
    assert "exercises.yaml" in message
    assert "glute-bridge" in message
    assert "cues" in message


def test_routine_with_no_exercises(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        entry = next(r for r in data["routines"] if r["id"] == "gentle-stretch")
        entry["exercises"] = []

    message = _error(_broken(tmp_path, "en/routines.yaml", change))
    assert "routines.yaml" in message
    assert "gentle-stretch" in message
    assert "exercises" in message


def test_message_with_unknown_placeholder(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        data["messages"]["welcome"] = "Hi {name}, your {favourite_colour} routine is ready."

    message = _error(_broken(tmp_path, "en/messages.yaml", change))
    assert "messages.yaml" in message
    assert "welcome" in message
    assert "favourite_colour" in message


def test_missing_message_key(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        del data["messages"]["pain_high"]

    message = _error(_broken(tmp_path, "en/messages.yaml", change))
    assert "messages.yaml" in message
    assert "pain_high" in message


def test_invalid_yaml(tmp_path: Path) -> None:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    (directory / "en" / "quiz.yaml").write_text(
        "questions: [unclosed\n  - id: x\n", encoding="utf-8"
    )
    message = _error(directory)
    assert "quiz.yaml" in message
    assert "YAML" in message


def test_a_message_key_given_twice_is_refused_with_file_key_and_line(tmp_path: Path) -> None:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "en" / "messages.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("messages:\n") + 1  # a second stop_cue, pasted at the top, first wins
    lines.insert(at, '  stop_cue: "Carry on whatever happens."\n')
    path.write_text("".join(lines), encoding="utf-8")
    message = _error(directory)
    assert "messages.yaml" in message
    assert "duplicate key 'stop_cue'" in message
    assert f"line {at + 1}" in message


def test_a_key_given_twice_inside_an_entry_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "en" / "routines.yaml"
    text = path.read_text(encoding="utf-8")
    first_id = next(line for line in text.splitlines() if line.lstrip().startswith("- id:"))
    indent = " " * (len(first_id) - len(first_id.lstrip()) + 2)
    path.write_text(text.replace(first_id, f"{first_id}\n{indent}id: other", 1), "utf-8")
    message = _error(directory)
    assert "routines.yaml" in message
    assert "duplicate key 'id'" in message


def test_routine_starting_with_a_stretch(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        entry = next(r for r in data["routines"] if r["id"] == "gentle-stretch")
        entry["exercises"] = ["figure-four", "soft-tissue"]

    message = _error(_broken(tmp_path, "en/routines.yaml", change))
    assert "routines.yaml" in message
    assert "gentle-stretch" in message
    assert "soft-tissue" in message


def test_full_pigeon_is_rejected(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        entry = next(e for e in data["exercises"] if e["id"] == "chair-pigeon")
        entry["name"] = "Full pigeon pose"

    message = _error(_broken(tmp_path, "en/exercises.yaml", change))
    assert "exercises.yaml" in message
    assert "chair-pigeon" in message


@pytest.mark.parametrize(
    ("exercise_id", "change", "expected"),
    [
        ("lateral-lunge", {"easier": "moon-walk"}, "unknown easier variant 'moon-walk'"),
        ("figure-four", {"harder": "glute-bridge"}, "different kind"),
        ("supported-side-step", {"easier": "lateral-lunge"}, "loop"),
        ("glute-bridge", {"easier": "supported-side-step"}, "names 'lateral-lunge' as harder"),
        ("glute-bridge", {"levels": []}, "levels"),
        ("figure-four", {"levels": [{"dose": "hold", "hold_seconds": 600}]}, "hold_seconds"),
    ],
)
def test_broken_variants_and_levels_are_refused(
    tmp_path: Path, exercise_id: str, change: dict[str, Any], expected: str
) -> None:
    def apply(data: Any) -> None:
        next(e for e in data["exercises"] if e["id"] == exercise_id).update(change)

    message = _error(_broken(tmp_path, "en/exercises.yaml", apply))
    assert "exercises.yaml" in message
    assert exercise_id in message
    assert expected in message
