"""The four-week chart (sessions per day and knee pain) as a PNG, drawn with matplotlib's Agg.

CPU-bound: call it through `asyncio.to_thread`. It uses figures directly, never pyplot, so no
GUI backend is touched; one lock keeps renders one at a time, since matplotlib's shared state
(font cache, text layout) is not thread-safe.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.history import DayRecord
from bot.domain.progress import DayStatus

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 5.0, 100  # 800 × 500 pixels: sharp on a phone, ~40 KB
_COLOURS = {
    DayStatus.DONE: "#2e9d5b",
    DayStatus.PARTLY: "#9fd4b3",
    DayStatus.SKIPPED: "#9aa0a6",
    DayStatus.MISSED: "#d9534f",
    DayStatus.PAUSED: "#c7d7f0",
}
_PAIN_COLOUR = "#3b6fb6"
_PAIN_BEFORE_COLOUR = "#9bb3d9"
_render_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The words on the chart (from content/messages.yaml and labels.yaml), one per series and
    axis, and the month names of the dates under it."""

    title: str
    sessions: str
    pain: str
    pain_after: str  # the rating after the session: the app's "pain"
    pain_before: str
    done: str
    partly: str
    skipped: str
    missed: str
    paused: str
    no_pain: str
    months: tuple[str, ...] = (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    )


def progress_chart(days: Sequence[DayRecord], labels: ChartLabels) -> bytes:
    """A PNG: one bar per done day (half a bar when partly done), thin marks for skipped,
    missed and paused days above; below, the knee pain (0–10) rated after each session, and
    the rating before it as a fainter dashed line where there is one."""
    if not days:
        raise ValueError("a chart needs at least one day")
    with _render_lock:
        return _draw(days, labels)


def _draw(days: Sequence[DayRecord], labels: ChartLabels) -> bytes:
    # Imported on first use: matplotlib costs ~50 MB and ~0.3 s, and most processes never
    # draw (start-up with 100,000 users stays at ~90 MB; see docs/BENCHMARKS.md).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MultipleLocator

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    sessions, pain = figure.subplots(2, 1, sharex=True, height_ratios=(1, 1.4))
    figure.suptitle(labels.title, fontsize=13)
    x = list(range(len(days)))

    # A done day is a full bar, a partly done one half; the others are short marks.
    heights = {DayStatus.DONE: 1.0, DayStatus.PARTLY: 0.5, DayStatus.SKIPPED: 0.2}
    heights[DayStatus.MISSED] = heights[DayStatus.PAUSED] = 0.2
    names = {
        DayStatus.DONE: labels.done,
        DayStatus.PARTLY: labels.partly,
        DayStatus.SKIPPED: labels.skipped,
        DayStatus.MISSED: labels.missed,
        DayStatus.PAUSED: labels.paused,
    }
    for status, colour in _COLOURS.items():
        xs = [i for i, d in zip(x, days, strict=True) if d.status is status]
        if xs:
            sessions.bar(
                xs, [heights[status]] * len(xs), color=colour, width=0.8, label=names[status]
            )
    sessions.set_ylim(0, 1.6)  # room for the legend above the bars
    sessions.set_yticks([])
    sessions.set_ylabel(labels.sessions)
    if sessions.get_legend_handles_labels()[0]:
        sessions.legend(loc="upper left", ncols=5, fontsize=8, frameon=False)

    after = [(i, d.pain_after) for i, d in zip(x, days, strict=True) if d.pain_after is not None]
    before = [(i, d.pain_before) for i, d in zip(x, days, strict=True) if d.pain_before is not None]
    if before:
        pain.plot(
            [i for i, _ in before],
            [p for _, p in before],
            color=_PAIN_BEFORE_COLOUR,
            marker="o",
            markersize=4,
            linewidth=1.5,
            linestyle="--",
            label=labels.pain_before,
        )
    if after:
        pain.plot(
            [i for i, _ in after],
            [p for _, p in after],
            color=_PAIN_COLOUR,
            marker="o",
            linewidth=2,
            label=labels.pain_after,
        )
    if before:  # two lines need telling apart
        pain.legend(loc="best", ncols=2, fontsize=8, frameon=False)
    if not (before or after):
        pain.text(0.5, 0.5, labels.no_pain, ha="center", va="center", transform=pain.transAxes)
    pain.set_ylim(-0.5, 10.5)
    pain.yaxis.set_major_locator(MultipleLocator(2))
    pain.set_ylabel(labels.pain)
    pain.grid(axis="y", alpha=0.3)

    ticks = [i for i, d in zip(x, days, strict=True) if d.day.weekday() == 0] or [0]
    dates = [days[i].day for i in ticks]
    pain.set_xticks(ticks, [f"{d.day} {labels.months[d.month - 1]}" for d in dates])
    pain.set_xlim(-0.6, len(days) - 0.4)
    for axes in (sessions, pain):
        axes.spines[["top", "right"]].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
