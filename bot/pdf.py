"""The clinician report as a PDF (fpdf2), from a `ReportData` and the four-week chart.

CPU-bound: call it through `asyncio.to_thread`. Text is set in DejaVu Sans (shipped with
matplotlib), which covers the dashes, accents and most scripts a name or a cue may contain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from io import BytesIO
from pathlib import Path

import matplotlib
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos

from bot.content import Content
from bot.domain.history import Adherence
from bot.domain.progress import DayStatus
from bot.render import pain_change
from bot.usecases.reports import ReportData

FONT = "DejaVu"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MAX_QUIZ_COLUMNS = 6  # the newest quizzes; older ones would squeeze the table unreadably
_STATUS = {
    DayStatus.DONE: "status_done",
    DayStatus.PARTLY: "status_partly",
    DayStatus.SKIPPED: "status_skipped",
    DayStatus.MISSED: "status_missed",
    DayStatus.PAUSED: "status_paused",
    DayStatus.OPEN: "report_status_open",
}
_HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 240, 245))


def report_pdf(
    data: ReportData,
    content: Content,
    chart: bytes | None,
    stills: Mapping[str, bytes] | None = None,
) -> bytes:
    """The report: the routine as the user does it (each exercise's key pose, from `stills`,
    beside its dose), adherence, the pain trend, the day-by-day log with pain before and
    after, the user's notes and quiz answers."""
    words = _Words(content)
    messages = content.messages
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
    _paragraph(pdf, messages("report_for", name=name, date=words.day(data.today)))
    pdf.set_font(FONT, "I", 10)
    pdf.set_fill_color(255, 246, 224)
    pdf.multi_cell(0, 6, messages("report_disclaimer"), fill=True, padding=2)
    pdf.ln(2)
    if data.red_flag_on is not None:
        pdf.set_font(FONT, "B", 10)
        pdf.set_fill_color(253, 226, 226)
        text = messages("report_red_flag", date=words.day(data.red_flag_on))
        pdf.multi_cell(0, 6, text, fill=True, padding=2, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    if data.cleared_on is not None:
        pdf.set_font(FONT, "", 10)
        text = messages("report_cleared", date=words.day(data.cleared_on))
        pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    _routine(pdf, data, words)
    _key_poses(pdf, data, stills or {})
    _adherence(pdf, data, words)
    _pain(pdf, data, words, chart)
    _days(pdf, data, words)
    _notes(pdf, data, words)
    _quiz(pdf, data, words)
    return bytes(pdf.output())


class _Words:
    """The report's words: messages, labels, and days written out."""

    def __init__(self, content: Content) -> None:
        self.messages = content.messages
        self.label = content.labels
        self.content = content

    def day(self, day: date | None) -> str:
        """ "21 Nov 2026" in the report's language (Babel)."""
        return "–" if day is None else self.content.date(day, "yMMMd")

    def weekday_date(self, day: date) -> str:
        """ "Sat 21 Nov 2026": the short weekday, then the date (a table column: no comma)."""
        return f"{self.content.date(day, 'E')} {self.day(day)}"

    def status(self, status: DayStatus | None) -> str:
        return "–" if status is None else self.label(_STATUS[status])


def _routine(pdf: FPDF, data: ReportData, words: _Words) -> None:
    messages, label = words.messages, words.label
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
            label("report_level_of", level=e.level, levels=e.levels),
            e.dose,
        )
        for e in data.exercises
    ]
    header = (label("report_exercise"), label("report_level"), label("report_dose"))
    _table(pdf, header, rows, (85, 20, 75))


POSE_WIDTH = 48  # mm; the stills are 4:3


def _key_poses(pdf: FPDF, data: ReportData, stills: Mapping[str, bytes]) -> None:
    """Each exercise's key pose with its name and dose beside it, two to a row."""
    shown = [e for e in data.exercises if e.exercise_id in stills]
    height = POSE_WIDTH * 3 / 4
    for index, line in enumerate(shown):
        column = index % 2
        if column == 0:
            if pdf.will_page_break(height + 2):
                pdf.add_page()
            top = pdf.get_y()
        x = pdf.l_margin + column * pdf.epw / 2
        pdf.image(BytesIO(stills[line.exercise_id]), x=x, y=top, w=POSE_WIDTH, alt_text=line.name)
        pdf.set_xy(x + POSE_WIDTH + 2, top + 4)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(pdf.epw / 2 - POSE_WIDTH - 4, 4.5, line.name, align="L")
        pdf.set_x(x + POSE_WIDTH + 2)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(pdf.epw / 2 - POSE_WIDTH - 4, 4.5, line.dose, align="L")
        if column == 1 or index == len(shown) - 1:
            pdf.set_xy(pdf.l_margin, top + height + 2)
    pdf.set_font(FONT, "", 10)


def _adherence(pdf: FPDF, data: ReportData, words: _Words) -> None:
    label = words.label
    _heading(pdf, words.messages("report_adherence"))
    first = data.first_day
    since = label("report_since", date=words.day(first)) if first else label("report_all")
    rows = [
        (label(key), recent(data.recent, words), overall(data.overall, words))
        for key, recent, overall in _ADHERENCE_ROWS
    ]

    _table(pdf, ("", label("report_last_weeks"), since), rows, (70, 55, 55))


def _rate(a: Adherence, words: _Words) -> str:
    return "–" if a.rate is None else words.content.percent(a.rate)


_Figure = Callable[[Adherence, "_Words"], str]
# Label key, then the figure for the last four weeks and for all time (streaks: all time only).
_ADHERENCE_ROWS: tuple[tuple[str, _Figure, _Figure], ...] = (
    ("report_done", lambda a, _: str(a.done), lambda a, _: str(a.done)),
    ("report_partly", lambda a, _: str(a.partly), lambda a, _: str(a.partly)),
    ("report_skipped", lambda a, _: str(a.skipped), lambda a, _: str(a.skipped)),
    ("report_missed", lambda a, _: str(a.missed), lambda a, _: str(a.missed)),
    ("report_paused", lambda a, _: str(a.paused), lambda a, _: str(a.paused)),
    ("report_rate", _rate, _rate),
    ("report_streak", lambda a, _: "", lambda a, _: str(a.current_streak)),
    ("report_best", lambda a, _: "", lambda a, _: str(a.best_streak)),
)


def _pain(pdf: FPDF, data: ReportData, words: _Words, chart: bytes | None) -> None:
    messages, label = words.messages, words.label
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
            tuple(
                label(key)
                for key in (
                    "report_week_of",
                    "report_done",
                    "report_ratings",
                    "report_average",
                    "report_range",
                )
            ),
            [
                (
                    words.day(w.week_start),
                    str(w.done)
                    if not w.partly
                    else label("report_done_partly", done=w.done, partly=w.partly),
                    str(w.ratings),
                    "–" if w.average is None else words.content.decimal(w.average),
                    "–" if w.low is None else f"{w.low}–{w.high}",
                )
                for w in weeks
            ],
            (40, 35, 30, 35, 40),
        )


def _days(pdf: FPDF, data: ReportData, words: _Words) -> None:
    label = words.label
    _heading(pdf, words.messages("report_days"))
    rows = [
        (
            words.weekday_date(d.day),
            words.status(d.status),
            "" if d.pain_before is None and d.pain_after is None else pain_change(d),
        )
        for d in data.days
    ]
    header = (label("report_day"), label("report_session"), label("report_pain_change"))
    _table(pdf, header, rows, (60, 60, 60))


def _notes(pdf: FPDF, data: ReportData, words: _Words) -> None:
    label = words.label
    _heading(pdf, words.messages("report_notes"))
    if not data.notes:
        _paragraph(pdf, words.messages("report_no_notes"))
        return
    rows = [
        (words.day(d.day), words.status(d.status), _printable(d.note or "")) for d in data.notes
    ]
    header = (label("report_day"), label("report_session"), label("report_note"))
    _table(pdf, header, rows, (32, 28, 120))


def _quiz(pdf: FPDF, data: ReportData, words: _Words) -> None:
    label = words.label
    _heading(pdf, words.messages("report_quiz"))
    quizzes = data.quizzes[-MAX_QUIZ_COLUMNS:]
    if not quizzes:
        _paragraph(pdf, words.messages("report_no_quiz"))
        return
    answer = {True: label("word_yes"), False: label("word_no"), None: "–"}
    rows = [(sign, *(answer[q.answers[i]] for q in quizzes)) for i, sign in enumerate(data.signs)]
    yes_counts = (str(sum(a is True for a in q.answers)) for q in quizzes)
    rows.append((label("report_signs_yes"), *yes_counts))
    rows.append((label("report_suggested"), *(q.recommended or "–" for q in quizzes)))
    answer_width = min(22.0, 90.0 / len(quizzes))
    _table(
        pdf,
        (label("report_sign"), *(words.day(q.finished_on) for q in quizzes)),
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


def _printable(text: str) -> str:
    """Text without the characters outside the Basic Multilingual Plane (emoji, mostly),
    which the font has no glyphs for."""
    return " ".join("".join(ch for ch in text if ord(ch) <= 0xFFFF).split())
