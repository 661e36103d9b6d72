"""Message texts (Telegram HTML, every value escaped) and inline keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from html import escape as _html_escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.charts import ChartLabels
from bot.content import Content, Exercise, Routine
from bot.domain.history import DayRecord, adherence, average_pain
from bot.domain.progress import SHOWED_UP, DayStatus, Progress, calendar_lines
from bot.domain.quiz import Recommendation, SignChange
from bot.domain.schedule import EVERY_DAY, WEEKDAYS, format_time
from bot.domain.variants import PlanStep
from bot.usecases.schedule import SettingsView, SetupNeed, SetupStep, Standing

COMMON_TIMES = tuple(
    time(h, m)
    for h, m in ((6, 30), (7, 0), (7, 30), (8, 0), (12, 0), (17, 30), (18, 0), (19, 0), (20, 0))
)
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
PAUSE_CHOICES = (1, 3, 7, 14)

Markup = InlineKeyboardMarkup | None


def escape(text: str) -> str:
    """Escape text for Telegram HTML (quotes need no escaping outside attributes)."""
    return _html_escape(text, quote=False)


def button(label: str, callback: cb.Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=cb.encode(callback))


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]
    )


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def welcome(content: Content, first_name: str) -> str:
    m = content.messages
    return "\n\n".join(
        (
            m("welcome", name=escape(first_name or "there")),
            m("not_medical_advice"),
            m("doctor_note"),
        )
    )


def red_flag_screen(content: Content) -> tuple[str, Markup]:
    screen = content.quiz.red_flags
    items = "\n".join(f"• {escape(item)}" for item in screen.items)
    text = f"<b>{escape(screen.question)}</b>\n\n{items}"
    return text, InlineKeyboardMarkup(
        [
            [button("Yes, one or more", cb.RedFlagAnswer("y"))],
            [button("No, none of these", cb.RedFlagAnswer("n"))],
        ]
    )


def checkin_red_flags(content: Content, day: date) -> tuple[str, Markup]:
    """The red-flag list again, from a session's "Something's wrong"."""
    items = "\n".join(f"• {escape(item)}" for item in content.quiz.red_flags.items)
    text = f"{content.messages('checkin_red_flag_ask')}\n\n{items}"
    return text, InlineKeyboardMarkup(
        [
            [button("Yes, one or more", cb.CheckinRedFlag(day, True))],
            [button("No, none of these", cb.CheckinRedFlag(day, False))],
        ]
    )


def red_flag_stop(content: Content) -> tuple[str, Markup]:
    return content.messages("red_flag_stop"), InlineKeyboardMarkup(
        [[button("I have been cleared", cb.RedFlagAnswer("ok"))]]
    )


def question(content: Content, attempt_id: int, index: int) -> tuple[str, Markup]:
    questions = content.quiz.questions
    header = content.messages("question_header", k=index + 1, n=len(questions))
    text = f"{header}\n\n{escape(questions[index].text)}"
    answer_row = [
        button("Yes", cb.QuizAnswer(attempt_id, index, "y")),
        button("No", cb.QuizAnswer(attempt_id, index, "n")),
    ]
    keyboard = [answer_row]
    if index > 0:
        keyboard.append([button("⬅ Back", cb.QuizAnswer(attempt_id, index, "b"))])
    return text, InlineKeyboardMarkup(keyboard)


def answered_question(content: Content, index: int, yes: bool | None) -> str:
    """The question as it stays in the chat once answered (or left with Back)."""
    text, _ = question(content, 0, index)
    return f"{text}\n\n→ <b>{'Yes' if yes else 'No'}</b>" if yes is not None else f"{text}\n\n↩"


def routine_buttons(
    content: Content, *, first: str | None = None, exclude: str | None = None
) -> InlineKeyboardMarkup:
    routines = [r for r in content.routines.values() if r.id != exclude]
    if first is not None:
        routines.sort(key=lambda r: r.id != first)
    labels = [
        ("✅ " if r.id == first else "") + f"{r.name} (~{content.routine_minutes(r)} min)"
        for r in routines
    ]
    return rows(
        [button(label, cb.ChooseRoutine(r.id)) for label, r in zip(labels, routines, strict=True)],
        1,
    )


def quiz_result(content: Content, result: Recommendation) -> tuple[str, Markup]:
    m = content.messages
    questions = {q.id: q for q in content.quiz.questions}
    routine = content.routines[result.routine_id]
    if result.points_at_hips:
        signs = "\n".join(
            f"• <b>{escape(questions[s].text)}</b>\n  {escape(questions[s].why)}"
            for s in result.yes_signs
        )
        intro = m("quiz_result_some", count=f"{len(result.yes_signs)} of {len(questions)}")
        parts = [intro, signs]
    else:
        parts = [m("quiz_result_none")]
    parts += [
        m("quiz_recommend", routine=escape(routine.name)) + f"\n<i>{escape(routine.summary)}</i>",
        m("quiz_others"),
    ]
    return "\n\n".join(parts), routine_buttons(content, first=routine.id)


def quiz_changes(content: Content, since: date, changes: Sequence[SignChange]) -> str:
    """The re-check: each sign's answer last time beside its answer now."""
    shorts = {q.id: q.short for q in content.quiz.questions}

    def word(answer: bool | None) -> str:
        return "–" if answer is None else ("yes" if answer else "no")

    lines = "\n".join(
        f"• {escape(shorts[c.question_id])}: {word(c.before)} → "
        + (f"<b>{word(c.now)}</b>" if c.before != c.now else word(c.now))
        for c in changes
    )
    return content.messages("recheck_changes", date=day_label(since), lines=lines)


def recheck_offer(content: Content) -> tuple[str, Markup]:
    return content.messages("recheck_offer"), InlineKeyboardMarkup(
        [[button("📝 Retake the quiz", cb.Recheck(True)), button("Not now", cb.Recheck(False))]]
    )


def ask_time(content: Content) -> tuple[str, Markup]:
    buttons = [button(format_time(t), cb.ChooseTime(t)) for t in COMMON_TIMES]
    markup = rows(buttons, 3)
    markup = InlineKeyboardMarkup(
        [*markup.inline_keyboard, [button("⌨ Type a time", cb.ChooseTime(None))]]
    )
    return content.messages("ask_time"), markup


def ask_zone(content: Content) -> tuple[str, Markup]:
    buttons = [button(zone, cb.ChooseZone(zone)) for zone in COMMON_ZONES]
    markup = rows(buttons, 2)
    markup = InlineKeyboardMarkup(
        [*markup.inline_keyboard, [button("⌨ Type a zone", cb.ChooseZone(None))]]
    )
    return content.messages("ask_zone"), markup


def zone_suggestion(content: Content, text: str, suggestion: str) -> tuple[str, Markup]:
    message = content.messages("bad_zone_suggest", text=escape(text), suggestion=escape(suggestion))
    return message, InlineKeyboardMarkup([[button(f"Use {suggestion}", cb.ChooseZone(suggestion))]])


def schedule_confirmed(
    content: Content, routine: Routine, at: time, zone: str, next_day: date, days: int = EVERY_DAY
) -> str:
    return content.messages(
        "schedule_confirmed",
        routine=escape(routine.name),
        days=describe_days(days),
        time=format_time(at),
        zone=escape(zone),
        next_date=day_label(next_day),
    )


def setup_step(content: Content, step: SetupStep) -> tuple[str, Markup]:
    """Ask for whatever the schedule still lacks, or confirm it once complete."""
    match step.need:
        case SetupNeed.ROUTINE:
            return content.messages("routine_none"), routine_buttons(content)
        case SetupNeed.TIME:
            return ask_time(content)
        case SetupNeed.ZONE:
            return ask_zone(content)
        case SetupNeed.RED_FLAG:  # stopped by a red flag at check-in until /resume
            return content.messages("saved_red_flag"), None
    assert step.routine_id and step.reminder_time and step.timezone and step.next_day
    routine = content.routines[step.routine_id]
    text = schedule_confirmed(
        content, routine, step.reminder_time, step.timezone, step.next_day, step.days
    )
    return text, None


def settings(content: Content, view: SettingsView) -> str:
    """Routine, time, zone, days and reminder status (the menu goes with it)."""
    m = content.messages
    match view.standing:
        case Standing.RED_FLAG:
            status = m("status_red_flag")
        case Standing.UNSCHEDULED:
            status = m("status_unscheduled")
        case Standing.PAUSED:
            assert view.paused_through is not None
            status = m("status_paused", until=day_label(view.paused_through))
        case _:
            status = m("status_active")
    return m(
        "settings",
        routine=escape(content.routines[view.routine_id].name) if view.routine_id else "–",
        time=format_time(view.reminder_time) if view.reminder_time else "–",
        zone=escape(view.timezone or "–"),
        days=describe_days(view.days),
        second=describe_second(content, view.second_reminder_hours),
        status=status,
        next=(
            f"{day_label(view.next_day)}, {format_time(view.reminder_time)}"
            if view.next_day and view.reminder_time
            else "–"
        ),
    )


def session(
    content: Content,
    routine: Routine,
    day: date,
    *,
    late: bool = False,
    steps: Sequence[PlanStep] | None = None,
) -> tuple[str, Markup]:
    """The daily session: every exercise with its dose and numbered cues, and the safety notes.

    `steps` is the routine as this user does it (variants and levels); by default, as written.
    """
    m = content.messages
    steps = content.default_plan(routine) if steps is None else steps
    parts = [
        m(
            "session_header",
            routine=escape(routine.name),
            minutes=sum(content.exercises[s.exercise_id].minutes for s in steps),
            date=day_label(day),
        )
    ]
    if late:
        parts.append(m("session_late"))
    for number, step in enumerate(steps, start=1):
        exercise = content.exercises[step.exercise_id]
        dose = exercise.level(step.level).dose
        parts.append(f"<b>{number}. {escape(exercise.name)}</b> · {escape(dose)}\n{cues(exercise)}")
    parts += [m("doctor_note"), m("stop_cue"), m("pain_before_ask")]
    return "\n\n".join(parts), session_buttons(day)


def cues(exercise: Exercise) -> str:
    return "\n".join(f"  {i}. {escape(cue)}" for i, cue in enumerate(exercise.cues, start=1))


def guided_step(
    content: Content, routine: Routine, steps: Sequence[PlanStep], index: int, day: date
) -> tuple[str, Markup]:
    """One exercise of the guided session, with its numbered cues and the safety notes."""
    m = content.messages
    step = steps[index]
    exercise = content.exercises[step.exercise_id]
    level = exercise.level(step.level)
    header = m("guided_header", k=index + 1, n=len(steps), routine=escape(routine.name))
    body = f"<b>{escape(exercise.name)}</b> · {escape(level.dose)}\n{cues(exercise)}"
    text = "\n\n".join((header, body, m("doctor_note"), m("stop_cue")))
    keyboard = [[button("😣 This hurts", cb.Guided(day, index, cb.GuidedAction.HURTS))]]
    if level.hold_seconds is not None:
        label = f"⏱ Start {level.hold_seconds} s timer"
        keyboard.append([button(label, cb.Guided(day, index, cb.GuidedAction.TIMER))])
    last = index == len(steps) - 1
    moves = [button("✅ Finish" if last else "Next ➡", cb.Guided(day, index, cb.GuidedAction.NEXT))]
    if index > 0:
        moves.insert(0, button("⬅ Back", cb.Guided(day, index, cb.GuidedAction.BACK)))
    keyboard.append(moves)
    return text, InlineKeyboardMarkup(keyboard)


def timer_done(content: Content, exercise: Exercise) -> str:
    return content.messages("timer_done", exercise=escape(exercise.name))


def session_buttons(day: date, *, ask_pain: bool = True) -> InlineKeyboardMarkup:
    """Done, Partly done, Guided, Snooze, Skip; and, until rated, the pain-before scale."""
    keyboard = [
        [
            button("✅ Done", cb.SessionPress(day, cb.SessionAction.DONE)),
            button("◐ Partly done", cb.SessionPress(day, cb.SessionAction.PARTLY)),
            button("▶ Guided", cb.Guided(day, 0, cb.GuidedAction.START)),
        ],
        [
            button("⏰ Snooze 1 h", cb.SessionPress(day, cb.SessionAction.SNOOZE)),
            button("⏭ Skip today", cb.SessionPress(day, cb.SessionAction.SKIP)),
        ],
        [button("🚩 Something's wrong", cb.SessionPress(day, cb.SessionAction.WRONG))],
    ]
    if ask_pain:
        scores = [button(str(n), cb.PainBefore(day, n)) for n in range(11)]
        keyboard += [scores[:6], scores[6:]]
    return InlineKeyboardMarkup(keyboard)


def pain_buttons(day: date) -> InlineKeyboardMarkup:
    """The pain-after scale, and a note for the check-in."""
    scores = [button(str(n), cb.PainRating(day, n)) for n in range(11)]
    return InlineKeyboardMarkup([scores[:6], scores[6:], *note_button(day).inline_keyboard])


def note_button(day: date) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button("📝 Add a note", cb.AddNote(day))]])


_STATUS_LABEL = {
    DayStatus.DONE: "✅ done",
    DayStatus.PARTLY: "◐ partly done",
    DayStatus.SKIPPED: "⏭ skipped",
    DayStatus.MISSED: "✖ missed",
    DayStatus.PAUSED: "⏸ paused",
    DayStatus.OPEN: "· open",
}


def history(content: Content, sessions: Sequence[DayRecord]) -> str:
    """The last sessions, newest first: status, pain before → after, and the user's note."""
    m = content.messages
    if not sessions:
        return m("history_empty")
    lines = []
    for record in sessions:
        status = "–" if record.status is None else _STATUS_LABEL[record.status]
        line = f"<b>{day_label(record.day)}</b> · {status}"
        if record.pain_before is not None or record.pain_after is not None:
            line += f" · pain {pain_change(record)}"
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
        if len(exercise.levels) > 1:
            line += f" (level {min(step.level, len(exercise.levels))} of {len(exercise.levels)})"
        if step.exercise_id != step.slot:
            line += f"\n   ↳ {content.messages('levels_easier_form')}"
        lines.append(line)
    return (
        content.messages("levels", routine=escape(routine.name), lines="\n".join(lines))
        + "\n\n"
        + content.messages("progression_rule")
    )


def progress(content: Content, summary: Progress, today: date, average_pain: float | None) -> str:
    rate = "–" if summary.completion_rate is None else f"{summary.completion_rate:.0%}"
    calendar = "<pre>" + escape("\n".join(calendar_lines(summary, today))) + "</pre>"
    text = content.messages(
        "progress",
        current=count(summary.current_streak, "day"),
        best=count(summary.best_streak, "day"),
        week=summary.done_this_week,
        month=summary.done_this_month,
        rate=rate,
        calendar=calendar,
    )
    if average_pain is not None:
        text += "\n" + content.messages("progress_pain", pain=f"{average_pain:.1f}/10")
    return text


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_days(days: int) -> str:
    if days & EVERY_DAY in (EVERY_DAY, 0):
        return "Every day"
    if days == WEEKDAYS:
        return "Weekdays (Mon–Fri)"
    return ", ".join(name for i, name in enumerate(WEEKDAY_NAMES) if days >> i & 1)


def describe_second(content: Content, hours: int | None) -> str:
    m = content.messages
    return m("second_on", hours=hours) if hours else m("second_off")


def ask_days(content: Content, days: int) -> tuple[str, Markup]:
    return content.messages("days_ask", days=describe_days(days)), InlineKeyboardMarkup(
        [
            [
                button("Every day", cb.ChooseDays(EVERY_DAY, True)),
                button("Weekdays", cb.ChooseDays(WEEKDAYS, True)),
            ],
            [button("Choose days…", cb.ChooseDays(days, False))],
        ]
    )


def days_picker(content: Content, days: int) -> tuple[str, Markup]:
    """Seven toggles (each button carries the set it would make) and Save."""
    toggles = [
        button(("✅ " if days >> i & 1 else "") + name, cb.ChooseDays(days ^ (1 << i), False))
        for i, name in enumerate(WEEKDAY_NAMES)
    ]
    markup = rows(toggles, 4)
    text = content.messages("days_pick", days=describe_days(days) if days else "–")
    return text, InlineKeyboardMarkup(
        [*markup.inline_keyboard, [button("💾 Save", cb.ChooseDays(days, True))]]
    )


def second_reminder_choices() -> InlineKeyboardMarkup:
    return rows(
        [
            button("No, thanks" if hours == 0 else f"{hours} h later", cb.SecondReminder(hours))
            for hours in cb.SECOND_REMINDER_HOURS
        ],
        2,
    )


def pause_choices(content: Content) -> tuple[str, Markup]:
    buttons = [button(count(days, "day"), cb.Pause(days)) for days in PAUSE_CHOICES]
    return content.messages("pause_ask"), rows(buttons, 4)


def settings_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button("🕒 Time", cb.Menu(cb.MenuItem.TIME)),
                button("🌍 Time zone", cb.Menu(cb.MenuItem.ZONE)),
            ],
            [
                button("🦵 Routine", cb.Menu(cb.MenuItem.ROUTINE)),
                button("📝 Retake quiz", cb.Menu(cb.MenuItem.QUIZ)),
            ],
            [
                button("📈 Progress", cb.Menu(cb.MenuItem.PROGRESS)),
                button("▶ Today's session", cb.Menu(cb.MenuItem.TODAY)),
            ],
            [
                button("📅 Weekly summary", cb.Menu(cb.MenuItem.SUMMARY)),
                button("📄 Report for my physio", cb.SendFile(cb.FileKind.REPORT)),
            ],
            [button("🗓 Days and second reminder", cb.Menu(cb.MenuItem.DAYS))],
        ]
    )


def delete_confirm(content: Content) -> tuple[str, Markup]:
    return content.messages("delete_ask"), InlineKeyboardMarkup(
        [
            [button("Yes, delete everything", cb.DeleteData(True))],
            [button("No, keep it", cb.DeleteData(False))],
        ]
    )


# --- charts, the weekly summary, reports -----------------------------------------------------

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STATUS_WORDS = {
    DayStatus.DONE: "done",
    DayStatus.PARTLY: "partly done",
    DayStatus.SKIPPED: "skipped",
    DayStatus.MISSED: "missed",
    DayStatus.PAUSED: "paused",
    DayStatus.OPEN: "open",
}


def pain_change(record: DayRecord) -> str:
    """The day's pain before → after the session ("2 → 3"; "–" where not rated)."""
    before, after = record.pain_before, record.pain_after
    return f"{'–' if before is None else before} → {'–' if after is None else after}"


def pain_label(pain: float | None) -> str:
    return "–" if pain is None else f"{pain:.1f}/10"


def rate_label(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def progress_buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button("📊 Chart", cb.SendFile(cb.FileKind.CHART)),
                button("📄 Report for my physio", cb.SendFile(cb.FileKind.REPORT)),
            ]
        ]
    )


def chart_labels(content: Content) -> ChartLabels:
    return ChartLabels(
        title=content.messages("chart_title"),
        sessions="Sessions",
        pain="Knee pain (0–10)",
        pain_after="after the session",
        pain_before="before the session",
        done=STATUS_WORDS[DayStatus.DONE],
        partly=STATUS_WORDS[DayStatus.PARTLY],
        skipped=STATUS_WORDS[DayStatus.SKIPPED],
        missed=STATUS_WORDS[DayStatus.MISSED],
        paused=STATUS_WORDS[DayStatus.PAUSED],
        no_pain=content.messages("chart_no_pain"),
    )


def chart_caption(content: Content, days: Sequence[DayRecord]) -> str:
    """The numbers under the four-week chart."""
    statuses = {d.day: d.status for d in days if d.status is not None}
    counts = adherence(statuses, days[-1].day)
    return content.messages(
        "chart_caption",
        done=counts.done + counts.partly,
        rate=rate_label(counts.rate),
        pain=pain_label(average_pain(days)),
    )


def summary_caption(content: Content, days: Sequence[DayRecord], streak: int) -> str:
    """The weekly summary: the seven days before today, beside the week before them."""
    week, before = days[-8:-1], days[-15:-8]
    counted = [d for d in week if d.status in (*SHOWED_UP, DayStatus.SKIPPED, DayStatus.MISSED)]
    return content.messages(
        "summary_caption",
        period=f"{day_label(week[0].day)} – {day_label(week[-1].day)}",
        done=sum(1 for d in counted if d.status in SHOWED_UP),
        days=len(counted),
        streak=count(streak, "day"),
        pain=pain_label(average_pain(week)),
        previous=pain_label(average_pain(before)),
    )


def summary_choices(content: Content, current: int | None) -> tuple[str, Markup]:
    m = content.messages
    if current is None:
        state = m("summary_state_off")
    else:
        state = m("summary_state_on", day=DAY_NAMES[current])
    buttons = [
        button(("✅ " if i == current else "") + name[:3], cb.SummaryDay(i))
        for i, name in enumerate(DAY_NAMES)
    ]
    off = button(("✅ " if current is None else "") + "Off", cb.SummaryDay(None))
    markup = rows(buttons, 4)
    markup = InlineKeyboardMarkup([*markup.inline_keyboard[:1], [*markup.inline_keyboard[1], off]])
    return m("summary_ask", current=state), markup
