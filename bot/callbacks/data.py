"""The callback data's types: one frozen dataclass per kind of button, and the limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import Final

MAX_BYTES: Final = 64  # Telegram's limit for callback_data


class SessionAction(StrEnum):
    DONE = "d"
    SNOOZE = "z"
    SKIP = "k"
    PARTLY = "p"
    WRONG = "w"  # "Something's wrong": offer the red-flag list
    SHOW = "v"  # "👀 Show me": the day's demonstrations
    RATE = "r"  # "Rate pain": the pain-before scale, on the card


class GuidedAction(StrEnum):
    START = "s"
    NEXT = "n"
    BACK = "b"
    TIMER = "t"
    HURTS = "h"


class MenuItem(StrEnum):
    TIME = "time"
    ZONE = "zone"
    ROUTINE = "routine"
    QUIZ = "quiz"
    PROGRESS = "progress"
    TODAY = "today"
    SUMMARY = "summary"
    DAYS = "days"
    LANGUAGE = "language"


class ZoneWay(StrEnum):
    LOCATION = "loc"  # "📍 Share my location"
    CLOCK = "now"  # "🕐 Type my local time"


class FileKind(StrEnum):
    CHART = "chart"
    REPORT = "report"
    EXPORT = "export"


# The screen's stages a button can belong to: a red-flag tier (bot.domain.triage.Tier), or
# "young" (the age advice), which has only "I have been cleared".
RED_FLAG_TIERS: Final = ("emergency_now", "doctor_today", "book_first")
RED_FLAG_STAGES: Final = (*RED_FLAG_TIERS, "young")
AGE_BANDS: Final = ("child", "teen", "adult")


@dataclass(frozen=True, slots=True)
class RedFlagAnswer:
    stage: str  # one of RED_FLAG_STAGES: the tier asked, or the advice stopped at
    answer: str  # "y" (a flag of the tier applies), "n" (none), "ok" (cleared by a clinician)


@dataclass(frozen=True, slots=True)
class PrivacyAgree:
    """ "I agree" under the privacy notice."""


@dataclass(frozen=True, slots=True)
class AgeBandAnswer:
    band: str  # one of AGE_BANDS


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    attempt_id: int
    index: int  # 0-based question index
    choice: str  # "y", "n" or "b" (back)


@dataclass(frozen=True, slots=True)
class ChooseRoutine:
    routine_id: str


@dataclass(frozen=True, slots=True)
class ChooseTime:
    at: time | None  # None: "I'll type it"


@dataclass(frozen=True, slots=True)
class ChooseZone:
    name: str | None  # None: "I'll type it"


@dataclass(frozen=True, slots=True)
class FindZone:
    """Another way to the time zone than its name."""

    way: ZoneWay


@dataclass(frozen=True, slots=True)
class SessionPress:
    day: date
    action: SessionAction


@dataclass(frozen=True, slots=True)
class SnoozeFor:
    day: date
    minutes: int | None  # one of SNOOZE_MINUTES; None: this evening (SNOOZE_EVENING, local)


@dataclass(frozen=True, slots=True)
class Guided:
    day: date
    step: int  # 0-based: the step on screen when the button was made
    action: GuidedAction


@dataclass(frozen=True, slots=True)
class TimerHold:
    """Start the guided timer for one hold of a step (0-based: the first side, direction...)."""

    day: date
    step: int
    hold: int


@dataclass(frozen=True, slots=True)
class PainRating:
    day: date
    score: int


@dataclass(frozen=True, slots=True)
class PainBefore:
    day: date
    score: int


@dataclass(frozen=True, slots=True)
class CheckinRedFlag:
    day: date
    tier: str  # one of RED_FLAG_TIERS: the tier asked after "Something's wrong"
    yes: bool


@dataclass(frozen=True, slots=True)
class Recheck:
    accept: bool  # retake the quiz now, or not now


@dataclass(frozen=True, slots=True)
class AddNote:
    day: date


@dataclass(frozen=True, slots=True)
class Pause:
    days: int


@dataclass(frozen=True, slots=True)
class ChooseDays:
    days: int  # a bit per weekday, Monday = 1
    save: bool  # False: show the custom picker with these days ticked


@dataclass(frozen=True, slots=True)
class SecondReminder:
    hours: int  # 0: none


@dataclass(frozen=True, slots=True)
class DeleteData:
    confirm: bool


@dataclass(frozen=True, slots=True)
class Menu:
    item: MenuItem


@dataclass(frozen=True, slots=True)
class SendFile:
    kind: FileKind


@dataclass(frozen=True, slots=True)
class ChooseLanguage:
    code: str  # a content language ("en", "es", "de"); checked against the loaded ones on use


@dataclass(frozen=True, slots=True)
class SummaryDay:
    weekday: int | None  # 0 = Monday … 6 = Sunday; None: no weekly summary


Callback = (
    RedFlagAnswer
    | PrivacyAgree
    | AgeBandAnswer
    | QuizAnswer
    | ChooseRoutine
    | ChooseTime
    | ChooseZone
    | SessionPress
    | Guided
    | PainRating
    | PainBefore
    | AddNote
    | CheckinRedFlag
    | Recheck
    | Pause
    | ChooseDays
    | SecondReminder
    | DeleteData
    | Menu
    | SendFile
    | SummaryDay
    | SnoozeFor
    | FindZone
    | TimerHold
    | ChooseLanguage
)

MAX_PAUSE_DAYS: Final = 90
MAX_STEPS: Final = 20
MAX_HOLDS: Final = 12  # timed holds in one step (Level.holds × sides, at most 12)
SECOND_REMINDER_HOURS: Final = (0, 2, 4, 6)
SNOOZE_MINUTES: Final = (15, 60, 180)
SNOOZE_EVENING: Final = time(19, 0)  # "this evening", the user's local time
