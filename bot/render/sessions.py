"""The daily session and guided mode, the check-in's buttons, /history, /levels, /progress."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot import callbacks as cb
from bot.content import Content, Exercise, Routine
from bot.domain.history import DayRecord
from bot.domain.holds import Hold, hold_of
from bot.domain.progress import DayStatus, Progress, calendar_lines
from bot.domain.states import SessionStatus
from bot.domain.variants import PlanStep
from bot.render.common import Markup, button, day_label, days, escape, pain_change


def session(
    content: Content,
    routine: Routine,
    day: date,
    *,
    late: bool = False,
    steps: Sequence[PlanStep] | None = None,
    webapp: str | None = None,
) -> tuple[str, Markup]:
    """The daily session as a card that fits on a phone: each exercise with its dose on one
    line, the safety notes, and the numbered cues folded in an expandable quote.

    `steps` is the routine as this user does it (variants and levels); by default, as written.
    `webapp`: the Mini App's address, when it is on (see `session_buttons`).
    """
    m = content.messages
    steps = content.default_plan(routine) if steps is None else steps
    parts = [
        m(
            "session_header",
            routine=escape(routine.name),
            minutes=content.plan_duration(steps).label,
            date=day_label(content, day),
        )
    ]
    if late:
        parts.append(m("session_late"))
    lines, how = [], []
    for number, step in enumerate(steps, start=1):
        exercise = content.exercises[step.exercise_id]
        dose = exercise.level(step.level).dose
        lines.append(f"{number}. <b>{escape(exercise.name)}</b> · {escape(dose)}")
        how.append(f"<b>{number}. {escape(exercise.name)}</b>\n{cues(exercise)}")
    parts += ["\n".join(lines), m("doctor_note"), m("stop_cue")]
    folded = "\n".join([m("session_cues"), *how])
    parts.append(f"<blockquote expandable>{folded}</blockquote>")
    return "\n\n".join(parts), session_buttons(content, day, webapp=webapp)


def cues(exercise: Exercise) -> str:
    return "\n".join(f"  {i}. {escape(cue)}" for i, cue in enumerate(exercise.cues, start=1))


def guided_step(
    content: Content, routine: Routine, steps: Sequence[PlanStep], index: int, day: date
) -> tuple[str, Markup]:
    """One exercise of the guided session, with its numbered cues and the safety notes."""
    m, label = content.messages, content.labels
    step = steps[index]
    exercise = content.exercises[step.exercise_id]
    level = exercise.level(step.level)
    header = m("guided_header", k=index + 1, n=len(steps), routine=escape(routine.name))
    body = f"<b>{escape(exercise.name)}</b> · {escape(level.dose)}\n{cues(exercise)}"
    text = "\n\n".join((header, body, m("doctor_note"), m("stop_cue")))
    keyboard = [[button(label("button_hurts"), cb.Guided(day, index, cb.GuidedAction.HURTS))]]
    if level.hold_seconds is not None:
        timer = label("button_timer", seconds=level.hold_seconds)
        keyboard.append([button(timer, cb.Guided(day, index, cb.GuidedAction.TIMER))])
    move = label("button_finish" if index == len(steps) - 1 else "button_next")
    moves = [button(move, cb.Guided(day, index, cb.GuidedAction.NEXT))]
    if index > 0:
        moves.insert(0, button(label("button_back"), cb.Guided(day, index, cb.GuidedAction.BACK)))
    keyboard.append(moves)
    return text, InlineKeyboardMarkup(keyboard)


def timer_done(
    content: Content, exercise: Exercise, level: int, hold: int, day: date, step: int | None
) -> tuple[str, Markup]:
    """Time's up for one hold: which one, and a button for the next hold's timer; after the
    last hold (or the only one), Next goes on to the next exercise."""
    m, label = content.messages, content.labels
    dose = exercise.level(level)
    done = hold_of(hold, dose.holds, dose.sides)
    name = escape(exercise.name)
    if done is None or done.count == 1:
        text = m("timer_done", exercise=name)
    elif done.last:
        text = m("timer_last_hold_done", exercise=name, hold=hold_name(content, done))
    else:
        following = done.following
        assert following is not None
        text = m(
            "timer_hold_done",
            exercise=name,
            hold=hold_name(content, done),
            next=hold_name(content, following),
        )
    if step is None:  # guided mode was left meanwhile
        return text, None
    keyboard = []
    if done is not None and (following := done.following) is not None:
        start = label(
            "button_next_hold", seconds=dose.hold_seconds, hold=hold_name(content, following)
        )
        keyboard.append([button(start, cb.TimerHold(day, step, following.index))])
    keyboard.append([button(label("button_next"), cb.Guided(day, step, cb.GuidedAction.NEXT))])
    return text, InlineKeyboardMarkup(keyboard)


def hold_name(content: Content, hold: Hold) -> str:
    """ "first side", "second side, hold 2 of 3", "hold 4 of 9"."""
    label = content.labels
    number = label("hold_number", k=hold.number_on_side, n=hold.per_side)
    if hold.side is None:
        return number
    side = label("hold_side_first" if hold.side == 1 else "hold_side_second")
    return side if hold.per_side == 1 else label("hold_side_number", side=side, number=number)


def session_buttons(
    content: Content, day: date, *, ask_pain: bool = True, webapp: str | None = None
) -> InlineKeyboardMarkup:
    """Done, Partly done, Guided, Snooze, Skip, Show me, Something's wrong; until rated,
    "Rate pain", which opens the pain-before scale (at most 8 buttons on the card).

    With the Mini App on (`webapp`, its address), Guided opens its guided session page instead
    of the chat's guided mode."""
    label = content.labels
    guided = (
        button(label("button_guided"), cb.Guided(day, 0, cb.GuidedAction.START))
        if webapp is None
        else InlineKeyboardButton(
            label("button_webapp_guided"), web_app=WebAppInfo(guided_page(webapp))
        )
    )
    keyboard = [
        [
            button(label("button_done"), cb.SessionPress(day, cb.SessionAction.DONE)),
            button(label("button_partly"), cb.SessionPress(day, cb.SessionAction.PARTLY)),
            guided,
        ],
        [
            button(label("button_snooze"), cb.SessionPress(day, cb.SessionAction.SNOOZE)),
            button(label("button_skip"), cb.SessionPress(day, cb.SessionAction.SKIP)),
        ],
        [
            button(label("button_show"), cb.SessionPress(day, cb.SessionAction.SHOW)),
            button(label("button_wrong"), cb.SessionPress(day, cb.SessionAction.WRONG)),
        ],
    ]
    if ask_pain:
        rate = button(label("button_rate_pain"), cb.SessionPress(day, cb.SessionAction.RATE))
        keyboard.append([rate])
    return InlineKeyboardMarkup(keyboard)


def snooze_choices(content: Content, day: date, evening: str | None) -> InlineKeyboardMarkup:
    """15 min, 1 h, 3 h and, unless it is past, this evening at `evening` (local, formatted)."""
    label = content.labels
    keys = {15: "button_snooze_15m", 60: "button_snooze_1h", 180: "button_snooze_3h"}
    row = [button(label(keys[n]), cb.SnoozeFor(day, n)) for n in cb.SNOOZE_MINUTES]
    keyboard = [row]
    if evening is not None:
        late = button(label("button_snooze_evening", time=evening), cb.SnoozeFor(day, None))
        keyboard.append([late])
    return InlineKeyboardMarkup(keyboard)


def pain_before_buttons(day: date) -> InlineKeyboardMarkup:
    """The pain-before scale, 0 to 10, in place of the card's buttons until a score is tapped."""
    scores = [button(str(n), cb.PainBefore(day, n)) for n in range(11)]
    return InlineKeyboardMarkup([scores[:6], scores[6:]])


def pain_buttons(content: Content, day: date) -> InlineKeyboardMarkup:
    """The pain-after scale, and a note for the check-in."""
    scores = [button(str(n), cb.PainRating(day, n)) for n in range(11)]
    note = note_button(content, day).inline_keyboard
    return InlineKeyboardMarkup([scores[:6], scores[6:], *note])


def note_button(content: Content, day: date) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(content.labels("button_add_note"), cb.AddNote(day))]])


_HISTORY_LABEL = {
    DayStatus.DONE: "history_done",
    DayStatus.PARTLY: "history_partly",
    DayStatus.SKIPPED: "history_skipped",
    DayStatus.MISSED: "history_missed",
    DayStatus.PAUSED: "history_paused",
    DayStatus.OPEN: "history_open",
}


def history(content: Content, sessions: Sequence[DayRecord]) -> str:
    """The last sessions, newest first: status, pain before → after, and the user's note."""
    m, label = content.messages, content.labels
    if not sessions:
        return m("history_empty")
    lines = []
    for record in sessions:
        status = "–" if record.status is None else label(_HISTORY_LABEL[record.status])
        line = f"<b>{day_label(content, record.day)}</b> · {status}"
        if record.pain_before is not None or record.pain_after is not None:
            line += " · " + label("history_pain", change=pain_change(record))
        if record.note:
            line += f"\n   📝 <i>{escape(record.note)}</i>"
        lines.append(line)
    return m("history", lines="\n".join(lines))


def levels(content: Content, routine: Routine, steps: Sequence[PlanStep]) -> str:
    """The routine as the user does it now, each exercise's level, and the rule that moves it."""
    lines = []
    for number, step in enumerate(steps, start=1):
        exercise = content.exercises[step.exercise_id]
        level = exercise.level(step.level)
        line = f"{number}. <b>{escape(exercise.name)}</b> · {escape(level.dose)}"
        if (count := len(exercise.levels)) > 1:
            line += " " + content.labels("level_of", level=min(step.level, count), levels=count)
        if step.exercise_id != step.slot:
            line += f"\n   ↳ {content.messages('levels_easier_form')}"
        lines.append(line)
    return (
        content.messages("levels", routine=escape(routine.name), lines="\n".join(lines))
        + "\n\n"
        + content.messages("progression_rule")
    )


def progress(content: Content, summary: Progress, today: date, average_pain: float | None) -> str:
    rate = "–" if summary.completion_rate is None else content.percent(summary.completion_rate)
    names = content.names
    lines = calendar_lines(summary, today, heads=names.weekdays_heads, months=names.months_short)
    calendar = "<pre>" + escape("\n".join(lines)) + "</pre>"
    text = content.messages(
        "progress",
        current=days(content, summary.current_streak),
        best=days(content, summary.best_streak),
        week=summary.done_this_week,
        month=summary.done_this_month,
        rate=rate,
        calendar=calendar,
    )
    if average_pain is not None:
        text += "\n" + content.messages("progress_pain", pain=f"{content.decimal(average_pain)}/10")
    return text


def progress_buttons(content: Content) -> InlineKeyboardMarkup:
    label = content.labels
    return InlineKeyboardMarkup(
        [
            [
                button(label("button_chart"), cb.SendFile(cb.FileKind.CHART)),
                button(label("button_report"), cb.SendFile(cb.FileKind.REPORT)),
            ]
        ]
    )


def guided_page(webapp: str) -> str:
    """The Mini App's address opening its guided session view."""
    parts = urlsplit(webapp)
    query = [*((k, v) for k, v in parse_qsl(parts.query) if k != "view"), ("view", "guided")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def checked_in_card(
    content: Content,
    routine: Routine,
    day: date,
    steps: Sequence[PlanStep],
    late: bool,
    status: SessionStatus,
    streak: int,
) -> str:
    """The session card once checked in from the Mini App: the card as sent, without its
    buttons, and the check-in's line (the chat's Done and Partly done words)."""
    text, _ = session(content, routine, day, late=late, steps=steps)
    key = "session_partly" if status is SessionStatus.PARTLY else "session_done"
    return f"{text}\n\n{content.messages(key, streak=days(content, streak))}"
