"""Charts, the weekly summary and its day: captions, the chart's labels, the day picker."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot import callbacks as cb
from bot.charts import ChartLabels
from bot.content import Content
from bot.domain.history import DayRecord, adherence, average_pain
from bot.domain.progress import SHOWED_UP, DayStatus
from bot.render.common import Markup, button, chosen, day_label, days, rows


def pain_label(content: Content, pain: float | None) -> str:
    return "–" if pain is None else f"{content.decimal(pain)}/10"


def rate_label(content: Content, rate: float | None) -> str:
    return "–" if rate is None else content.percent(rate)


def chart_labels(content: Content) -> ChartLabels:
    label = content.labels
    return ChartLabels(
        title=content.messages("chart_title"),
        sessions=label("chart_sessions"),
        pain=label("chart_pain"),
        pain_after=label("chart_pain_after"),
        pain_before=label("chart_pain_before"),
        done=label("status_done"),
        partly=label("status_partly"),
        skipped=label("status_skipped"),
        missed=label("status_missed"),
        paused=label("status_paused"),
        no_pain=content.messages("chart_no_pain"),
        months=content.names.months_short,
    )


def chart_caption(content: Content, records: Sequence[DayRecord]) -> str:
    """The numbers under the four-week chart."""
    statuses = {d.day: d.status for d in records if d.status is not None}
    counts = adherence(statuses, records[-1].day)
    return content.messages(
        "chart_caption",
        done=counts.done + counts.partly,
        rate=rate_label(content, counts.rate),
        pain=pain_label(content, average_pain(records)),
    )


def summary_caption(content: Content, records: Sequence[DayRecord], streak: int) -> str:
    """The weekly summary: the seven days before today, beside the week before them."""
    week, before = records[-8:-1], records[-15:-8]
    counted = [d for d in week if d.status in (*SHOWED_UP, DayStatus.SKIPPED, DayStatus.MISSED)]
    return content.messages(
        "summary_caption",
        period=f"{day_label(content, week[0].day)} – {day_label(content, week[-1].day)}",
        done=sum(1 for d in counted if d.status in SHOWED_UP),
        days=len(counted),
        streak=days(content, streak),
        pain=pain_label(content, average_pain(week)),
        previous=pain_label(content, average_pain(before)),
    )


def summary_choices(content: Content, current: int | None) -> tuple[str, Markup]:
    m, names = content.messages, content.names
    if current is None:
        state = m("summary_state_off")
    else:
        state = m("summary_state_on", day=names.weekdays[current])
    buttons = [
        button(chosen(content, name, i == current), cb.SummaryDay(i))
        for i, name in enumerate(names.weekdays_short)
    ]
    off_label = chosen(content, content.labels("button_summary_off"), current is None)
    off = button(off_label, cb.SummaryDay(None))
    markup = rows(buttons, 4)
    markup = InlineKeyboardMarkup([*markup.inline_keyboard[:1], [*markup.inline_keyboard[1], off]])
    return m("summary_ask", current=state), markup


def summary_day_name(content: Content, weekday: int) -> str:
    return content.names.weekdays[weekday]


def parse_summary_day(content: Content, text: str) -> int | None:
    """A weekday by name or its first three letters, any case and with or without accents
    ("miercoles"), in the user's language (0 = Monday); None for "off"."""
    word = _folded(text)
    if word in (_folded(w) for w in content.names.off_words):
        return None
    if len(word) >= 3:
        for index, name in enumerate(content.names.weekdays):
            if _folded(name).startswith(word):
                return index
    raise ValueError(text)


def _folded(text: str) -> str:
    """Lower case without accents: "Miércoles" → "miercoles"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
