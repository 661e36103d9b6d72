"""The safety screen before any exercise: red flags in tiers, and the age band.

General clinical guidance (SOURCE_NOTES.md), not from the source article; the bot never names a
cause. The screen asks the tiers one at a time, the most urgent first, and stops at the first
"yes": that tier's advice is shown, and the user carries on only after "I have been cleared".
- Emergency now: calf pain, swelling or redness with sudden breathlessness or chest pain; a hot,
  red, swollen knee with fever or feeling unwell.
- See a doctor today: can't bear weight after an injury or fall; a locked knee; a sudden large
  swelling after a twist.
- Book an appointment before starting: night or rest pain, or constant worsening pain; weight
  loss or a history of cancer; numbness, tingling or weakness; recent surgery or a joint
  replacement; several swollen joints; a knee that keeps giving way.
- A child or teenager (under 18) with hip, groin or knee pain or a limp sees a doctor first:
  everyone this bot screens has knee pain, so the age band alone decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Tier(StrEnum):
    EMERGENCY_NOW = "emergency_now"
    DOCTOR_TODAY = "doctor_today"
    BOOK_FIRST = "book_first"


# Most urgent first: the order the screen asks in, and the order a verdict is chosen by.
URGENCY: tuple[Tier, ...] = (Tier.EMERGENCY_NOW, Tier.DOCTOR_TODAY, Tier.BOOK_FIRST)


class AgeBand(StrEnum):
    CHILD = "child"  # under 10: the ages of Perthes disease (about 4–10)
    TEEN = "teen"  # 10 to 17: the ages of a slipped growth plate (about 10–16)
    ADULT = "adult"  # 18 or over


YOUNG: frozenset[AgeBand] = frozenset({AgeBand.CHILD, AgeBand.TEEN})


class Verdict(StrEnum):
    """What the screen concludes: a tier's advice, a young person's, or clear to start."""

    EMERGENCY_NOW = "emergency_now"
    DOCTOR_TODAY = "doctor_today"
    BOOK_FIRST = "book_first"
    YOUNG = "young"
    CLEAR = "clear"

    @property
    def needs_clinician(self) -> bool:
        return self is not Verdict.CLEAR


class UnknownFlag(ValueError):
    """A red-flag id that the content does not define."""


def most_urgent(tiers: Iterable[Tier]) -> Tier | None:
    """The most urgent of the tiers answered "yes", or None when there is none."""
    present = set(tiers)
    return next((tier for tier in URGENCY if tier in present), None)


def tiers_of(yes_flags: Iterable[str], flag_tiers: Mapping[str, Tier]) -> set[Tier]:
    """The tiers of the flags answered "yes" (when the screen is asked flag by flag)."""
    try:
        return {flag_tiers[flag] for flag in yes_flags}
    except KeyError as e:
        raise UnknownFlag(str(e)) from None


def next_tier(answers: Mapping[Tier, bool]) -> Tier | None:
    """The tier to ask about next, most urgent first; None once a "yes" was given (its advice
    comes next) or every tier was answered "no"."""
    for tier in URGENCY:
        answer = answers.get(tier)
        if answer is None:
            return tier
        if answer:
            return None
    return None


def needs_doctor_first(band: AgeBand) -> bool:
    """A child or teenager with knee pain sees a doctor before any exercise programme."""
    return band in YOUNG


def verdict(yes_tiers: Iterable[Tier], band: AgeBand | None) -> Verdict:
    """The most urgent advice the answers call for: a red-flag tier first, then the age band;
    clear when neither routes to a clinician. An age band not asked yet counts as adult."""
    tier = most_urgent(yes_tiers)
    if tier is not None:
        return Verdict(tier.value)
    if band is not None and needs_doctor_first(band):
        return Verdict.YOUNG
    return Verdict.CLEAR


def may_start(result: Verdict, cleared: bool) -> bool:
    """Exercise may start when the screen is clear, or once a clinician has cleared the user."""
    return result is Verdict.CLEAR or cleared
