"""Exercise doses add up to honest session lengths, and the cues say what a careful physio would."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content import DEFAULT_CONTENT_DIR, Content, ContentError, ExerciseKind, load_content
from bot.domain.durations import REST_BETWEEN_SETS, Duration, Work, duration, fits, total
from bot.domain.variants import Choice, plan
from tests.language_support import english_only


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


# --- adding up the time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("work", "low", "high"),
    [
        # Nine soft-tissue spots (glutes, four areas on each thigh) at 30–60 s: 4.5–9 min.
        (Work(holds=9, seconds=(30, 60)), 270, 540),
        # Three directions on each side, 30 s each: 3 min.
        (Work(holds=3, seconds=(30, 30), sides=2), 180, 180),
        # 2–3 sets of 10–12 reps at 6 s a rep, with a rest between sets.
        (
            Work(sets=(2, 3), reps=(10, 12), rep_seconds=6),
            2 * 10 * 6 + REST_BETWEEN_SETS,
            3 * 12 * 6 + 2 * REST_BETWEEN_SETS,
        ),
        # Per side doubles the reps, not the rests.
        (Work(sets=(1, 1), reps=(8, 8), sides=2), 64, 64),
    ],
)
def test_a_dose_takes_the_time_its_numbers_add_up_to(work, low, high):
    assert duration(work) == Duration(low, high)


def test_lengths_read_in_whole_minutes_and_as_a_range_only_when_they_differ():
    assert Duration(270, 540).minutes == (5, 9)  # 4.5 rounds up
    assert Duration(270, 540).label == "5–9"
    assert Duration(600, 620).label == "10"
    assert Duration(10, 20).label == "1"  # never "0 min"
    assert total([Duration(60, 120), Duration(30, 30)]) == Duration(90, 150)
    assert fits(12, Duration(600, 996)) and not fits(18, Duration(600, 996))


def test_the_soft_tissue_warm_up_is_four_and_a_half_to_nine_minutes(content: Content) -> None:
    assert content.exercises["soft-tissue"].duration(1) == Duration(270, 540)
    assert content.exercises["soft-tissue"].duration(2) == Duration(540, 540)


def test_a_session_lasts_what_its_exercises_add_up_to_at_the_users_levels(
    content: Content,
) -> None:
    routine = content.routines["desk-hips"]
    ex = content.exercises
    as_written = content.routine_duration(routine)
    assert (
        as_written
        == ex["soft-tissue"].duration()
        + ex["hip-flexor-release"].duration()
        + ex["glute-bridge"].duration()
    )
    steps = plan(routine.exercises, {"soft-tissue": Choice("soft-tissue", 2)})
    assert content.plan_duration(steps).high == as_written.high
    assert content.plan_duration(steps).low > as_written.low


def test_the_session_message_states_the_added_up_length(content: Content) -> None:
    from datetime import date

    from bot import render

    routine = content.routines["desk-hips"]
    text, _ = render.session(content, routine, date(2026, 11, 21))
    assert f"about {content.routine_duration(routine).label} min" in text
    assert "about 10–17 min" in text


# --- the shipped cues -------------------------------------------------------------------------


def test_steady_hips_trains_balance_with_a_chair_to_hold(content: Content) -> None:
    routine = content.routines["steady-hips"]
    assert "single-leg-stance" in routine.exercises
    stance = content.exercises["single-leg-stance"]
    assert stance.kind is ExerciseKind.BALANCE
    assert stance.general_guidance
    assert "chair" in stance.name.lower()
    cues = " ".join(stance.cues).lower()
    assert "hold on" in cues and "lightly" in cues
    # Each level holds on less: both hands, one hand, hands hovering.
    doses = [level.dose for level in stance.levels]
    assert ["both hands" in doses[0], "one hand" in doses[1], "above" in doses[2]] == [True] * 3


def test_the_side_lunge_keeps_the_knee_in_line_with_the_toes(content: Content) -> None:
    cues = content.exercises["lateral-lunge"].cues
    assert any("in line with your toes" in c and c.startswith("General guidance:") for c in cues)


def test_foam_rolling_says_what_to_use_without_a_roller_and_when_not_to_roll(
    content: Content,
) -> None:
    soft = content.exercises["soft-tissue"]
    cues = " ".join(soft.cues).lower()
    for words in ("tennis ball", "hands", "bruises", "varicose veins", "recent injury"):
        assert words in cues, words
    assert "blood thinners" in cues and "doctor" in cues
    assert "general guidance" in cues
    assert sum("each thigh" in c for c in soft.cues) == 4  # outer, inner, front, back


def test_knees_caving_in_is_a_classic_sign_not_the_classic_hip_sign(content: Content) -> None:
    why = next(q.why for q in content.quiz.questions if q.id == "knees_cave_in")
    assert "a classic sign" in why
    assert "the classic hip sign" not in why


# --- broken content --------------------------------------------------------------------------


def _error(tmp_path: Path, filename: str, change: Any) -> str:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / filename
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(directory)
    return str(info.value)


def _entry(data: Any, key: str, entry_id: str) -> dict[str, Any]:
    return next(e for e in data[key] if e["id"] == entry_id)


def test_a_routine_whose_stated_length_does_not_add_up_is_refused(tmp_path: Path) -> None:
    message = _error(
        tmp_path, "en/routines.yaml", lambda d: _entry(d, "routines", "desk-hips").update(minutes=4)
    )
    assert message == (
        "en/routines.yaml: routines 'desk-hips': says 4 min, but its doses add up to 10–17 min"
    )


def test_a_stated_length_within_the_doses_is_accepted(tmp_path: Path) -> None:
    directory = tmp_path / "content"
    english_only(directory)
    path = directory / "en" / "routines.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _entry(data, "routines", "desk-hips")["minutes"] = 12
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_content(directory).routines["desk-hips"].minutes == 12


@pytest.mark.parametrize(
    ("exercise_id", "level", "expected"),
    [
        ("glute-bridge", {"dose": "2–3 sets of 10–12 reps", "sets": [2, 3]}, "reps"),
        (
            "glute-bridge",
            {"dose": "2–3 sets of 10–12 reps", "sets": [2, 3], "reps": [8, 10]},
            "does not say 8–10",
        ),
        ("figure-four", {"dose": "About 30 seconds per side", "holds": 1}, "seconds"),
        (
            "figure-four",
            {"dose": "About 30 seconds per side", "hold_seconds": 45, "holds": 1},
            "does not say 45",
        ),
    ],
)
def test_a_dose_whose_numbers_and_words_disagree_is_refused(
    tmp_path: Path, exercise_id: str, level: dict[str, Any], expected: str
) -> None:
    def change(data: Any) -> None:
        _entry(data, "exercises", exercise_id)["levels"] = [level]

    message = _error(tmp_path, "en/exercises.yaml", change)
    assert message.startswith(f"en/exercises.yaml: exercises '{exercise_id}': levels.0")
    assert expected in message


def test_a_gentler_start_must_be_an_easier_variant_of_that_exercise(tmp_path: Path) -> None:
    def change(data: Any) -> None:
        question = _entry(data, "questions", "single_leg_balance")
        question["start_easier"] = {"lateral-lunge": "small-bridge"}

    message = _error(tmp_path, "en/quiz.yaml", change)
    assert "quiz.yaml: questions 'single_leg_balance'" in message
    assert "'small-bridge' is not an easier variant of 'lateral-lunge'" in message
