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


# Every one of the 32 ways to answer the five signs (in question order: sitting or stairs,
# front of the hip, pain in hip stretches, balance, knees caving in) and the routine each gets.
ROUTING = """
nnnnn all-round
ynnnn desk-hips
nynnn desk-hips
nnynn gentle-stretch
nnnyn steady-hips
nnnny knee-line
yynnn desk-hips
ynynn all-round
ynnyn all-round
ynnny all-round
nyynn all-round
nynyn all-round
nynny all-round
nnyyn all-round
nnyny all-round
nnnyy all-round
yyynn all-round
yynyn all-round
yynny all-round
ynyyn all-round
ynyny all-round
ynnyy all-round
nyyyn all-round
nyyny all-round
nynyy all-round
nnyyy all-round
yyyyn all-round
yyyny all-round
yynyy all-round
ynyyy all-round
nyyyy all-round
yyyyy all-round
"""
TABLE = [tuple(line.split()) for line in ROUTING.strip().splitlines()]


def test_the_routing_table_covers_all_32_answer_combinations_once():
    assert len({answers for answers, _ in TABLE}) == len(TABLE) == 32


@pytest.mark.parametrize(("answers", "routine"), TABLE)
def test_each_combination_of_answers_gets_its_routine(answers, routine):
    assert recommend(answers, QUESTIONS, ROUTINES, "all-round").routine_id == routine


@pytest.mark.parametrize(
    "answers", ["yyyyy", "yynny", "nnyyy"], ids=["five", "three-with-desk-pair", "three-other"]
)
def test_three_or_more_signs_get_the_all_round_routine_not_the_first_in_the_file(answers):
    result = recommend(answers, QUESTIONS, ROUTINES, "all-round")
    assert result.routine_id == "all-round"
    assert result.points_at_hips


def test_a_tie_between_two_routines_is_not_settled_by_their_order():
    # One sign for the desk routine and one for the knee routine: the same answer whichever
    # routine comes first.
    reordered = list(reversed(ROUTINES))
    for routines in (ROUTINES, reordered):
        assert recommend("ynnny", QUESTIONS, routines, "all-round").routine_id == "all-round"


def test_the_yes_signs_are_listed_in_question_order():
    result = recommend("ynnny", QUESTIONS, ROUTINES, "all-round")
    assert result.yes_signs == ("sitting_stairs", "knees_cave_in")


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
