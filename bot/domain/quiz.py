"""The five-sign quiz: progress through the questions and the routine it recommends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

UNANSWERED = "-"
RECHECK_EVERY = timedelta(weeks=4)


@dataclass(frozen=True, slots=True)
class RoutineTarget:
    """What the recommendation needs to know of a routine."""

    id: str
    signs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recommendation:
    routine_id: str
    yes_signs: tuple[str, ...]  # question ids answered "yes", in question order

    @property
    def points_at_hips(self) -> bool:
        return bool(self.yes_signs)


def blank_answers(count: int) -> str:
    return UNANSWERED * count


def record_answer(answers: str, index: int, yes: bool) -> str:
    """Return `answers` with question `index` (0-based) answered."""
    if not 0 <= index < len(answers):
        raise IndexError(index)
    return answers[:index] + ("y" if yes else "n") + answers[index + 1 :]


def next_question(answers: str) -> int | None:
    """Index of the first unanswered question, or None when the quiz is complete."""
    position = answers.find(UNANSWERED)
    return None if position < 0 else position


def yes_signs(answers: str, question_ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(q for q, a in zip(question_ids, answers, strict=True) if a == "y")


ALL_ROUND_FROM = 3  # this many "yes" signs or more: the all-round routine


def recommend(
    answers: str,
    question_ids: Sequence[str],
    routines: Sequence[RoutineTarget],
    general_id: str,
) -> Recommendation:
    """Recommend a routine from the answers, by this rule:

    - No "yes" at all: the hips may not be the cause; the general (all-round) routine is
      offered, with that said.
    - Three or more "yes": several things are going on, and no single-focus routine covers
      them; the all-round routine, which holds the work of each, is recommended.
    - One or two "yes": the routine that answers the most of them. When two routines answer
      equally many, neither covers the other's sign, so the all-round routine again; the
      order of the routines in the file never decides.
    """
    yes = yes_signs(answers, question_ids)
    if not yes or len(yes) >= ALL_ROUND_FROM:
        return Recommendation(routine_id=general_id, yes_signs=yes)
    scores = {
        routine.id: sum(1 for sign in routine.signs if sign in yes)
        for routine in routines
        if routine.id != general_id
    }
    best = max(scores.values(), default=0)
    leaders = [routine_id for routine_id, score in scores.items() if score == best]
    chosen = leaders[0] if best > 0 and len(leaders) == 1 else general_id
    return Recommendation(routine_id=chosen, yes_signs=yes)


def clear_answer(answers: str, index: int) -> str:
    """Return `answers` with question `index` unanswered again (the user went back)."""
    if not 0 <= index < len(answers):
        raise IndexError(index)
    return answers[:index] + UNANSWERED + answers[index + 1 :]


@dataclass(frozen=True, slots=True)
class SignChange:
    question_id: str
    before: bool | None  # None: not answered then
    now: bool | None


def sign_changes(before: str, now: str, question_ids: Sequence[str]) -> tuple[SignChange, ...]:
    """Each sign's answer in an earlier attempt beside its answer now, in question order."""

    def read(answers: str, index: int) -> bool | None:
        answer = answers[index] if index < len(answers) else UNANSWERED
        return None if answer == UNANSWERED else answer == "y"

    return tuple(SignChange(q, read(before, i), read(now, i)) for i, q in enumerate(question_ids))


def recheck_due(last_quiz: date | None, last_offered: date | None, today: date) -> bool:
    """Offer the quiz again four weeks after it was last taken, at most once in four weeks."""
    if last_quiz is None or today - last_quiz < RECHECK_EVERY:
        return False
    return last_offered is None or today - last_offered >= RECHECK_EVERY
