"""The holds of a timed exercise, in the order guided mode times them: every hold on the first
side, then every hold on the second ("3 holds, then swap legs"; "3 directions, both sides")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Hold:
    """One timed hold of a step. `index` is 0-based over the whole step."""

    index: int
    count: int  # holds in the step: per side × sides
    per_side: int
    sides: int

    @property
    def side(self) -> int | None:
        """1 or 2 when the exercise is done on each side, else None."""
        return self.index // self.per_side + 1 if self.sides == 2 else None

    @property
    def number_on_side(self) -> int:
        """1-based: which hold of its side (of the step, when one-sided)."""
        return self.index % self.per_side + 1

    @property
    def last(self) -> bool:
        return self.index == self.count - 1

    @property
    def following(self) -> Hold | None:
        return None if self.last else Hold(self.index + 1, self.count, self.per_side, self.sides)


def hold_of(index: int, per_side: int | None, sides: int) -> Hold | None:
    """Hold `index` of a step done as `per_side` holds on each of `sides` sides; None when
    there is no such hold."""
    per_side = per_side or 1
    count = per_side * sides
    if not 0 <= index < count:
        return None
    return Hold(index, count, per_side, sides)
