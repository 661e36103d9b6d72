"""The exercise models of content/exercises.yaml: kinds, levels with their doses, and the time
each level takes (bot.domain.durations adds it up). Re-exported by bot.content."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from bot.domain.durations import Duration, Work, duration


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExerciseKind(StrEnum):
    SOFT_TISSUE = "soft_tissue"
    STRETCH = "stretch"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    BALANCE = "balance"


def _as_range(value: object) -> object:
    """`3` means (3, 3); `[2, 3]` means (2, 3)."""
    return (value, value) if isinstance(value, int) else value


Range = Annotated[tuple[int, int], BeforeValidator(_as_range)]


def _range_text(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


class Level(_Frozen):
    """One level's dose: the words the user reads, and the numbers its time is added up from.

    Reps: `sets` and `reps` (per set and side). Holds: `holds` (per side) of `seconds` each
    (by default the guided timer's `hold_seconds`). `sides: 2` when it is done on each side.
    The numbers must appear in the dose's words, so the two cannot drift apart.
    """

    dose: str = Field(min_length=1)  # shown to the user, e.g. "2–3 sets of 10–12 reps"
    hold_seconds: int | None = Field(default=None, ge=10, le=120)  # the guided timer's length
    sets: Range | None = None
    reps: Range | None = None
    holds: int | None = Field(default=None, ge=1, le=12)
    seconds: Range | None = None
    sides: int = Field(default=1, ge=1, le=2)

    @model_validator(mode="after")
    def _numbers_match_the_words(self) -> Level:
        if (self.reps is None) == (self.holds is None):
            raise ValueError("give either sets and reps, or holds (with seconds)")
        if self.reps is not None:
            if self.sets is None:
                raise ValueError("reps need sets")
            spelled = [_range_text(*self.sets), _range_text(*self.reps)]
        else:
            if self.seconds is None and self.hold_seconds is None:
                raise ValueError("holds need seconds or hold_seconds")
            spelled = [_range_text(*self.hold_range)]
        for text in spelled:
            if text not in self.dose:
                raise ValueError(f"the dose '{self.dose}' does not say {text}")
        ranges = [self.sets, self.reps] if self.reps is not None else [self.hold_range]
        for low, high in (r for r in ranges if r is not None):
            if not 0 < low <= high:
                raise ValueError(f"bad range {low}–{high}")
        return self

    @property
    def hold_range(self) -> tuple[int, int]:
        if self.seconds is not None:
            return self.seconds
        hold = self.hold_seconds or 0
        return hold, hold

    def work(self, rep_seconds: int) -> Work:
        return Work(
            sets=self.sets or (1, 1),
            reps=self.reps,
            rep_seconds=rep_seconds,
            holds=self.holds,
            seconds=self.hold_range,
            sides=self.sides,
        )


class Exercise(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    name: str = Field(min_length=1)
    kind: ExerciseKind
    levels: tuple[Level, ...] = Field(min_length=1, max_length=3)  # easiest first
    rep_seconds: int = Field(default=4, ge=1, le=20)  # one rep at the pace the cues ask for
    equipment: str | None = None
    cues: tuple[str, ...] = Field(min_length=1)
    # The captions drawn into the animation, one per keyframe of its content/demos.yaml entry.
    demo_cues: tuple[Annotated[str, Field(min_length=1, max_length=60)], ...] = ()
    # True when the steps are general guidance rather than taken from the source article.
    general_guidance: bool = False
    easier: str | None = None  # the exercise "This hurts" swaps in
    harder: str | None = None  # the exercise progression moves on to

    @property
    def dose(self) -> str:
        """The first level's dose."""
        return self.levels[0].dose

    def level(self, number: int) -> Level:
        """Level `number` (1-based), clamped to the levels this exercise has."""
        return self.levels[max(1, min(number, len(self.levels))) - 1]

    def duration(self, level: int = 1) -> Duration:
        """How long level `level` takes, lowest dose to highest."""
        return duration(self.level(level).work(self.rep_seconds))


def check_variants(exercise: Exercise, exercises: Mapping[str, Exercise]) -> None:
    """Easier and harder variants exist, are the same kind, agree, and never loop; raise
    ValueError otherwise."""
    for direction in ("easier", "harder"):
        seen = [exercise.id]
        current = exercise
        while (variant_id := getattr(current, direction)) is not None:
            variant = exercises.get(variant_id)
            if variant is None:
                raise ValueError(f"unknown {direction} variant '{variant_id}'")
            if variant.kind is not current.kind:
                raise ValueError(
                    f"{direction} variant '{variant_id}' is a different kind of exercise"
                )
            if variant_id in seen:
                loop = " → ".join([*seen, variant_id])
                raise ValueError(f"{direction} variants loop: {loop}")
            seen.append(variant_id)
            current = variant
    if exercise.easier is not None:
        back = exercises[exercise.easier].harder
        if back is not None and back != exercise.id:
            raise ValueError(f"its easier variant '{exercise.easier}' names '{back}' as harder")
