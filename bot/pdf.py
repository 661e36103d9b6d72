"""The clinician report as a PDF (fpdf2), from a `ReportData` and the four-week chart.

CPU-bound: call it through `asyncio.to_thread`. Text is set in DejaVu Sans (shipped with
matplotlib), which covers the dashes, accents and most scripts a name or a cue may contain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from io import BytesIO
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from bot.content import Messages
from bot.domain.history import Adherence
from bot.domain.progress import DayStatus
from bot.render import pain_change
from bot.usecases.reports import ReportData

FONT = "DejaVu"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MAX_QUIZ_COLUMNS = 6  # the newest quizzes; older ones would squeeze the table unreadably
_STATUS = {
    DayStatus.DONE: "done",
    DayStatus.PARTLY: "partly done",
    DayStatus.SKIPPED: "skipped",
    DayStatus.MISSED: "missed",
    DayStatus.PAUSED: "paused",
    DayStatus.OPEN: "not yet done",
}
_HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 240, 245))


def report_pdf(data: ReportData, messages: Messages, chart: bytes | None) -> bytes:
    """The report: the routine as the user does it, adherence, the pain trend, the day-by-day
    log with pain before and after, the user's notes and quiz answers."""
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    for style, filename in _FONT_FILES.items():
        pdf.add_font(FONT, style, str(_FONT_DIR / filename))
    pdf.set_title(messages("report_title"))
    pdf.set_creator("Hip Check")
    pdf.set_creation_date(data.created_at)
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    _line(pdf, messages("report_title"), 10)
    pdf.set_font(FONT, "", 10)
    name = _printable(data.name) or "–"
    _paragraph(pdf, messages("report_for", name=name, date=_day(data.today)))
    pdf.set_font(FONT, "I", 10)
    pdf.set_fill_color(255, 246, 224)
    pdf.multi_cell(0, 6, messages("report_disclaimer"), fill=True, padding=2)
    pdf.ln(2)
    if data.red_flag_on is not None:
        pdf.set_font(FONT, "B", 10)
        pdf.set_fill_color(253, 226, 226)
        text = messages("report_red_flag", date=_day(data.red_flag_on))
        pdf.multi_cell(0, 6, text, fill=True, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    _routine(pdf, data, messages)
    _adherence(pdf, data)
    _pain(pdf, data, messages, chart)
    _days(pdf, data, messages)
    _notes(pdf, data, messages)
    _quiz(pdf, data, messages)
    return bytes(pdf.output())


def _routine(pdf: FPDF, data: ReportData, messages: Messages) -> None:
    if data.routine is None:
        _heading(pdf, messages("report_no_routine"))
        return
    _heading(pdf, messages("report_routine", routine=data.routine))
    if data.reminder is not None and data.timezone is not None:
        _paragraph(pdf, messages("report_schedule", time=data.reminder, zone=data.timezone))
    rows = [
        (
            e.name
            if e.instead_of is None
            else f"{e.name}\n{messages('report_easier_form', exercise=e.instead_of)}",
            f"{e.level} of {e.levels}",
            e.dose,
        )
        for e in data.exercises
    ]
    _table(pdf, ("Exercise", "Level", "Dose"), rows, (85, 20, 75))


def _adherence(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, "Adherence")
    since = f"Since {_day(data.first_day)}" if data.first_day else "All"
    rows = [
        (name, recent(data.recent), overall(data.overall))
        for name, recent, overall in _ADHERENCE_ROWS
    ]
    _table(pdf, ("", "Last 4 weeks", since), rows, (70, 55, 55))


def _rate(a: Adherence) -> str:
    return "–" if a.rate is None else f"{a.rate:.0%}"


_Figure = Callable[[Adherence], str]
# Label, then the figure for the last four weeks and for all time (streaks: all time only).
_ADHERENCE_ROWS: tuple[tuple[str, _Figure, _Figure], ...] = (
    ("Sessions done", lambda a: str(a.done), lambda a: str(a.done)),
    ("Partly done", lambda a: str(a.partly), lambda a: str(a.partly)),
    ("Skipped", lambda a: str(a.skipped), lambda a: str(a.skipped)),
    ("Missed (not marked)", lambda a: str(a.missed), lambda a: str(a.missed)),
    ("Paused days", lambda a: str(a.paused), lambda a: str(a.paused)),
    ("Completion rate", _rate, _rate),
    ("Current streak (days)", lambda a: "", lambda a: str(a.current_streak)),
    ("Best streak (days)", lambda a: "", lambda a: str(a.best_streak)),
)


def _pain(pdf: FPDF, data: ReportData, messages: Messages, chart: bytes | None) -> None:
    _heading(pdf, messages("report_pain"))
    if chart is not None:
        pdf.image(BytesIO(chart), w=pdf.epw, alt_text=messages("chart_title"))
        pdf.ln(2)
    weeks = [w for w in data.weeks if w.done or w.ratings]
    if not any(w.ratings for w in weeks):
        _paragraph(pdf, messages("report_no_pain"))
    if weeks:
        _table(
            pdf,
            ("Week of", "Sessions done", "Ratings", "Average", "Lowest–highest"),
            [
                (
                    _day(w.week_start),
                    str(w.done) if not w.partly else f"{w.done} + {w.partly} partly",
                    str(w.ratings),
                    "–" if w.average is None else f"{w.average:.1f}",
                    "–" if w.low is None else f"{w.low}–{w.high}",
                )
                for w in weeks
            ],
            (40, 35, 30, 35, 40),
        )


def _days(pdf: FPDF, data: ReportData, messages: Messages) -> None:
    _heading(pdf, messages("report_days"))
    rows = [
        (
            f"{d.day:%a} {_day(d.day)}",
            "–" if d.status is None else _STATUS[d.status],
            "" if d.pain_before is None and d.pain_after is None else pain_change(d),
        )
        for d in data.days
    ]
    _table(pdf, ("Day", "Session", "Knee pain, before → after"), rows, (60, 60, 60))


def _notes(pdf: FPDF, data: ReportData, messages: Messages) -> None:
    _heading(pdf, messages("report_notes"))
    if not data.notes:
        _paragraph(pdf, messages("report_no_notes"))
        return
    rows = [
        (_day(d.day), "–" if d.status is None else _STATUS[d.status], _printable(d.note or ""))
        for d in data.notes
    ]
    _table(pdf, ("Day", "Session", "Note"), rows, (32, 28, 120))


def _quiz(pdf: FPDF, data: ReportData, messages: Messages) -> None:
    _heading(pdf, messages("report_quiz"))
    quizzes = data.quizzes[-MAX_QUIZ_COLUMNS:]
    if not quizzes:
        _paragraph(pdf, messages("report_no_quiz"))
        return
    answer = {True: "yes", False: "no", None: "–"}
    rows = [(sign, *(answer[q.answers[i]] for q in quizzes)) for i, sign in enumerate(data.signs)]
    rows.append(("Signs answered yes", *(str(sum(a is True for a in q.answers)) for q in quizzes)))
    rows.append(("Routine suggested", *(q.recommended or "–" for q in quizzes)))
    answer_width = min(22.0, 90.0 / len(quizzes))
    _table(
        pdf,
        ("Sign", *(_day(q.finished_on) for q in quizzes)),
        rows,
        (pdf.epw - answer_width * len(quizzes), *([answer_width] * len(quizzes))),
        font_size=8,
    )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    _line(pdf, text, 8)
    pdf.set_font(FONT, "", 10)


def _line(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _table(
    pdf: FPDF,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    font_size: float = 9,
) -> None:
    pdf.set_font(FONT, "", font_size)
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align="LEFT",
        headings_style=_HEADINGS,
        line_height=font_size * 0.55,
        first_row_as_headings=True,
    ) as table:
        for values in (header, *rows):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(2)
    pdf.set_font(FONT, "", 10)


def _day(day: date | None) -> str:
    return "–" if day is None else f"{day.day} {day:%b %Y}"


def _printable(text: str) -> str:
    """Text without the characters outside the Basic Multilingual Plane (emoji, mostly),
    which the font has no glyphs for."""
    return " ".join("".join(ch for ch in text if ord(ch) <= 0xFFFF).split())
