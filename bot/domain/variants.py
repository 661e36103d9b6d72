"""Which form of each exercise a user does, and at which level: the ladder of variants.

Every exercise in a routine is a *slot*. A user does the slot's own exercise, or an easier
variant of it ("This hurts" stepped down), at a level (1 = the first dose). Moving up goes one
level higher, then back toward the slot's own exercise, then to its harder variant; moving down
goes one level lower, then to the easier variant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ladder:
    """What the variant logic needs to know of one exercise."""

    easier: str | None
    harder: str | None
    levels: int


@dataclass(frozen=True, slots=True)
class Choice:
    """The form of a slot's exercise a user does, and its level (1-based)."""

    exercise_id: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class PlanStep:
    slot: str  # the routine's exercise id
    exercise_id: str  # what the user actually does
    level: int


Ladders = Mapping[str, Ladder]


def default_choice(slot: str) -> Choice:
    return Choice(slot, 1)


def initial_variants(
    yes_signs: Iterable[str], start_easier: Mapping[str, Mapping[str, str]]
) -> dict[str, Choice]:
    """The forms a user starts on after the quiz: a "yes" to a sign that calls for gentler
    starts (content: quiz.yaml `start_easier`) puts those exercises on their easier variant,
    level 1; moving up later leads back to the exercise itself. Shaky balance starts on the
    supported side step; knee pain in hip stretches on the standing hip-flexor stretch."""
    choices: dict[str, Choice] = {}
    for sign in yes_signs:
        for slot, variant in start_easier.get(sign, {}).items():
            choices[slot] = Choice(variant, 1)
    return choices


def plan(routine: Sequence[str], choices: Mapping[str, Choice]) -> tuple[PlanStep, ...]:
    """The routine as this user does it; a variant already in the plan is not repeated."""
    steps: list[PlanStep] = []
    for slot in routine:
        choice = choices.get(slot, default_choice(slot))
        if any(step.exercise_id == choice.exercise_id for step in steps):
            continue
        steps.append(PlanStep(slot, choice.exercise_id, choice.level))
    return tuple(steps)


def easier(current: Choice, ladders: Ladders) -> Choice | None:
    """The easier variant "This hurts" swaps in, or None when this is already the gentlest."""
    variant = ladders[current.exercise_id].easier
    return None if variant is None else Choice(variant, 1)


def step_down(current: Choice, ladders: Ladders) -> Choice:
    """One step easier: a lower level, else the easier variant, else unchanged."""
    if current.level > 1:
        return Choice(current.exercise_id, current.level - 1)
    return easier(current, ladders) or current


def step_up(slot: str, current: Choice, ladders: Ladders, avoid: Sequence[str] = ()) -> Choice:
    """One step harder: a higher level, else back toward the slot's own exercise, else its
    harder variant (unless that is already in the routine, `avoid`), else unchanged."""
    top = ladders[current.exercise_id].levels
    if current.level < top:
        return Choice(current.exercise_id, current.level + 1)
    path = easier_path(slot, ladders)
    if current.exercise_id in path[1:]:
        return Choice(path[path.index(current.exercise_id) - 1], 1)
    harder = ladders[current.exercise_id].harder
    if harder is not None and harder not in avoid:
        return Choice(harder, 1)
    return current


def easier_path(slot: str, ladders: Ladders) -> list[str]:
    """The slot's exercise followed by its easier variants, gentlest last."""
    path = [slot]
    while (variant := ladders[path[-1]].easier) is not None and variant not in path:
        path.append(variant)
    return path
