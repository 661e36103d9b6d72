"""Quiz scoring and progress through the five questions."""

import pytest

from bot.domain.quiz import (
    RoutineTarget,
    blank_answers,
    clear_answer,
    next_question,
    recommend,
    record_answer,
)

QUESTIONS = [
    "sitting_stairs",
    "front_hip_tight",
    "pigeon_knee_pain",
    "single_leg_balance",
    "knees_cave_in",
]
ROUTINES = [
    RoutineTarget("desk-hips", ("sitting_stairs", "front_hip_tight")),
    RoutineTarget("knee-line", ("knees_cave_in",)),
    RoutineTarget("steady-hips", ("single_leg_balance",)),
    RoutineTarget("gentle-stretch", ("pigeon_knee_pain",)),
    RoutineTarget("all-round", ()),
]


def test_answers_fill_in_order_and_back_reopens_the_previous_question():
    answers = blank_answers(5)
    assert next_question(answers) == 0
    answers = record_answer(answers, 0, True)
    answers = record_answer(answers, 1, False)
    assert (answers, next_question(answers)) == ("yn---", 2)
    answers = clear_answer(answers, 1)
    assert (answers, next_question(answers)) == ("y----", 1)


def test_a_complete_quiz_has_no_next_question():
    assert next_question("ynyny") is None


@pytest.mark.parametrize(
    ("answers", "routine", "signs"),
    [
        ("yynnn", "desk-hips", ("sitting_stairs", "front_hip_tight")),
        ("nnnny", "knee-line", ("knees_cave_in",)),
        ("nnnyn", "steady-hips", ("single_leg_balance",)),
        ("nnynn", "gentle-stretch", ("pigeon_knee_pain",)),
        # One sign each for two routines: the earlier routine wins the tie.
        ("ynnny", "desk-hips", ("sitting_stairs", "knees_cave_in")),
        # Two desk signs outweigh one knee sign.
        ("yynny", "desk-hips", ("sitting_stairs", "front_hip_tight", "knees_cave_in")),
    ],
)
def test_the_routine_answering_most_yes_signs_is_recommended(answers, routine, signs):
    result = recommend(answers, QUESTIONS, ROUTINES, "all-round")
    assert result.routine_id == routine
    assert result.yes_signs == signs
    assert result.points_at_hips


def test_no_yes_at_all_gets_the_general_routine_and_no_hip_claim():
    result = recommend("nnnnn", QUESTIONS, ROUTINES, "all-round")
    assert result.routine_id == "all-round"
    assert not result.points_at_hips


def test_answering_outside_the_quiz_is_an_error():
    with pytest.raises(IndexError):
        record_answer("-----", 5, True)


def test_sign_changes_pair_each_answer_with_the_earlier_one():
    from bot.domain.quiz import SignChange, sign_changes

    ids = ["a", "b", "c"]
    assert sign_changes("yn-", "nny", ids) == (
        SignChange("a", True, False),
        SignChange("b", False, False),
        SignChange("c", None, True),
    )


def test_the_recheck_is_due_four_weeks_after_the_quiz_and_offered_once_per_four_weeks():
    from datetime import date, timedelta

    from bot.domain.quiz import recheck_due

    quiz_day, today = date(2026, 10, 24), date(2026, 11, 21)  # exactly four weeks
    assert recheck_due(quiz_day, None, today)
    assert not recheck_due(quiz_day, None, today - timedelta(days=1))
    assert not recheck_due(None, None, today)
    assert not recheck_due(quiz_day, today - timedelta(days=3), today)
    assert recheck_due(quiz_day, today - timedelta(weeks=4), today)
