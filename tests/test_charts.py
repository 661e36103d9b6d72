"""The four-week chart: a real PNG of the right size, with or without pain ratings."""

import asyncio
import io
from datetime import date, timedelta

import pytest
from PIL import Image

from bot import render
from bot.charts import DPI, HEIGHT_IN, WIDTH_IN, progress_chart
from bot.content import load_content
from bot.domain.history import DayRecord, day_records
from bot.domain.progress import DayStatus

TODAY = date(2026, 11, 21)
LABELS = render.chart_labels(load_content())


def four_weeks(pain: bool) -> tuple[DayRecord, ...]:
    """Done, partly done, skipped and missed in turn; pain before and after each session."""
    outcomes = [DayStatus.DONE, DayStatus.PARTLY, DayStatus.SKIPPED, DayStatus.MISSED]
    logged = []
    for i in range(28):
        day, status = TODAY - timedelta(days=i), outcomes[i % 4]
        rated = pain and status in (DayStatus.DONE, DayStatus.PARTLY)
        before = (day.day % 5) + 1 if rated else None
        logged.append(DayRecord(day, status, before, (day.day % 7) + 1 if rated else None))
    return day_records(logged, TODAY)


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated file fails here
    return image


@pytest.mark.parametrize("pain", [True, False])
def test_the_chart_is_a_png_that_decodes_at_800_by_500(pain):
    image = decode(progress_chart(four_weeks(pain), LABELS))
    assert image.format == "PNG"
    assert image.size == (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
    colours = image.convert("RGB").getcolors(maxcolors=100_000)
    assert colours is not None and len(colours) > 10  # not a blank canvas


def test_a_chart_of_no_sessions_still_renders():
    image = decode(progress_chart(day_records([], TODAY), LABELS))
    assert image.size == (800, 500)


async def test_charts_rendered_in_threads_at_once_all_come_out_whole():
    days = four_weeks(True)
    pngs = await asyncio.gather(
        *(asyncio.to_thread(progress_chart, days, LABELS) for _ in range(4))
    )
    assert all(decode(png).size == (800, 500) for png in pngs)


def test_no_days_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        progress_chart((), LABELS)
