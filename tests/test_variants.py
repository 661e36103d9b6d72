"""The ladder of variants: "This hurts" steps to an easier form, progression climbs back."""

from bot.content import load_content
from bot.domain.variants import (
    Choice,
    PlanStep,
    easier,
    initial_variants,
    plan,
    step_down,
    step_up,
)

LADDERS = load_content().ladders


def test_the_plan_follows_the_routine_and_uses_the_users_choices():
    routine = ("soft-tissue", "glute-bridge", "lateral-lunge")
    assert plan(routine, {}) == (
        PlanStep("soft-tissue", "soft-tissue", 1),
        PlanStep("glute-bridge", "glute-bridge", 1),
        PlanStep("lateral-lunge", "lateral-lunge", 1),
    )
    chosen = plan(
        routine,
        {"lateral-lunge": Choice("supported-side-step"), "soft-tissue": Choice("soft-tissue", 2)},
    )
    assert [(s.exercise_id, s.level) for s in chosen] == [
        ("soft-tissue", 2),
        ("glute-bridge", 1),
        ("supported-side-step", 1),
    ]


def test_an_easier_variant_already_in_the_routine_is_not_done_twice():
    routine = ("soft-tissue", "figure-four", "chair-pigeon")
    steps = plan(routine, {"chair-pigeon": Choice("figure-four")})
    assert [s.exercise_id for s in steps] == ["soft-tissue", "figure-four"]


def test_this_hurts_swaps_in_the_easier_form_or_says_there_is_none():
    assert easier(Choice("lateral-lunge", 2), LADDERS) == Choice("supported-side-step", 1)
    assert easier(Choice("hip-flexor-release"), LADDERS) == Choice("chair-hip-flexor", 1)
    assert easier(Choice("supported-side-step"), LADDERS) is None
    assert easier(Choice("soft-tissue"), LADDERS) is None


def test_moving_up_adds_a_level_then_returns_to_the_sources_exercise():
    assert step_up("glute-bridge", Choice("glute-bridge", 1), LADDERS) == Choice("glute-bridge", 2)
    assert step_up("glute-bridge", Choice("glute-bridge", 2), LADDERS) == Choice("glute-bridge", 2)
    assert step_up("glute-bridge", Choice("small-bridge"), LADDERS) == Choice("glute-bridge", 1)
    assert step_up("chair-pigeon", Choice("figure-four"), LADDERS) == Choice("chair-pigeon", 1)
    # A harder variant already in the routine is not swapped in twice.
    assert step_up("supported-side-step", Choice("supported-side-step"), LADDERS) == Choice(
        "lateral-lunge"
    )
    assert step_up(
        "supported-side-step", Choice("supported-side-step"), LADDERS, avoid=["lateral-lunge"]
    ) == Choice("supported-side-step")


def test_moving_down_drops_a_level_then_swaps_in_the_easier_form():
    assert step_down(Choice("lateral-lunge", 2), LADDERS) == Choice("lateral-lunge", 1)
    assert step_down(Choice("lateral-lunge", 1), LADDERS) == Choice("supported-side-step", 1)
    assert step_down(Choice("figure-four", 1), LADDERS) == Choice("figure-four", 1)


START_EASIER = load_content().start_easier


def test_shaky_balance_starts_on_the_supported_side_step_and_can_move_up_to_the_lunge():
    choices = initial_variants(["single_leg_balance"], START_EASIER)
    assert choices == {"lateral-lunge": Choice("supported-side-step", 1)}
    steady = load_content().routines["steady-hips"].exercises
    assert "supported-side-step" in [s.exercise_id for s in plan(steady, choices)]
    assert "lateral-lunge" not in [s.exercise_id for s in plan(steady, choices)]
    assert step_up("lateral-lunge", choices["lateral-lunge"], LADDERS) == Choice("lateral-lunge")


def test_knee_pain_in_hip_stretches_starts_on_the_standing_hip_flexor_stretch():
    choices = initial_variants(["pigeon_knee_pain", "sitting_stairs"], START_EASIER)
    assert choices == {"hip-flexor-release": Choice("chair-hip-flexor", 1)}
    desk = load_content().routines["desk-hips"].exercises
    assert [s.exercise_id for s in plan(desk, choices)][1] == "chair-hip-flexor"


def test_signs_without_gentler_starts_change_nothing():
    assert initial_variants([], START_EASIER) == {}
    assert initial_variants(["knees_cave_in", "front_hip_tight"], START_EASIER) == {}
    both = initial_variants(["pigeon_knee_pain", "single_leg_balance"], START_EASIER)
    assert set(both) == {"hip-flexor-release", "lateral-lunge"}
