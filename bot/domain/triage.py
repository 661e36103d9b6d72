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

The screen's progress is stored as a bot.domain.states.Screen; the functions at the end move it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from bot.domain.states import Screen


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


class ScreenAnswer(StrEnum):
    """A press on the screen: a tier's "yes" or "no", or "I have been cleared"."""

    YES = "y"
    NO = "n"
    CLEARED = "ok"


_ASKING: dict[Screen, Tier] = {
    Screen.PENDING: Tier.EMERGENCY_NOW,
    Screen.ASK_DOCTOR_TODAY: Tier.DOCTOR_TODAY,
    Screen.ASK_BOOK_FIRST: Tier.BOOK_FIRST,
}
_ASK: dict[Tier, Screen] = {tier: screen for screen, tier in _ASKING.items()}
# Only past these may the quiz (and any exercise) come.
PASSED: frozenset[Screen] = frozenset({Screen.CLEAR, Screen.CLEARED})


def asking(screen: Screen) -> Tier | None:
    """The tier the screen is asking about, or None when it is not asking."""
    return _ASKING.get(screen)


def stopped_at(screen: Screen) -> Verdict | None:
    """The advice the screen stopped at (a tier's or the age band's), or None."""
    if screen in PASSED or screen in _ASKING:
        return None
    return Verdict(screen.value)


def answer_tier(screen: Screen, tier: Tier, yes: bool) -> Screen | None:
    """The screen after a "yes" or "no" to `tier`: a yes stops at that tier's advice, a no
    asks the next tier (clear after the last). None: `tier` is not the one being asked (a
    button from an earlier question), and nothing changes."""
    if asking(screen) is not tier:
        return None
    if yes:
        return Screen(tier.value)
    following = tier_after_no(tier)
    return Screen.CLEAR if following is None else _ASK[following]


def tier_after_no(tier: Tier) -> Tier | None:
    """The tier asked after "no" to `tier` (every tier before it was "no" too); None: clear."""
    return next_tier(dict.fromkeys(URGENCY[: URGENCY.index(tier) + 1], False))


def clear(screen: Screen, advice: Verdict) -> Screen | None:
    """The screen after "I have been cleared" under `advice`; None when the screen is not
    stopped there. A cleared tier passes the screen; a young person cleared by a doctor is
    still asked the red flags, which are about now."""
    if advice is Verdict.CLEAR or stopped_at(screen) is not advice:
        return None
    return Screen.PENDING if advice is Verdict.YOUNG else Screen.CLEARED


def after_age(screen: Screen, band: AgeBand) -> Screen:
    """The screen once the age band is known: a child or teenager stops at the age advice."""
    return Screen.YOUNG if needs_doctor_first(band) else screen


def rescreen(screen: Screen) -> Screen:
    """A quiz retake or the re-check asks the screen again from the top; a stop that was never
    cleared stays where it is."""
    return Screen.PENDING if screen in PASSED else screen
