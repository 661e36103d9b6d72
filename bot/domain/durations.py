"""How long a session takes, added up from the doses, so "about N min" is honest.

A dose is either reps (sets × reps, on one side or each side, a few seconds per rep, with a
rest between sets) or holds (so many holds on one side or each side, so many seconds each; a
soft-tissue area counts as a hold). The range runs from the lowest dose to the highest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# General guidance, not from the source: half a minute's rest between two sets.
REST_BETWEEN_SETS = 30


@dataclass(frozen=True, slots=True)
class Work:
    """What one level of an exercise asks for. Ranges are (lowest, highest)."""

    sets: tuple[int, int] = (1, 1)
    reps: tuple[int, int] | None = None  # per set and side; None for holds
    rep_seconds: int = 4  # one rep at the pace the cues ask for
    holds: int | None = None  # per side; None for reps
    seconds: tuple[int, int] = (0, 0)  # per hold
    sides: int = 1  # 2: everything is done on each side


@dataclass(frozen=True, slots=True)
class Duration:
    """A length in seconds, from the lowest dose to the highest."""

    low: int
    high: int

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.low + other.low, self.high + other.high)

    @property
    def minutes(self) -> tuple[int, int]:
        """The range in whole minutes (half a minute rounds up), never below one."""
        return max(1, (self.low + 30) // 60), max(1, (self.high + 30) // 60)

    @property
    def label(self) -> str:
        """ "12" when the range rounds to one number, else "10–17" (as in "about 10–17 min")."""
        low, high = self.minutes
        return str(low) if low == high else f"{low}–{high}"


ZERO = Duration(0, 0)


def duration(work: Work) -> Duration:
    """The time one level of an exercise takes, from its lowest dose to its highest."""
    if work.reps is not None:
        low = _reps(work.sets[0], work.reps[0], work)
        high = _reps(work.sets[1], work.reps[1], work)
        return Duration(low, high)
    holds = (work.holds or 0) * work.sides
    return Duration(holds * work.seconds[0], holds * work.seconds[1])


def _reps(sets: int, reps: int, work: Work) -> int:
    return sets * reps * work.sides * work.rep_seconds + (sets - 1) * REST_BETWEEN_SETS


def total(durations: Iterable[Duration]) -> Duration:
    """The length of a whole session."""
    return sum(durations, ZERO)


def fits(stated_minutes: int, length: Duration) -> bool:
    """Whether a stated length ("about 12 min") lies within what the doses add up to."""
    low, high = length.minutes
    return low <= stated_minutes <= high
