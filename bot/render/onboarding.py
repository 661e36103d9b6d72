"""Onboarding: the welcome, the quiz and its result, choosing a routine (the safety steps before
the quiz: bot/render/triage.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardMarkup

from bot import callbacks as cb
from bot.content import Content
from bot.domain.quiz import Recommendation, SignChange
from bot.render.common import Markup, button, chosen, day_label, escape, rows


def welcome(content: Content, first_name: str) -> str:
    m = content.messages
    return "\n\n".join(
        (
            m("welcome", name=escape(first_name or content.labels("name_unknown"))),
            m("not_medical_advice"),
            m("doctor_note"),
        )
    )


def question(content: Content, attempt_id: int, index: int) -> tuple[str, Markup]:
    questions = content.quiz.questions
    label = content.labels
    header = content.messages("question_header", k=index + 1, n=len(questions))
    text = f"{header}\n\n{escape(questions[index].text)}"
    answer_row = [
        button(label("button_yes"), cb.QuizAnswer(attempt_id, index, "y")),
        button(label("button_no"), cb.QuizAnswer(attempt_id, index, "n")),
    ]
    keyboard = [answer_row]
    if index > 0:
        keyboard.append([button(label("button_back"), cb.QuizAnswer(attempt_id, index, "b"))])
    return text, InlineKeyboardMarkup(keyboard)


def quiz_answers(content: Content, answers: str) -> str:
    """The quiz's message once the last question is answered: every question with its answer."""
    label = content.labels
    lines = [
        f"{k}. {escape(q.text)} → <b>{label('button_yes' if a == 'y' else 'button_no')}</b>"
        for k, (q, a) in enumerate(zip(content.quiz.questions, answers, strict=True), start=1)
    ]
    return "\n\n".join([content.messages("quiz_answers"), *lines])


def routine_buttons(
    content: Content, *, first: str | None = None, exclude: str | None = None
) -> InlineKeyboardMarkup:
    routines = [r for r in content.routines.values() if r.id != exclude]
    if first is not None:
        routines.sort(key=lambda r: r.id != first)
    labels = [
        chosen(
            content,
            content.labels(
                "button_routine", name=r.name, minutes=content.routine_duration(r).label
            ),
            r.id == first,
        )
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
        found = content.labels("count_of", k=len(result.yes_signs), n=len(questions))
        intro = m("quiz_result_some", count=found)
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
        return "–" if answer is None else content.labels("word_yes" if answer else "word_no")

    lines = "\n".join(
        f"• {escape(shorts[c.question_id])}: {word(c.before)} → "
        + (f"<b>{word(c.now)}</b>" if c.before != c.now else word(c.now))
        for c in changes
    )
    return content.messages("recheck_changes", date=day_label(content, since), lines=lines)


def recheck_offer(content: Content) -> tuple[str, Markup]:
    label = content.labels
    return content.messages("recheck_offer"), InlineKeyboardMarkup(
        [
            [
                button(label("button_retake_quiz"), cb.Recheck(True)),
                button(label("button_not_now"), cb.Recheck(False)),
            ]
        ]
    )
