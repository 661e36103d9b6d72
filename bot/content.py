"""Load and validate the bot's content (content/*.yaml) into typed, immutable models.

Content is data: exercises, routines, the quiz with its red-flag screen, every message the bot
sends and every label it shows (content_fields.py lists their keys). It is read once at
start-up; anything broken stops start-up with an error that names the file and the entry.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import content_yaml
from bot.content_fields import LABEL_FIELDS, MESSAGE_FIELDS
from bot.demos.data import Demo, load_demos
from bot.domain.durations import Duration, fits, total
from bot.domain.variants import Ladder, PlanStep, easier_path, plan
from bot.exercises import Exercise as Exercise
from bot.exercises import ExerciseKind as ExerciseKind
from bot.exercises import check_variants
from bot.places import Places, PlacesError, parse_places
from bot.triage_content import Triage, TriageError, parse_triage

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


M = TypeVar("M", "Exercise", "Routine")


class ContentError(Exception):
    """Content that cannot be used; the message names the file and the entry."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Routine(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]{1,24}$")
    name: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    signs: tuple[str, ...] = ()  # quiz question ids this routine answers
    general: bool = False  # the routine offered when no sign points at the hips
    exercises: tuple[str, ...] = Field(min_length=1)
    minutes: int | None = Field(default=None, ge=1, le=60)  # a stated length must add up


class QuizQuestion(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]{1,24}$")
    text: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=60)  # the sign's name in the re-check
    why: str = Field(min_length=1)  # why a "yes" may point at the hips
    # A "yes" starts these routine exercises (slots) on a gentler variant: {slot: variant}.
    start_easier: Mapping[str, str] = Field(default_factory=dict)


class RedFlagScreen(_Frozen):
    question: str = Field(min_length=1)
    items: tuple[str, ...] = Field(min_length=1)


class Quiz(_Frozen):
    red_flags: RedFlagScreen
    questions: tuple[QuizQuestion, ...] = Field(min_length=5, max_length=5)


class Names(_Frozen):
    """Day and month names, Monday and January first, and the words /summary takes as "off"."""

    weekdays: tuple[str, ...] = Field(min_length=7, max_length=7)
    weekdays_short: tuple[str, ...] = Field(min_length=7, max_length=7)
    weekdays_heads: tuple[str, ...] = Field(min_length=7, max_length=7)  # calendar columns
    months_short: tuple[str, ...] = Field(min_length=12, max_length=12)
    off_words: tuple[str, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Messages:
    """The bot's message templates, looked up by key and filled with named values."""

    templates: Mapping[str, str]

    def __call__(self, key: str, /, **values: object) -> str:
        return self.templates[key].format(**values)


@dataclass(frozen=True, slots=True)
class Content:
    exercises: Mapping[str, Exercise]
    routines: Mapping[str, Routine]  # in file order
    quiz: Quiz
    messages: Messages
    triage: Triage  # the tiered red-flag screen, the age band, the privacy notice
    places: Places  # city names for typed time zones, and the zones offered by offset
    demos: Mapping[str, Demo]  # by exercise id (content/demos.yaml)
    labels: Messages  # button labels and the short words inside messages, charts and PDFs
    names: Names

    @property
    def general_routine(self) -> Routine:
        return next(r for r in self.routines.values() if r.general)

    def plan_duration(self, steps: Sequence[PlanStep]) -> Duration:
        """How long the routine takes as this user does it (variants and levels)."""
        return total(self.exercises[s.exercise_id].duration(s.level) for s in steps)

    def routine_duration(self, routine: Routine) -> Duration:
        return self.plan_duration(self.default_plan(routine))

    @property
    def start_easier(self) -> Mapping[str, Mapping[str, str]]:
        """Per quiz sign, the routine exercises a "yes" starts on a gentler variant."""
        return {q.id: q.start_easier for q in self.quiz.questions if q.start_easier}

    @property
    def ladders(self) -> Mapping[str, Ladder]:
        return {e.id: Ladder(e.easier, e.harder, len(e.levels)) for e in self.exercises.values()}

    def default_plan(self, routine: Routine) -> tuple[PlanStep, ...]:
        return plan(routine.exercises, {})


def load_content(directory: Path = DEFAULT_CONTENT_DIR) -> Content:
    """Read, validate and cross-check every content file; raise ContentError on any fault."""
    texts = directory / "en"
    exercises = _load_entries(texts / "exercises.yaml", "exercises", Exercise)
    routines = _load_entries(texts / "routines.yaml", "routines", Routine)
    quiz = _load_one(texts / "quiz.yaml", Quiz)
    messages = _load_templates(texts / "messages.yaml", "messages", MESSAGE_FIELDS)
    labels_path = texts / "labels.yaml"
    labels = _load_templates(labels_path, "labels", LABEL_FIELDS)
    names = _load_one(labels_path, Names, section="names")
    _cross_check(exercises, routines, quiz)
    try:
        triage = parse_triage(_read_yaml(texts / "triage.yaml"))
        places = parse_places(_read_yaml(directory / "places.yaml"), available_timezones())
    except (TriageError, PlacesError) as e:
        raise ContentError(f"{e.file}: {e}") from None
    return Content(
        exercises=MappingProxyType(exercises),
        routines=MappingProxyType(routines),
        quiz=quiz,
        messages=messages,
        triage=triage,
        places=places,
        demos=load_demos(directory, exercises),
        labels=labels,
        names=names,
    )


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return content_yaml.load(f)
    except FileNotFoundError:
        raise ContentError(f"{path.name}: file not found in {path.parent}") from None
    except content_yaml.YAMLError as e:
        raise ContentError(f"{path.name}: not valid YAML: {e}") from None


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _load_entries(path: Path, key: str, model: type[M]) -> dict[str, M]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not data[key]:
        raise ContentError(f"{path.name}: expected a non-empty list under '{key}'")
    entries: dict[str, M] = {}
    for index, raw in enumerate(data[key]):
        label = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"entry {index + 1}"
        try:
            entry = model.model_validate(raw)
        except ValidationError as e:
            raise ContentError(f"{path.name}: {key} '{label}': {_describe(e)}") from None
        if entry.id in entries:
            raise ContentError(f"{path.name}: {key} '{entry.id}': duplicate id")
        entries[entry.id] = entry
    return entries


One = TypeVar("One", Quiz, Names)


def _load_one(path: Path, model: type[One], *, section: str | None = None) -> One:
    data = _read_yaml(path)
    if section is not None:
        data = data.get(section) if isinstance(data, dict) else None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        where = f"{section}." if section else ""
        raise ContentError(f"{path.name}: {where}{_describe(e)}") from None


def _load_templates(path: Path, section: str, fields: Mapping[str, frozenset[str]]) -> Messages:
    """The templates under `section`, each checked against its allowed placeholders."""
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(section), dict):
        raise ContentError(f"{path.name}: expected a mapping under '{section}'")
    templates: dict[str, str] = data[section]
    kind = section.removesuffix("s")  # "message", "label"
    for key, allowed in fields.items():
        template = templates.get(key)
        if not isinstance(template, str) or not template.strip():
            raise ContentError(f"{path.name}: {kind} '{key}': missing or empty")
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        except ValueError as e:
            raise ContentError(f"{path.name}: {kind} '{key}': bad template: {e}") from None
        try:  # catches positional, nested and malformed fields the parse above lets through
            template.format(**dict.fromkeys(allowed, "x"))
        except (IndexError, KeyError, ValueError) as e:
            raise ContentError(f"{path.name}: {kind} '{key}': bad template: {e!r}") from None
        if unknown := used - allowed:
            raise ContentError(
                f"{path.name}: {kind} '{key}': unknown placeholder(s) {sorted(unknown)}; "
                f"allowed: {sorted(allowed) or 'none'}"
            )
    if extra := [str(k) for k in templates if k not in fields]:
        raise ContentError(f"{path.name}: {kind} '{extra[0]}': not used by the bot")
    return Messages(MappingProxyType(dict(templates)))


def _cross_check(
    exercises: Mapping[str, Exercise],
    routines: Mapping[str, Routine],
    quiz: Quiz,
) -> None:
    sign_ids = {q.id for q in quiz.questions}
    if len(sign_ids) != len(quiz.questions):
        raise ContentError("quiz.yaml: questions: duplicate question id")
    for routine in routines.values():
        where = f"routines.yaml: routines '{routine.id}'"
        for exercise_id in routine.exercises:
            if exercise_id not in exercises:
                raise ContentError(f"{where}: unknown exercise id '{exercise_id}'")
        if exercises[routine.exercises[0]].kind is not ExerciseKind.SOFT_TISSUE:
            raise ContentError(f"{where}: must start with soft-tissue work before stretching")
        for sign in routine.signs:
            if sign not in sign_ids:
                raise ContentError(f"{where}: unknown quiz sign '{sign}'")
        length = total(exercises[e].duration() for e in routine.exercises)
        if routine.minutes is not None and not fits(routine.minutes, length):
            raise ContentError(
                f"{where}: says {routine.minutes} min, but its doses add up to {length.label} min"
            )
    for exercise in exercises.values():
        try:
            check_variants(exercise, exercises)
        except ValueError as e:
            raise ContentError(f"exercises.yaml: exercises '{exercise.id}': {e}") from None
        # Deep (full) pigeon pose loads the knee; only supported variants may be prescribed.
        if "full pigeon" in exercise.name.lower() or exercise.id == "pigeon":
            raise ContentError(
                f"exercises.yaml: exercises '{exercise.id}': full pigeon is not allowed"
            )
    ladders = {e.id: Ladder(e.easier, e.harder, len(e.levels)) for e in exercises.values()}
    for question in quiz.questions:
        for slot, variant in question.start_easier.items():
            if slot not in exercises or variant not in easier_path(slot, ladders)[1:]:
                raise ContentError(
                    f"quiz.yaml: questions '{question.id}': start_easier: '{variant}' is not "
                    f"an easier variant of '{slot}'"
                )
    general = [r.id for r in routines.values() if r.general]
    if len(general) != 1:
        raise ContentError(f"routines.yaml: exactly one routine must be general, found {general}")
