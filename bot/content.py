"""Load and validate the bot's content (content/*.yaml) into typed, immutable models.

Content is data: exercises, routines, the quiz, the red-flag screen (triage.yaml), every message
the bot sends and every label it shows (content_fields.py lists their keys). It is read once at
start-up; anything broken stops start-up with an error that names the file and the entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TypeVar
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, get_day_names, get_month_names
from babel.numbers import format_decimal, format_percent
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.content_fields import LABEL_FIELDS, MESSAGE_FIELDS, WEBAPP_FIELDS
from bot.content_languages import TranslationError, compare
from bot.content_templates import (
    LANGUAGE_DIR,
    load_templates,
    read_yaml,
    where,
)
from bot.content_templates import (
    ContentError as ContentError,
)
from bot.content_templates import (
    Messages as Messages,
)
from bot.demos.data import Demo, load_demos
from bot.domain.durations import Duration, fits, total
from bot.domain.variants import Ladder, PlanStep, easier_path, plan
from bot.exercises import Exercise as Exercise
from bot.exercises import ExerciseKind as ExerciseKind
from bot.exercises import check_variants
from bot.places import Places, PlacesError, parse_places
from bot.triage_content import Triage, TriageError, parse_triage

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
ENGLISH = "en"  # the reference language every other one mirrors
# The files each language directory holds (demos.yaml and places.yaml are shared).
LANGUAGE_FILES = ("exercises", "routines", "quiz", "messages", "labels", "triage")


M = TypeVar("M", "Exercise", "Routine")


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


class Quiz(_Frozen):
    questions: tuple[QuizQuestion, ...] = Field(min_length=5, max_length=5)


class Words(_Frozen):
    """The words /summary takes as "off" (labels.yaml, `names`)."""

    off_words: tuple[str, ...] = Field(min_length=1)


class Language(_Frozen):
    """A language's Babel locale (dates, day and month names, plural rules) and its own name."""

    locale: str = Field(min_length=2)
    name: str = Field(min_length=1)  # as its speakers write it: the /language button


@dataclass(frozen=True, slots=True)
class Names:
    """Day and month names (Monday and January first, from Babel), and the "off" words."""

    weekdays: tuple[str, ...]
    weekdays_short: tuple[str, ...]
    weekdays_heads: tuple[str, ...]  # the /progress calendar's columns
    months_short: tuple[str, ...]
    off_words: tuple[str, ...]


class Catalog:
    """Every language's content by code, shared by them all; English is the fallback."""

    def __init__(self) -> None:
        self._by_code: dict[str, Content] = {}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    def add(self, content: Content) -> None:
        self._by_code[content.code] = content

    def get(self, code: str | None) -> Content:
        return self._by_code.get(code or ENGLISH) or self._by_code[ENGLISH]

    def supported(self, language_code: str | None) -> str | None:
        """The language a Telegram `language_code` ("es", "es-419", "de-AT") maps to, if any."""
        if not language_code:
            return None
        base = language_code.replace("_", "-").split("-")[0].lower()
        return base if base in self._by_code else None


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
    webapp: Messages  # the Mini App page's words (labels.yaml `webapp:`), sent by /api/texts
    code: str  # the language's directory under content/ ("en", "es", ...)
    language: Language
    catalog: Catalog = field(compare=False, repr=False)
    locale: Locale = field(compare=False, repr=False)  # language.locale, parsed once

    def for_language(self, code: str | None) -> Content:
        """The same content in language `code` (English when not supported)."""
        return self.catalog.get(code)

    def decimal(self, number: float) -> str:
        """One decimal, as the language writes it: "4.0" in English, "4,0" in German."""
        return format_decimal(number, format="0.0", locale=self.locale)

    def percent(self, rate: float) -> str:
        """A whole percentage, as the language writes it: "86%", "86 %"."""
        return format_percent(rate, locale=self.locale)

    @property
    def languages(self) -> tuple[Content, ...]:
        return tuple(self.catalog.get(code) for code in self.catalog.codes)

    def supported(self, language_code: str | None) -> str | None:
        return self.catalog.supported(language_code)

    def date(self, day: date, skeleton: str = "MMMEd") -> str:
        """A date in this language's own format: "Sat 21 Nov", "sáb, 21 nov", "Sa., 21. Nov."."""
        return format_skeleton(skeleton, day, locale=self.locale)

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
    """Read, validate and cross-check every content file of every language (each directory
    under `directory`, English required) and return English; the others are reached with
    `for_language`. Raise ContentError on any fault."""
    english_dir = directory / ENGLISH
    if not english_dir.is_dir():
        raise ContentError(f"{ENGLISH}/: the English content directory is missing in {directory}")
    try:
        places = parse_places(read_yaml(directory / "places.yaml"), available_timezones())
    except PlacesError as e:
        raise ContentError(f"{e.file}: {e}") from None
    others = (p.name for p in directory.iterdir() if p.is_dir() and p.name != ENGLISH)
    codes = [ENGLISH, *sorted(name for name in others if LANGUAGE_DIR.match(name))]
    catalog = Catalog()
    demos: Mapping[str, Demo] | None = None
    for code in codes:
        if code != ENGLISH:
            _mirror_english(directory, code)
        content = _load_language(directory, code, places, demos, catalog)
        demos = content.demos
        catalog.add(content)
    return catalog.get(ENGLISH)


def _captioned(
    code: str, demos: Mapping[str, Demo], exercises: Mapping[str, Exercise]
) -> Mapping[str, Demo]:
    """The demonstrations with their captions in this language: each exercise's `demo_cues`,
    one per keyframe of its entry in demos.yaml."""
    captioned: dict[str, Demo] = {}
    for exercise_id, demo in demos.items():
        cues = exercises[exercise_id].demo_cues
        if len(cues) != len(demo.keyframes):
            raise ContentError(
                f"{code}/exercises.yaml: exercise '{exercise_id}': demo_cues has {len(cues)} "
                f"caption(s), its demos.yaml entry has {len(demo.keyframes)} keyframes"
            )
        frames = tuple(
            key.model_copy(update={"cue": cue})
            for key, cue in zip(demo.keyframes, cues, strict=True)
        )
        captioned[exercise_id] = demo.model_copy(update={"keyframes": frames})
    return MappingProxyType(captioned)


def _mirror_english(directory: Path, code: str) -> None:
    for name in LANGUAGE_FILES:
        file = f"{name}.yaml"
        english = read_yaml(directory / ENGLISH / file)
        translated = read_yaml(directory / code / file)
        try:
            compare(file, code, english, translated)
        except TranslationError as e:
            raise ContentError(str(e)) from None


def _load_language(
    directory: Path,
    code: str,
    places: Places,
    demos: Mapping[str, Demo] | None,
    catalog: Catalog,
) -> Content:
    texts = directory / code
    exercises = _load_entries(texts / "exercises.yaml", "exercises", Exercise)
    routines = _load_entries(texts / "routines.yaml", "routines", Routine)
    quiz = _load_one(texts / "quiz.yaml", Quiz)
    labels_path = texts / "labels.yaml"
    language = _load_one(labels_path, Language, section="language")
    try:
        locale = Locale.parse(language.locale)
    except (UnknownLocaleError, ValueError):
        raise ContentError(
            f"{where(labels_path)}: language.locale: '{language.locale}' is not a known locale"
        ) from None
    plural_categories = locale.plural_form.tags | {"other"}
    messages = load_templates(texts / "messages.yaml", "messages", MESSAGE_FIELDS)
    labels = load_templates(labels_path, "labels", LABEL_FIELDS, plural_categories)
    webapp = load_templates(labels_path, "webapp", WEBAPP_FIELDS)
    words = _load_one(labels_path, Words, section="names")
    _cross_check(code, exercises, routines, quiz)
    try:
        triage = parse_triage(read_yaml(texts / "triage.yaml"))
    except TriageError as e:
        raise ContentError(f"{code}/{e.file}: {e}") from None
    return Content(
        exercises=MappingProxyType(exercises),
        routines=MappingProxyType(routines),
        quiz=quiz,
        messages=messages,
        triage=triage,
        places=places,
        demos=_captioned(
            code, demos if demos is not None else load_demos(directory, exercises), exercises
        ),
        labels=Messages(labels.templates, labels.plurals, locale.plural_form),
        names=_names(locale, words),
        webapp=webapp,
        code=code,
        language=language,
        catalog=catalog,
        locale=locale,
    )


def _names(locale: Locale, words: Words) -> Names:
    def days(width: Literal["abbreviated", "short", "wide"]) -> tuple[str, ...]:
        names = get_day_names(width, locale=locale)  # 0 is Monday
        return tuple(str(names[i]) for i in range(7))

    months = get_month_names("abbreviated", locale=locale)  # 1 is January
    return Names(
        weekdays=days("wide"),
        weekdays_short=days("abbreviated"),
        weekdays_heads=days("short"),
        months_short=tuple(str(months[i]).rstrip(".") for i in range(1, 13)),
        off_words=words.off_words,
    )


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def _load_entries(path: Path, key: str, model: type[M]) -> dict[str, M]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list) or not data[key]:
        raise ContentError(f"{where(path)}: expected a non-empty list under '{key}'")
    entries: dict[str, M] = {}
    for index, raw in enumerate(data[key]):
        label = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"entry {index + 1}"
        try:
            entry = model.model_validate(raw)
        except ValidationError as e:
            raise ContentError(f"{where(path)}: {key} '{label}': {_describe(e)}") from None
        if entry.id in entries:
            raise ContentError(f"{where(path)}: {key} '{entry.id}': duplicate id")
        entries[entry.id] = entry
    return entries


One = TypeVar("One", Quiz, Words, Language)


def _load_one(path: Path, model: type[One], *, section: str | None = None) -> One:
    data = read_yaml(path)
    if section is not None:
        data = data.get(section) if isinstance(data, dict) else None
    try:
        return model.model_validate(data)
    except ValidationError as e:
        prefix = f"{section}." if section else ""
        raise ContentError(f"{where(path)}: {prefix}{_describe(e)}") from None


def _cross_check(
    code: str,
    exercises: Mapping[str, Exercise],
    routines: Mapping[str, Routine],
    quiz: Quiz,
) -> None:
    sign_ids = {q.id for q in quiz.questions}
    if len(sign_ids) != len(quiz.questions):
        raise ContentError(f"{code}/quiz.yaml: questions: duplicate question id")
    for routine in routines.values():
        where = f"{code}/routines.yaml: routines '{routine.id}'"
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
            raise ContentError(f"{code}/exercises.yaml: exercises '{exercise.id}': {e}") from None
        # Deep (full) pigeon pose loads the knee; only supported variants may be prescribed.
        if "full pigeon" in exercise.name.lower() or exercise.id == "pigeon":
            raise ContentError(
                f"{code}/exercises.yaml: exercises '{exercise.id}': full pigeon is not allowed"
            )
    ladders = {e.id: Ladder(e.easier, e.harder, len(e.levels)) for e in exercises.values()}
    for question in quiz.questions:
        for slot, variant in question.start_easier.items():
            if slot not in exercises or variant not in easier_path(slot, ladders)[1:]:
                raise ContentError(
                    f"{code}/quiz.yaml: questions '{question.id}': start_easier: "
                    f"'{variant}' is not an easier variant of '{slot}'"
                )
    general = [r.id for r in routines.values() if r.general]
    if len(general) != 1:
        raise ContentError(
            f"{code}/routines.yaml: exactly one routine must be general, found {general}"
        )
