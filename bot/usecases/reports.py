"""Charts and files: what the four-week chart, the clinician report and the data export show,
gathered from the database, and the weekly summary's day.

`gather_report` collects every figure of the report in one frozen `ReportData`; a new field
is added there and in bot/pdf.py only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content import Content
from bot.domain.history import (
    CHART_DAYS,
    Adherence,
    DayRecord,
    WeekPain,
    adherence,
    day_records,
    weekly_pain,
)
from bot.domain.schedule import format_time
from bot.domain.variants import PlanStep
from bot.storage import repo
from bot.storage.db import Database
from bot.storage.models import User
from bot.usecases.common import locked_user, today_of
from bot.usecases.figures import plan_of, recent_days

REPORT_WEEKS = 52  # the pain table goes back at most a year
EXPORT_FORMAT = "hip-check-export/1"


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    """One exercise of the routine as the user does it now."""

    name: str
    exercise_id: str  # its demonstration's key pose goes beside the dose
    dose: str  # at the user's level
    level: int
    levels: int  # how many the exercise has
    instead_of: str | None  # the routine's exercise it stands in for, when an easier form


@dataclass(frozen=True, slots=True)
class QuizRecord:
    finished_on: date
    answers: tuple[bool | None, ...]  # per sign, in the quiz's order; None: not answered
    recommended: str | None  # the routine's name


@dataclass(frozen=True, slots=True)
class ReportData:
    """Every figure the clinician report shows."""

    name: str
    today: date
    created_at: datetime
    routine: str | None
    exercises: tuple[ExerciseLine, ...]  # with the user's variants and levels
    reminder: str | None  # "07:30"
    timezone: str | None
    first_day: date | None  # of the first session
    overall: Adherence
    recent: Adherence  # the last four weeks
    days: tuple[DayRecord, ...]  # the last four weeks, oldest first
    notes: tuple[DayRecord, ...]  # the days with a note, since the first week shown; oldest first
    red_flag_on: date | None  # the day a check-in's red flag stopped reminders, until /resume
    cleared_on: date | None  # the day of the last "I have been cleared" (by a clinician)
    weeks: tuple[WeekPain, ...]  # since the first session (at most a year), oldest first
    signs: tuple[str, ...]  # the quiz questions, in order
    quizzes: tuple[QuizRecord, ...]  # oldest first


async def gather_report(
    s: AsyncSession, user: User, content: Content, now: datetime, name: str
) -> ReportData:
    today = today_of(user, now)
    logged = await repo.day_records(s, user.id)
    statuses = {r.day: r.status for r in logged if r.status is not None}
    first_day = min(statuses, default=None)
    since = max(first_day or today, today - timedelta(weeks=REPORT_WEEKS))
    since -= timedelta(days=since.weekday())  # whole weeks, Monday first
    recent_since = today - timedelta(days=CHART_DAYS - 1)
    routine = content.routines.get(user.routine_id or "")
    steps = () if routine is None else await plan_of(s, user.id, routine)
    signs = content.quiz.questions
    return ReportData(
        name=name,
        today=today,
        created_at=now,
        routine=None if routine is None else routine.name,
        exercises=tuple(_exercise_line(content, step) for step in steps),
        reminder=None if user.reminder_time is None else format_time(user.reminder_time),
        timezone=user.timezone,
        first_day=first_day,
        overall=adherence(statuses, today),
        recent=adherence({d: st for d, st in statuses.items() if d >= recent_since}, today),
        days=day_records(logged, today, CHART_DAYS),
        notes=tuple(r for r in logged if r.note and since <= r.day <= today),
        red_flag_on=None if user.red_flag_at is None else today_of(user, user.red_flag_at),
        cleared_on=None if user.cleared_at is None else today_of(user, user.cleared_at),
        weeks=weekly_pain(day_records(logged, today, (today - since).days + 1)),
        signs=tuple(q.text for q in signs),
        quizzes=tuple(
            QuizRecord(
                finished_on=today_of(user, attempt.finished_at),
                answers=tuple(
                    {"y": True, "n": False}.get(a) for a in attempt.answers.ljust(len(signs), "-")
                )[: len(signs)],
                recommended=_routine_name(content, attempt.recommended_routine_id),
            )
            for attempt in await repo.finished_attempts(s, user.id)
            if attempt.finished_at is not None
        ),
    )


def _exercise_line(content: Content, step: PlanStep) -> ExerciseLine:
    exercise = content.exercises[step.exercise_id]
    levels = len(exercise.levels)
    return ExerciseLine(
        name=exercise.name,
        exercise_id=exercise.id,
        dose=exercise.level(step.level).dose,
        level=max(1, min(step.level, levels)),
        levels=levels,
        instead_of=None if step.exercise_id == step.slot else content.exercises[step.slot].name,
    )


def _routine_name(content: Content, routine_id: str | None) -> str | None:
    routine = None if routine_id is None else content.routines.get(routine_id)
    return None if routine is None else routine.name


def export_document(rows: dict[str, list[dict[str, Any]]], now: datetime) -> bytes:
    """All of a user's rows as a JSON document, every column by name, times in ISO 8601."""
    payload = {"format": EXPORT_FORMAT, "exported_at": now.isoformat(), "tables": rows}
    return json.dumps(payload, default=_json_value, ensure_ascii=False, indent=2).encode()


def _json_value(value: object) -> str:
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    raise TypeError(f"cannot export a {type(value).__name__}")


async def chart_days(db: Database, user_id: int, now: datetime) -> tuple[DayRecord, ...]:
    """The four weeks the chart shows."""
    async with locked_user(db, user_id) as (s, user):
        return await recent_days(s, user, today_of(user, now))


async def report(
    db: Database, user_id: int, now: datetime, content: Content, name: str
) -> ReportData:
    """Every figure of the clinician report."""
    async with locked_user(db, user_id) as (s, user):
        return await gather_report(s, user, content, now, name)


@dataclass(frozen=True, slots=True)
class Export:
    document: bytes  # JSON
    today: date


async def export(db: Database, user_id: int, now: datetime) -> Export:
    """Every stored row of the user, as a JSON document."""
    async with locked_user(db, user_id) as (s, user):
        rows = await repo.user_rows(s, user_id)
        return Export(export_document(rows, now), today_of(user, now))
