"""Onboarding: /start, the privacy notice, the age band, the red-flag screen (the steps of
bot/usecases/triage.py), the five-sign quiz and choosing a routine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content
from bot.domain import quiz
from bot.domain.schedule import local_date
from bot.domain.states import Screen
from bot.domain.triage import AgeBand, ScreenAnswer, Verdict, rescreen
from bot.domain.variants import initial_variants
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import QuizAttempt, User
from bot.usecases import triage
from bot.usecases.common import Expired, NeedsSetup, locked_user, zone_of
from bot.usecases.planning import reschedule
from bot.usecases.schedule import SettingsView, settings_of
from bot.usecases.triage import AgeFirst, PrivacyFirst, ScreenFirst, gate


@dataclass(frozen=True, slots=True)
class Question:
    """The quiz question to ask next."""

    attempt_id: int
    index: int


@dataclass(frozen=True, slots=True)
class BackToRoutine:
    """A user with a routine and no quiz under way (cleared after a check-in's red flag, or
    agreed from /privacy): nothing more to ask; the next session's day."""

    next_day: date | None


QuizStep = Question | PrivacyFirst | AgeFirst | ScreenFirst | BackToRoutine


@dataclass(frozen=True, slots=True)
class Welcome:
    """After /start: a returning user's settings, or where onboarding stands."""

    settings: SettingsView | None
    quiz: QuizStep | None


async def start(
    db: Database,
    user_id: int,
    chat_id: int,
    now: datetime,
    content: Content,
    *,
    language: str | None = None,
) -> Welcome:
    """Create the user, or welcome them back (reactivated after a block, settings kept).

    `language` (Telegram's, when supported) is stored unless the user already has one.
    """
    async with db.transaction() as s:
        user = await repo.get_user(s, user_id)
        if user is None:
            user = await repo.add_user(s, user_id, chat_id, now)
        if user.language is None:
            user.language = language or content.code
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
    """The next step (a safety step or the quiz's question); `fresh`: a retake from the top."""
    async with locked_user(db, user_id) as (s, user):
        return await _quiz_step(s, user, now, content, fresh=fresh)


async def _quiz_step(
    s: AsyncSession, user: User, now: datetime, content: Content, *, fresh: bool
) -> QuizStep:
    """The next step: a safety step still standing before the quiz, else the quiz's question.

    `fresh` (a retake, the re-check) opens a new attempt and asks the red-flag screen again
    first; the attempt stays blank until the screen is passed, then the quiz carries on.
    """
    count = len(content.quiz.questions)
    attempt: QuizAttempt | None
    if fresh:  # a new attempt: the buttons of any older one expire
        user.screen = rescreen(Screen(user.screen))
        attempt = await repo.add_attempt(s, user.id, quiz.blank_answers(count), now)
    else:
        attempt = await repo.latest_attempt(s, user.id)
    if user.scheduled and (attempt is None or attempt.finished_at is not None):
        # No quiz under way: cleared after a check-in's flag, or agreed from /privacy.
        due = user.next_due_at
        return BackToRoutine(None if due is None else local_date(due, zone_of(user)))
    if (step := gate(user)) is not None:
        return step
    user.awaiting = None
    if attempt is None or attempt.finished_at is not None:
        attempt = await repo.add_attempt(s, user.id, quiz.blank_answers(count), now)
    return Question(attempt.id, quiz.next_question(attempt.answers) or 0)


async def agree_privacy(db: Database, user_id: int, now: datetime, content: Content) -> QuizStep:
    """Record the agreement to the privacy notice; the first health question follows."""
    async with locked_user(db, user_id) as (s, user):
        triage.agree_to_privacy(user, now)
        return await _quiz_step(s, user, now, content, fresh=False)


async def answer_age(
    db: Database, user_id: int, band: AgeBand, now: datetime, content: Content
) -> QuizStep:
    """Store the age band; a child or teenager is advised to see a doctor first."""
    async with locked_user(db, user_id) as (s, user):
        await triage.set_age_band(s, user, band, now)
        return await _quiz_step(s, user, now, content, fresh=False)


async def answer_red_flags(
    db: Database,
    user_id: int,
    stage: Verdict,
    answer: ScreenAnswer,
    now: datetime,
    content: Content,
) -> QuizStep:
    """Record a press on the tiered screen; a "yes" stops at its tier's advice until "I have
    been cleared", which is recorded with its date."""
    async with locked_user(db, user_id) as (s, user):
        await triage.press(s, user, stage, answer, now)
        return await _quiz_step(s, user, now, content, fresh=False)


@dataclass(frozen=True, slots=True)
class QuizFinished:
    answers: str  # one "y" or "n" per question, in order
    result: quiz.Recommendation
    previous_on: date | None  # the day of the quiz before, when there was one
    changes: tuple[quiz.SignChange, ...]  # sign by sign since then


@dataclass(frozen=True, slots=True)
class QuizPressed:
    """Where a quiz press led, and the user's stored language, read in the same query: the
    press needs no transaction of its own to find the language it is answered in."""

    outcome: Question | QuizFinished
    language: str | None


async def answer_quiz(
    db: Database,
    user_id: int,
    question: Question,
    answer: bool | None,
    now: datetime,
    content: Content,
) -> QuizPressed:
    """Record one answer (None: go back one question); the next question or the result."""
    question_ids = [q.id for q in content.quiz.questions]
    # The hot path of onboarding: Core statements on a bare connection (no ORM session), the
    # user's row locked first as `locked_user` does, in one transaction (docs/BENCHMARKS.md).
    async with db.core_transaction() as c:
        progress = await repo.quiz_progress(c, user_id)
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
            await repo.save_answers(c, progress.attempt_id, answers)
            return QuizPressed(Question(progress.attempt_id, following), progress.language)
        result = quiz.recommend(
            answers,
            question_ids,
            [quiz.RoutineTarget(r.id, r.signs) for r in content.routines.values()],
            content.general_routine.id,
        )
        await repo.save_answers(c, progress.attempt_id, answers, now, result.routine_id)
        async with db.orm_within(c) as s:  # the last answer: the comparison and gentler starts
            previous = await repo.previous_finished_attempt(s, user_id, progress.attempt_id)
            previous_on = None
            changes: tuple[quiz.SignChange, ...] = ()
            if previous is not None and previous.finished_at is not None:
                zone = ZoneInfo(progress.timezone or "UTC")
                previous_on = local_date(previous.finished_at, zone)
                changes = quiz.sign_changes(previous.answers, answers, question_ids)
            await _start_gently(s, user_id, result, now, content)
        return QuizPressed(QuizFinished(answers, result, previous_on, changes), progress.language)


async def _start_gently(
    s: AsyncSession, user_id: int, result: quiz.Recommendation, now: datetime, content: Content
) -> None:
    """Put the exercises a "yes" calls for on their gentler form (quiz.yaml `start_easier`).
    Only where the user has no form or level yet: a retake never undoes progress made."""
    stored = await repo.exercise_choices(s, user_id)
    for slot, choice in initial_variants(result.yes_signs, content.start_easier).items():
        if slot not in stored:
            await repo.set_exercise_choice(s, user_id, slot, choice, now)
