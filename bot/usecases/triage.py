"""The safety steps before any health question and any exercise: the privacy notice, the age
band and the tiered red-flag screen. The gate and the moves run inside the calling use case's
transaction (bot/usecases/onboarding.py, sessions.py); the rules are in bot/domain/triage.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.states import Screen
from bot.domain.triage import (
    PASSED,
    AgeBand,
    ScreenAnswer,
    Tier,
    Verdict,
    after_age,
    answer_tier,
    asking,
    clear,
    stopped_at,
)
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import User
from bot.usecases.common import Expired
from bot.usecases.planning import reschedule


@dataclass(frozen=True, slots=True)
class PrivacyFirst:
    """The privacy notice, with "I agree": no health question is asked before the tap."""


@dataclass(frozen=True, slots=True)
class AgeFirst:
    """The age band, asked once, before the red-flag screen."""


@dataclass(frozen=True, slots=True)
class ScreenFirst:
    """The red-flag screen stands before the quiz: asking a tier, or stopped at an advice."""

    screen: Screen

    @property
    def tier(self) -> Tier | None:
        return asking(self.screen)

    @property
    def advice(self) -> Verdict | None:
        return stopped_at(self.screen)


Gate = PrivacyFirst | AgeFirst | ScreenFirst


def gate(user: User) -> Gate | None:
    """What still stands before the quiz, in the order it is asked; None once all is passed."""
    if user.privacy_agreed_at is None:
        return PrivacyFirst()
    if user.age_band is None:
        return AgeFirst()
    screen = Screen(user.screen)
    return None if screen in PASSED else ScreenFirst(screen)


def agree_to_privacy(user: User, now: datetime) -> None:
    """Record the tap on "I agree"; a second tap (an older notice's button) is stale."""
    if user.privacy_agreed_at is not None:
        raise Expired
    user.privacy_agreed_at = now


async def set_age_band(s: AsyncSession, user: User, band: AgeBand, now: datetime) -> None:
    """Store the age band (asked once, after the privacy notice); a child or teenager stops
    at the advice to see a doctor first."""
    if user.privacy_agreed_at is None or user.age_band is not None:
        raise Expired
    user.age_band = band
    await move(s, user, after_age(Screen(user.screen), band), now)


async def press(
    s: AsyncSession, user: User, stage: Verdict, answer: ScreenAnswer, now: datetime
) -> None:
    """Apply a press on the screen: a tier's yes or no, or "I have been cleared" under the
    advice it stopped at. A button of any other stage is stale and changes nothing."""
    screen = Screen(user.screen)
    if answer is ScreenAnswer.CLEARED:
        # Also for someone stopped at a check-in who never saw the privacy notice (a user from
        # before it): the stop must be liftable, and the notice comes at their next quiz.
        after = clear(screen, stage)
    elif user.privacy_agreed_at is None or user.age_band is None:
        after = None  # no red-flag answer before the notice and the age band
    else:
        after = answer_tier(screen, Tier(stage.value), answer is ScreenAnswer.YES)
    if after is None:
        raise Expired
    await move(s, user, after, now)


async def move(s: AsyncSession, user: User, after: Screen, now: datetime) -> None:
    """Store the screen's new state. A stop halts the reminders of a user who has them (a
    retake, the re-check or a check-in); "I have been cleared" records its date and brings
    them back."""
    cleared = stopped_at(Screen(user.screen)) is not None and stopped_at(after) is None
    user.screen = after
    if stopped_at(after) is not None and user.scheduled:
        user.red_flag_at = now
        await repo.clear_reminders(s, user.id)
    elif cleared:
        user.cleared_at = now
        if user.red_flag_at is not None:
            user.red_flag_at = None
            await reschedule(s, user, now)


async def privacy_pending(db: Database, user_id: int) -> bool:
    """Whether the user has started but not agreed to the privacy notice yet (someone who never
    started has nothing to agree to: /start shows the notice with its button)."""
    async with db.transaction() as s:
        user = await repo.get_user(s, user_id)
        return user is not None and user.privacy_agreed_at is None
