"""Charts and files: the four-week chart, the weekly summary's day, /report (PDF) and /export."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CommandHandler

from bot import callbacks as cb
from bot import render
from bot.charts import progress_chart
from bot.handlers.common import HipContext, clear_buttons, guarded, ids, on_button, say
from bot.handlers.demos import key_poses
from bot.usecases import reports, schedule

CHART_FILENAME = "hip-check-4-weeks.png"


@guarded
async def send_chart(update: Update, context: HipContext) -> None:
    """Send the four-week chart of sessions and knee pain."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    days = await reports.chart_days(deps.db, user_id, deps.clock())
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    png = await asyncio.to_thread(progress_chart, days, render.chart_labels(context.content))
    caption = render.chart_caption(context.content, days)
    await context.bot.send_photo(chat_id, png, caption=caption, filename=CHART_FILENAME)


@guarded
async def report_command(update: Update, context: HipContext) -> None:
    """Send the clinician report as a PDF."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    name = update.effective_user.full_name if update.effective_user else ""
    data = await reports.report(deps.db, user_id, deps.clock(), context.content, name)
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    labels = render.chart_labels(context.content)
    chart = await asyncio.to_thread(progress_chart, data.days, labels)
    from bot.pdf import report_pdf  # fpdf2 loads on the first report, not at start-up

    stills = await asyncio.to_thread(key_poses, context.content, data)
    pdf = await asyncio.to_thread(report_pdf, data, context.content, chart, stills)
    await context.bot.send_document(
        chat_id,
        pdf,
        filename=f"hip-check-report-{data.today:%Y-%m-%d}.pdf",
        caption=context.content.messages("report_caption"),
    )


@guarded
async def export_command(update: Update, context: HipContext) -> None:
    """Send every stored row of the user as a JSON file."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    export = await reports.export(deps.db, user_id, deps.clock())
    await context.bot.send_document(
        chat_id,
        export.document,
        filename=f"hip-check-data-{export.today:%Y-%m-%d}.json",
        caption=context.content.messages("export_caption"),
    )


async def file_button(update: Update, context: HipContext, data: cb.SendFile) -> str | None:
    """The chart and report buttons do what the matching command does."""
    match data.kind:
        case cb.FileKind.CHART:
            await send_chart(update, context)
        case cb.FileKind.REPORT:
            await report_command(update, context)
        case cb.FileKind.EXPORT:
            await export_command(update, context)
    return None


@guarded
async def summary_command(update: Update, context: HipContext) -> None:
    """Set the weekly summary's day (/summary sunday, /summary off) or ask with buttons."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    wanted = " ".join(context.args or []).strip()
    if wanted:
        try:
            weekday = render.parse_summary_day(context.content, wanted)
        except ValueError:
            await say(update, context, m("bad_summary_day", text=render.escape(wanted[:20])))
            return
        await set_summary_day(update, context, weekday)
        return
    current = await schedule.summary_day(deps.db, user_id)
    await say(update, context, *render.summary_choices(context.content, current))


async def summary_day_button(
    update: Update, context: HipContext, data: cb.SummaryDay
) -> str | None:
    """Take the tapped day (or Off) for the weekly summary."""
    await clear_buttons(update)
    await set_summary_day(update, context, data.weekday)
    return None


@guarded
async def set_summary_day(update: Update, context: HipContext, weekday: int | None) -> None:
    """Send the weekly summary on `weekday`, or turn it off (None)."""
    deps, (user_id, _) = context.deps, ids(update)
    m = context.content.messages
    next_day = await schedule.set_summary_day(deps.db, user_id, weekday, deps.clock())
    if weekday is None:
        await say(update, context, m("summary_turned_off"))
        return
    text = m(
        "summary_set",
        day=render.summary_day_name(context.content, weekday),
        next_date=render.day_label(context.content, next_day) if next_day else "–",
    )
    await say(update, context, text)


HANDLERS: list[BaseHandler[Update, HipContext, None]] = [
    CommandHandler("report", report_command),
    CommandHandler("export", export_command),
    CommandHandler("summary", summary_command),
    on_button(cb.SendFile, file_button),
    on_button(cb.SummaryDay, summary_day_button),
]
