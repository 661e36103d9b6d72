"""Onboarding use cases, called directly: /start, the red-flag screen and the quiz."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.content import Content
from bot.domain.rules import ScreenAnswer
from bot.domain.states import Screen
from bot.storage.models import User
from bot.usecases import onboarding
from bot.usecases.common import Expired, NeedsSetup
from bot.usecases.onboarding import Question, QuizFinished, ScreenFirst
from tests.usecase_support import ANA, NOW, CountingDatabase, content, db, scheduled_user

__all__ = ["content", "db"]  # fixtures


async def screen_of(db: CountingDatabase, user_id: int) -> str:
    async with db.transaction() as s:
        return (await s.scalars(select(User.screen).where(User.id == user_id))).one()


async def test_a_new_user_starts_at_the_red_flag_screen_in_one_transaction(
    db: CountingDatabase, content: Content
) -> None:
    welcome = await onboarding.start(db, ANA, ANA, NOW, content)
    assert db.transactions == 1
    assert welcome == onboarding.Welcome(None, ScreenFirst(Screen.PENDING))


async def test_a_returning_user_gets_their_settings_in_one_transaction(
    db: CountingDatabase, content: Content
) -> None:
    await scheduled_user(db, content)
    db.transactions = 0
    welcome = await onboarding.start(db, ANA, ANA, NOW, content)
    assert db.transactions == 1
    assert welcome.quiz is None and welcome.settings is not None
    assert welcome.settings.routine_id == "desk-hips"


@pytest.mark.parametrize(
    ("answers", "screen", "quiz_follows"),
    [
        ([ScreenAnswer.NO], Screen.CLEAR, True),
        ([ScreenAnswer.YES], Screen.FLAGGED, False),
        ([ScreenAnswer.YES, ScreenAnswer.CLEARED], Screen.CLEARED, True),
    ],
)
async def test_the_red_flag_screen_routes_a_flag_to_a_clinician_before_the_quiz(
    db: CountingDatabase,
    content: Content,
    answers: list[ScreenAnswer],
    screen: Screen,
    quiz_follows: bool,
) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    for answer in answers:
        answered = await onboarding.answer_red_flags(db, ANA, answer, NOW, content)
    assert answered.screen is screen
    assert isinstance(answered.quiz, Question) is quiz_follows
    assert await screen_of(db, ANA) == screen


@pytest.mark.parametrize(
    ("answers", "stale"),
    [
        ([ScreenAnswer.NO], ScreenAnswer.YES),  # the screen's buttons pressed again
        ([ScreenAnswer.YES], ScreenAnswer.NO),
        ([], ScreenAnswer.CLEARED),  # "I have been cleared" before any flag
    ],
)
async def test_a_stale_red_flag_button_changes_nothing(
    db: CountingDatabase, content: Content, answers: list[ScreenAnswer], stale: ScreenAnswer
) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    for answer in answers:
        await onboarding.answer_red_flags(db, ANA, answer, NOW, content)
    before = await screen_of(db, ANA)
    with pytest.raises(Expired):
        await onboarding.answer_red_flags(db, ANA, stale, NOW, content)
    assert await screen_of(db, ANA) == before


async def test_the_quiz_asks_each_question_then_recommends_a_routine(
    db: CountingDatabase, content: Content
) -> None:
    await onboarding.start(db, ANA, ANA, NOW, content)
    answered = await onboarding.answer_red_flags(db, ANA, ScreenAnswer.NO, NOW, content)
    step = answered.quiz
    assert step is not None and isinstance(step, Question) and step.index == 0
    outcome: Question | QuizFinished = step
    for answer in (True, True, False, False, False):
        assert isinstance(outcome, Question)
        outcome = await onboarding.answer_quiz(db, ANA, outcome, answer, NOW, content)
    assert isinstance(outcome, QuizFinished)
    assert outcome.result.routine_id == "desk-hips" and outcome.previous_on is None
    with pytest.raises(Expired):  # the last question's buttons, pressed again
        await onboarding.answer_quiz(db, ANA, Question(step.attempt_id, 4), True, NOW, content)


async def test_someone_who_never_started_is_told_to_start(
    db: CountingDatabase, content: Content
) -> None:
    with pytest.raises(NeedsSetup):
        await onboarding.begin_quiz(db, ANA, NOW, content, fresh=True)
    with pytest.raises(NeedsSetup):
        await onboarding.answer_red_flags(db, ANA, ScreenAnswer.NO, NOW, content)
