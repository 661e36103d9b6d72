"""Onboarding use cases, called directly: /start, the privacy notice, the age band, the tiered
red-flag screen, the quiz, and the gentler starts it leaves behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.content import Content
from bot.domain.states import Screen
from bot.domain.triage import AgeBand, ScreenAnswer, Tier, Verdict
from bot.domain.variants import Choice
from bot.storage import repo
from bot.storage.models import QuizAttempt, User
from bot.usecases import language, onboarding, sessions
from bot.usecases.common import Expired, NeedsSetup
from bot.usecases.onboarding import Question, QuizFinished
from bot.usecases.triage import AgeFirst, PrivacyFirst, ScreenFirst
from tests.usecase_support import (
    ANA,
    NOW,
    CountingDatabase,
    content,
    db,
    reach_quiz,
    scheduled_user,
)

__all__ = ["content", "db"]  # fixtures
NO, YES, CLEARED = ScreenAnswer.NO, ScreenAnswer.YES, ScreenAnswer.CLEARED


async def user_of(db: CountingDatabase, user_id: int = ANA) -> User:
    async with db.transaction() as s:
        user = await s.get(User, user_id)
        assert user is not None
        return user


async def attempts_of(db: CountingDatabase, user_id: int = ANA) -> int:
    async with db.transaction() as s:
        query = select(func.count()).where(QuizAttempt.user_id == user_id)
        return int((await s.scalars(query)).one())


async def to_screen(db: CountingDatabase, content: Content) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    await onboarding.agree_privacy(db, ANA, NOW, content)
    await onboarding.answer_age(db, ANA, AgeBand.ADULT, NOW, content)


async def test_a_new_user_starts_at_the_privacy_notice_with_nothing_about_health_stored(
    db: CountingDatabase, content: Content
) -> None:
    welcome = await onboarding.start(db, ANA, ANA, NOW, content)
    assert db.transactions == 1
    assert welcome == onboarding.Welcome(None, PrivacyFirst())
    user = await user_of(db)
    assert (user.privacy_agreed_at, user.age_band, user.screen) == (None, None, Screen.PENDING)
    assert await attempts_of(db) == 0
    # Nothing health-related can be answered before the tap.
    with pytest.raises(Expired):
        await onboarding.answer_age(db, ANA, AgeBand.ADULT, NOW, content)
    with pytest.raises(Expired):
        await onboarding.answer_red_flags(db, ANA, Verdict.EMERGENCY_NOW, NO, NOW, content)
    assert await onboarding.begin_quiz(db, ANA, NOW, content, fresh=False) == PrivacyFirst()
    user = await user_of(db)
    assert (user.age_band, user.screen) == (None, Screen.PENDING)


async def test_agreeing_records_the_time_then_asks_the_age_band_once(
    db: CountingDatabase, content: Content
) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    assert await onboarding.agree_privacy(db, ANA, NOW, content) == AgeFirst()
    assert (await user_of(db)).privacy_agreed_at == NOW
    with pytest.raises(Expired):  # an older notice's button
        await onboarding.agree_privacy(db, ANA, NOW + timedelta(minutes=1), content)
    step = await onboarding.answer_age(db, ANA, AgeBand.ADULT, NOW, content)
    assert step == ScreenFirst(Screen.PENDING) and step.tier is Tier.EMERGENCY_NOW
    with pytest.raises(Expired):  # asked once
        await onboarding.answer_age(db, ANA, AgeBand.TEEN, NOW, content)
    assert (await user_of(db)).age_band == AgeBand.ADULT


@pytest.mark.parametrize("band", [AgeBand.CHILD, AgeBand.TEEN])
async def test_a_child_or_teenager_sees_a_doctor_first_then_gets_the_red_flags(
    db: CountingDatabase, content: Content, band: AgeBand
) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    await onboarding.agree_privacy(db, ANA, NOW, content)
    step = await onboarding.answer_age(db, ANA, band, NOW, content)
    assert isinstance(step, ScreenFirst) and step.advice is Verdict.YOUNG
    assert await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True) == step
    with pytest.raises(Expired):  # only "I have been cleared" goes on
        await onboarding.answer_red_flags(db, ANA, Verdict.EMERGENCY_NOW, NO, NOW, content)
    later = NOW + timedelta(days=3)
    step = await onboarding.answer_red_flags(db, ANA, Verdict.YOUNG, CLEARED, later, content)
    assert step == ScreenFirst(Screen.PENDING)  # the red flags are about now: still asked
    assert (await user_of(db)).cleared_at == later


@pytest.mark.parametrize("tier", list(Tier))
async def test_a_yes_stops_at_its_tier_until_cleared_and_the_date_is_recorded(
    db: CountingDatabase, content: Content, tier: Tier
) -> None:
    await to_screen(db, content)
    for earlier in list(Tier)[: list(Tier).index(tier)]:
        step = await onboarding.answer_red_flags(db, ANA, Verdict(earlier.value), NO, NOW, content)
    step = await onboarding.answer_red_flags(db, ANA, Verdict(tier.value), YES, NOW, content)
    assert isinstance(step, ScreenFirst) and step.advice == Verdict(tier.value)
    assert await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True) == step
    assert await attempts_of(db) <= 1  # a blank attempt at most, never an answer
    later = NOW + timedelta(days=2)
    step = await onboarding.answer_red_flags(db, ANA, Verdict(tier.value), CLEARED, later, content)
    assert isinstance(step, Question) and step.index == 0
    user = await user_of(db)
    assert (user.screen, user.cleared_at) == (Screen.CLEARED, later)


@pytest.mark.parametrize(
    ("presses", "stale"),
    [
        ([(Verdict.EMERGENCY_NOW, NO)], (Verdict.EMERGENCY_NOW, YES)),  # an older tier's button
        ([(Verdict.EMERGENCY_NOW, YES)], (Verdict.EMERGENCY_NOW, NO)),
        ([(Verdict.EMERGENCY_NOW, YES)], (Verdict.DOCTOR_TODAY, CLEARED)),  # another tier's
        ([], (Verdict.EMERGENCY_NOW, CLEARED)),  # "I have been cleared" before any flag
        ([], (Verdict.YOUNG, CLEARED)),
    ],
)
async def test_a_stale_red_flag_button_changes_nothing(
    db: CountingDatabase,
    content: Content,
    presses: list[tuple[Verdict, ScreenAnswer]],
    stale: tuple[Verdict, ScreenAnswer],
) -> None:
    await to_screen(db, content)
    for stage, answer in presses:
        await onboarding.answer_red_flags(db, ANA, stage, answer, NOW, content)
    before = (await user_of(db)).screen
    with pytest.raises(Expired):
        await onboarding.answer_red_flags(db, ANA, *stale, NOW, content)
    assert (await user_of(db)).screen == before


async def test_the_quiz_asks_each_question_then_recommends_a_routine(
    db: CountingDatabase, content: Content
) -> None:
    step = await reach_quiz(db, content)
    assert isinstance(step, Question) and step.index == 0
    outcome: Question | QuizFinished = step
    for answer in (True, True, False, False, False):
        assert isinstance(outcome, Question)
        pressed = await onboarding.answer_quiz(db, ANA, outcome, answer, NOW, content)
        outcome = pressed.outcome
    assert isinstance(outcome, QuizFinished)
    assert outcome.result.routine_id == "desk-hips" and outcome.previous_on is None
    with pytest.raises(Expired):  # the last question's buttons, pressed again
        await onboarding.answer_quiz(db, ANA, Question(step.attempt_id, 4), True, NOW, content)


async def test_a_quiz_press_is_one_unit_of_work_and_brings_the_stored_language(
    db: CountingDatabase, content: Content
) -> None:
    """The press needs nothing else from the database to be answered: not even the language
    it is answered in (handlers/language.py OWN_LANGUAGE), on any answer, the last included."""
    step = await reach_quiz(db, content)
    await language.set_language(db, ANA, "de")
    outcome: Question | QuizFinished = step
    for answer in (True, False, True, False, False):
        assert isinstance(outcome, Question)
        db.transactions = 0
        pressed = await onboarding.answer_quiz(db, ANA, outcome, answer, NOW, content)
        assert db.transactions == 1 and pressed.language == "de"
        outcome = pressed.outcome
    assert isinstance(outcome, QuizFinished)


async def answer_all(
    db: CountingDatabase, content: Content, step: onboarding.QuizStep, answers: str
) -> QuizFinished:
    outcome: Question | QuizFinished | onboarding.QuizStep = step
    for answer in answers:
        assert isinstance(outcome, Question)
        outcome = (
            await onboarding.answer_quiz(db, ANA, outcome, answer == "y", NOW, content)
        ).outcome
    assert isinstance(outcome, QuizFinished)
    return outcome


async def test_a_retake_asks_the_red_flag_screen_again_before_the_first_question(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    step = await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True)
    assert step == ScreenFirst(Screen.PENDING)
    for tier in Tier:
        step = await onboarding.answer_red_flags(db, ANA, Verdict(tier.value), NO, NOW, content)
    assert isinstance(step, Question) and step.index == 0


async def test_a_flag_at_a_retake_stops_the_reminders_until_cleared_then_the_quiz_goes_on(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    assert (await user_of(db)).next_due_at is not None
    await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True)
    await onboarding.answer_red_flags(db, ANA, Verdict.EMERGENCY_NOW, YES, NOW, content)
    user = await user_of(db)
    assert (user.next_due_at, user.red_flag_at) == (None, NOW)
    later = NOW + timedelta(days=1)
    step = await onboarding.answer_red_flags(
        db, ANA, Verdict.EMERGENCY_NOW, CLEARED, later, content
    )
    assert isinstance(step, Question) and step.index == 0
    user = await user_of(db)
    assert user.red_flag_at is None and user.next_due_at is not None
    assert user.cleared_at == later


async def test_shaky_balance_and_kneeling_pain_start_on_the_gentler_forms_and_keep_progress(
    db: CountingDatabase, content: Content
) -> None:
    step = await reach_quiz(db, content)
    await answer_all(db, content, step, "nnyyn")  # knee pain in hip stretches, shaky balance
    async with db.transaction() as s:
        choices = await repo.exercise_choices(s, ANA)
    assert choices == {
        "lateral-lunge": Choice("supported-side-step", 1),
        "hip-flexor-release": Choice("chair-hip-flexor", 1),
    }
    # Progress made since is never undone by a retake that says the same.
    async with db.transaction() as s:
        await repo.set_exercise_choice(s, ANA, "lateral-lunge", Choice("lateral-lunge", 2), NOW)
    step = await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True)
    for tier in Tier:
        step = await onboarding.answer_red_flags(db, ANA, Verdict(tier.value), NO, NOW, content)
    await answer_all(db, content, step, "nnyyn")
    async with db.transaction() as s:
        assert (await repo.exercise_choices(s, ANA))["lateral-lunge"] == Choice("lateral-lunge", 2)


async def test_someone_who_never_started_is_told_to_start(
    db: CountingDatabase, content: Content
) -> None:
    with pytest.raises(NeedsSetup):
        await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True)
    with pytest.raises(NeedsSetup):
        await onboarding.agree_privacy(db, ANA, NOW, content)
    with pytest.raises(NeedsSetup):
        await onboarding.answer_red_flags(db, ANA, Verdict.EMERGENCY_NOW, NO, NOW, content)


async def test_a_user_from_before_the_notice_can_be_cleared_and_meets_the_notice_at_the_quiz(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    async with db.transaction() as s:  # as migration 007 leaves a user who started before it
        user = await s.get(User, ANA)
        assert user is not None
        user.privacy_agreed_at = user.age_band = None
        attempt = await repo.latest_attempt(s, ANA)
        assert attempt is not None
        attempt.answers, attempt.finished_at = "yynnn", NOW  # their quiz, taken
    day = (await sessions.open_session_today(db, ANA, NOW)).day
    await sessions.report_red_flags(db, ANA, day, Tier.DOCTOR_TODAY, True, NOW)
    assert (await user_of(db)).next_due_at is None
    later = NOW + timedelta(days=1)
    step = await onboarding.answer_red_flags(db, ANA, Verdict.DOCTOR_TODAY, CLEARED, later, content)
    assert isinstance(step, onboarding.BackToRoutine) and step.next_day is not None
    user = await user_of(db)
    assert user.cleared_at == later and user.next_due_at is not None
    assert await onboarding.begin_quiz(db, ANA, later, content, fresh=True) == PrivacyFirst()
