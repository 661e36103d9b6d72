"""Encoding and parsing callback data: `encode` makes every button's data, `parse` reads it
back and accepts only the canonical form."""

from __future__ import annotations

import functools
import re
from datetime import date, time

from bot.callbacks.data import (
    AGE_BANDS,
    MAX_BYTES,
    MAX_HOLDS,
    MAX_PAUSE_DAYS,
    MAX_STEPS,
    RED_FLAG_STAGES,
    RED_FLAG_TIERS,
    SECOND_REMINDER_HOURS,
    SNOOZE_MINUTES,
    AddNote,
    AgeBandAnswer,
    Callback,
    CheckinRedFlag,
    ChooseDays,
    ChooseLanguage,
    ChooseRoutine,
    ChooseTime,
    ChooseZone,
    DeleteData,
    FileKind,
    FindZone,
    Guided,
    GuidedAction,
    Menu,
    MenuItem,
    PainBefore,
    PainRating,
    Pause,
    PrivacyAgree,
    QuizAnswer,
    Recheck,
    RedFlagAnswer,
    SecondReminder,
    SendFile,
    SessionAction,
    SessionPress,
    SnoozeFor,
    SummaryDay,
    TimerHold,
    ZoneWay,
)


class InvalidCallback(ValueError):
    """Callback data this version of the bot does not understand."""


_ID = re.compile(r"^[a-z0-9-]{1,24}$")
_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")
_DAY = re.compile(r"^\d{8}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_NUMBER = re.compile(r"^(0|[1-9]\d{0,8})$")


def encode(callback: Callback) -> str:
    """The data string for a button; its length is checked against Telegram's limit."""
    match callback:
        case RedFlagAnswer(stage, answer):
            data = f"rf2:{stage}:{answer}"
        case PrivacyAgree():
            data = "pv1:ok"
        case AgeBandAnswer(band):
            data = f"ag1:{band}"
        case QuizAnswer(attempt_id, index, choice):
            data = f"q1:{attempt_id}:{index}:{choice}"
        case ChooseRoutine(routine_id):
            data = f"r1:{routine_id}"
        case ChooseTime(at):
            data = "t1:type" if at is None else f"t1:{at.hour:02d}{at.minute:02d}"
        case ChooseZone(name):
            data = "z1:type" if name is None else f"z1:{name}"
        case FindZone(way):
            data = f"zw1:{way.value}"
        case SessionPress(day, action):
            data = f"s1:{day:%Y%m%d}:{action.value}"
        case SnoozeFor(day, minutes):
            data = f"zs1:{day:%Y%m%d}:{'eve' if minutes is None else minutes}"
        case Guided(day, step, action):
            data = f"g1:{day:%Y%m%d}:{step}:{action.value}"
        case TimerHold(day, step, hold):
            data = f"gh1:{day:%Y%m%d}:{step}:{hold}"
        case PainRating(day, score):
            data = f"p1:{day:%Y%m%d}:{score}"
        case PainBefore(day, score):
            data = f"pb1:{day:%Y%m%d}:{score}"
        case CheckinRedFlag(day, tier, yes):
            data = f"w2:{day:%Y%m%d}:{tier}:{'y' if yes else 'n'}"
        case Recheck(accept):
            data = f"rc1:{'y' if accept else 'n'}"
        case AddNote(day):
            data = f"n1:{day:%Y%m%d}"
        case Pause(days):
            data = f"ps1:{days}"
        case ChooseDays(days, save):
            data = f"dy1:{days}:{'s' if save else 'e'}"
        case SecondReminder(hours):
            data = f"sr1:{hours}"
        case DeleteData(confirm):
            data = f"x1:{'y' if confirm else 'n'}"
        case Menu(item):
            data = f"m1:{item.value}"
        case SendFile(kind):
            data = f"f1:{kind.value}"
        case SummaryDay(weekday):
            data = "sd1:off" if weekday is None else f"sd1:{weekday}"
        case ChooseLanguage(code):
            data = f"lg1:{code}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


# A press is parsed by the language resolver, by each button handler asked whether it is
# theirs, then by the one that is: the same few strings, parsed once. The callbacks are frozen,
# so sharing one is safe; refusals are exceptions, which the cache does not keep.
@functools.lru_cache(maxsize=4096)
def parse(data: str) -> Callback:
    """Read callback data made by `encode`; raise InvalidCallback for anything else."""
    if len(data.encode()) > MAX_BYTES:
        raise InvalidCallback(data[:MAX_BYTES])
    namespace, _, rest = data.partition(":")
    args = rest.split(":")
    try:
        callback = _PARSERS[namespace](args)
    except (KeyError, ValueError, IndexError):
        raise InvalidCallback(data) from None
    if encode(callback) != data:  # only the canonical form is accepted
        raise InvalidCallback(data)
    return callback


def _one(args: list[str]) -> str:
    if len(args) != 1:
        raise ValueError(args)
    return args[0]


def _number(text: str) -> int:
    if not _NUMBER.match(text):
        raise ValueError(text)
    return int(text)


def _date(text: str) -> date:
    if not _DAY.match(text):
        raise ValueError(text)
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _red_flag(args: list[str]) -> Callback:
    stage, answer = args
    # A tier is answered yes or no; any stop (a tier's or the age advice) is cleared.
    if (answer == "ok" and stage in RED_FLAG_STAGES) or (
        answer in ("y", "n") and stage in RED_FLAG_TIERS
    ):
        return RedFlagAnswer(stage, answer)
    raise ValueError(args)


def _privacy(args: list[str]) -> Callback:
    if _one(args) != "ok":
        raise ValueError(args)
    return PrivacyAgree()


def _age_band(args: list[str]) -> Callback:
    band = _one(args)
    if band not in AGE_BANDS:
        raise ValueError(band)
    return AgeBandAnswer(band)


def _quiz(args: list[str]) -> Callback:
    attempt, index, choice = args
    if choice not in ("y", "n", "b"):
        raise ValueError(choice)
    return QuizAnswer(_number(attempt), _number(index), choice)


def _routine(args: list[str]) -> Callback:
    routine_id = _one(args)
    if not _ID.match(routine_id):
        raise ValueError(routine_id)
    return ChooseRoutine(routine_id)


def _time(args: list[str]) -> Callback:
    value = _one(args)
    if value == "type":
        return ChooseTime(None)
    if len(value) != 4 or not value.isascii() or not value.isdigit():
        raise ValueError(value)
    return ChooseTime(time(int(value[:2]), int(value[2:])))


def _zone(args: list[str]) -> Callback:
    value = _one(args)
    if value == "type":
        return ChooseZone(None)
    if not _ZONE.match(value):
        raise ValueError(value)
    return ChooseZone(value)


def _find_zone(args: list[str]) -> Callback:
    return FindZone(ZoneWay(_one(args)))


def _session(args: list[str]) -> Callback:
    day, action = args
    return SessionPress(_date(day), SessionAction(action))


def _snooze(args: list[str]) -> Callback:
    day, minutes = args
    if minutes == "eve":
        return SnoozeFor(_date(day), None)
    value = _number(minutes)
    if value not in SNOOZE_MINUTES:
        raise ValueError(minutes)
    return SnoozeFor(_date(day), value)


def _guided(args: list[str]) -> Callback:
    day, step, action = args
    index = _number(step)
    if index >= MAX_STEPS:
        raise ValueError(step)
    return Guided(_date(day), index, GuidedAction(action))


def _timer_hold(args: list[str]) -> Callback:
    day, step, hold = args
    index, number = _number(step), _number(hold)
    if index >= MAX_STEPS or number >= MAX_HOLDS:
        raise ValueError(args)
    return TimerHold(_date(day), index, number)


def _pain(args: list[str]) -> Callback:
    day, score = args
    value = _number(score)
    if value > 10:
        raise ValueError(score)
    return PainRating(_date(day), value)


def _pain_before(args: list[str]) -> Callback:
    rating = _pain(args)
    assert isinstance(rating, PainRating)
    return PainBefore(rating.day, rating.score)


def _checkin_red_flag(args: list[str]) -> Callback:
    day, tier, answer = args
    if tier not in RED_FLAG_TIERS or answer not in ("y", "n"):
        raise ValueError(args)
    return CheckinRedFlag(_date(day), tier, answer == "y")


def _recheck(args: list[str]) -> Callback:
    answer = _one(args)
    if answer not in ("y", "n"):
        raise ValueError(answer)
    return Recheck(answer == "y")


def _note(args: list[str]) -> Callback:
    return AddNote(_date(_one(args)))


def _pause(args: list[str]) -> Callback:
    days = _number(_one(args))
    if not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValueError(days)
    return Pause(days)


def _days(args: list[str]) -> Callback:
    days, mode = args
    value = _number(days)
    if value > 127 or mode not in ("s", "e"):
        raise ValueError(args)
    return ChooseDays(value, mode == "s")


def _second_reminder(args: list[str]) -> Callback:
    hours = _number(_one(args))
    if hours not in SECOND_REMINDER_HOURS:
        raise ValueError(hours)
    return SecondReminder(hours)


def _delete(args: list[str]) -> Callback:
    answer = _one(args)
    if answer not in ("y", "n"):
        raise ValueError(answer)
    return DeleteData(answer == "y")


def _menu(args: list[str]) -> Callback:
    return Menu(MenuItem(_one(args)))


def _send_file(args: list[str]) -> Callback:
    return SendFile(FileKind(_one(args)))


def _summary_day(args: list[str]) -> Callback:
    value = _one(args)
    if value == "off":
        return SummaryDay(None)
    weekday = _number(value)
    if weekday > 6:
        raise ValueError(value)
    return SummaryDay(weekday)


def _language(args: list[str]) -> Callback:
    code = _one(args)
    if not _LANGUAGE.match(code):
        raise ValueError(code)
    return ChooseLanguage(code)


_PARSERS = {
    "rf2": _red_flag,
    "pv1": _privacy,
    "ag1": _age_band,
    "q1": _quiz,
    "r1": _routine,
    "t1": _time,
    "z1": _zone,
    "zw1": _find_zone,
    "s1": _session,
    "zs1": _snooze,
    "g1": _guided,
    "gh1": _timer_hold,
    "p1": _pain,
    "pb1": _pain_before,
    "n1": _note,
    "w2": _checkin_red_flag,
    "rc1": _recheck,
    "ps1": _pause,
    "dy1": _days,
    "sr1": _second_reminder,
    "x1": _delete,
    "m1": _menu,
    "f1": _send_file,
    "sd1": _summary_day,
    "lg1": _language,
}
