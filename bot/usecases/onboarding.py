"""Onboarding: /start, the red-flag screen, the five-sign quiz and choosing a routine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content
from bot.domain import quiz
from bot.domain.rules import SCREEN_BLOCKS, ScreenAnswer, answer_screen
from bot.domain.schedule import local_date
from bot.domain.states import Screen
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import User
from bot.usecases.common import Expired, NeedsSetup, locked_user
from bot.usecases.planning import reschedule
from bot.usecases.schedule import SettingsView, settings_of


@dataclass(frozen=True, slots=True)
class Question:
    """The quiz question to ask next."""

    attempt_id: int
    index: int


@dataclass(frozen=True, slots=True)
class ScreenFirst:
    """The red-flag screen stands before the quiz: still unanswered, or flagged."""

    screen: Screen


QuizStep = Question | ScreenFirst


@dataclass(frozen=True, slots=True)
class Welcome:
    """After /start: a returning user's settings, or where onboarding stands."""

    settings: SettingsView | None
    quiz: QuizStep | None


async def start(
    db: Database, user_id: int, chat_id: int, now: datetime, content: Content
) -> Welcome:
    """Create the user, or welcome them back (reactivated after a block, settings kept)."""
    async with db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            user = await repo.add_user(s, user_id, chat_id, now)
        elif not user.active:  # they blocked the bot once and are back: keep their settings
            user.active, user.chat_id = True, chat_id
            await reschedule(s, user, now)
        user.awaiting = None
        if user.scheduled:
            return Welcome(settings_of(user, now), None)
        return Welcome(None, await _quiz_step(s, user, now, content, fresh=False))


async def begin_quiz(
    db: Database, user_id: int, now: datetime, content: Content, *, fresh: bool
) -> QuizStep:
    """The quiz's current question, starting a new attempt when asked or needed."""
    async with locked_user(db, user_id) as (s, user):
        return await _quiz_step(s, user, now, content, fresh=fresh)


async def _quiz_step(
    s: AsyncSession, user: User, now: datetime, content: Content, *, fresh: bool
) -> QuizStep:
    if user.screen in SCREEN_BLOCKS:
        return ScreenFirst(Screen(user.screen))
    user.awaiting = None
    attempt = await repo.latest_attempt(s, user.id)
    if fresh or attempt is None or attempt.finished_at is not None:
        count = len(content.quiz.questions)
        attempt = await repo.add_attempt(s, user.id, quiz.blank_answers(count), now)
    return Question(attempt.id, quiz.next_question(attempt.answers) or 0)


@dataclass(frozen=True, slots=True)
class ScreenAnswered:
    screen: Screen
    quiz: QuizStep | None  # the quiz carries on once the screen is passed


async def answer_red_flags(
    db: Database, user_id: int, answer: ScreenAnswer, now: datetime, content: Content
) -> ScreenAnswered:
    """Record the safety screen: a red flag routes to a clinician before any exercise."""
    async with locked_user(db, user_id) as (s, user):
        screen = answer_screen(user.screen, answer)
        if screen is None:
            raise Expired
        user.screen = screen
        if screen in SCREEN_BLOCKS:
            return ScreenAnswered(screen, None)
        return ScreenAnswered(screen, await _quiz_step(s, user, now, content, fresh=False))


@dataclass(frozen=True, slots=True)
class QuizFinished:
    result: quiz.Recommendation
    previous_on: date | None  # the day of the quiz before, when there was one
    changes: tuple[quiz.SignChange, ...]  # sign by sign since then


async def answer_quiz(
    db: Database,
    user_id: int,
    question: Question,
    answer: bool | None,
    now: datetime,
    content: Content,
) -> Question | QuizFinished:
    """Record one answer (None: go back one question); return the next question or the result."""
    question_ids = [q.id for q in content.quiz.questions]
    # The hot path of onboarding: Core statements (repo.quiz_progress, repo.save_answers), the
    # user's row locked first as `locked_user` does, in one transaction (docs/BENCHMARKS.md).
    async with db.transaction() as s:
        progress = await repo.quiz_progress(s, user_id)
        if progress is None:
            raise NeedsSetup
        if (
            progress.attempt_id is None
            or progress.attempt_id != question.attempt_id
            or progress.finished
            or quiz.next_question(progress.answers) != question.index
            or (answer is None and question.index == 0)
        ):
            raise Expired
        if answer is None:
            answers = quiz.clear_answer(progress.answers, question.index - 1)
        else:
            answers = quiz.record_answer(progress.answers, question.index, answer)
        following = quiz.next_question(answers)
        if following is not None:
            await repo.save_answers(s, progress.attempt_id, answers)
            return Question(progress.attempt_id, following)
        previous = await repo.previous_finished_attempt(s, user_id, progress.attempt_id)
        previous_on = None
        changes: tuple[quiz.SignChange, ...] = ()
        if previous is not None and previous.finished_at is not None:
            previous_on = local_date(previous.finished_at, ZoneInfo(progress.timezone or "UTC"))
            changes = quiz.sign_changes(previous.answers, answers, question_ids)
        result = quiz.recommend(
            answers,
            question_ids,
            [quiz.RoutineTarget(r.id, r.signs) for r in content.routines.values()],
            content.general_routine.id,
        )
        await repo.save_answers(s, progress.attempt_id, answers, now, result.routine_id)
        return QuizFinished(result, previous_on, changes)
