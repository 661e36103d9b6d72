"""End to end: the four-week chart, the weekly summary, the clinician PDF and the data export.

Files are checked for what they are, not for having been sent: the PNG decodes, the PDF's text
holds the numbers the user produced, the JSON holds every column of every row of theirs.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import update

from bot.domain.variants import Choice
from bot.storage import repo
from bot.storage.models import Base, User
from tests.conftest import SESSION, onboard, pass_screen, step, user_row
from tests.fake_telegram import BotMessage, FakeUser

SUMMARY = "Your week"
SUNDAY_0730 = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)  # in Berlin


def photos(user: FakeUser, after: int = 0) -> list[BotMessage]:
    return [m for m in user.messages[after:] if m.method == "sendPhoto"]


async def wait_for_file(user: FakeUser, method: str, after: int) -> BotMessage:
    return await user.wait_for(lambda m: m.method == method, after=after, timeout=15)


def png_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image.size


async def session_of(user: FakeUser, day_label: str) -> BotMessage:
    """Wait for the session message of the day labelled e.g. "Sat 21 Nov"."""
    return await user.wait_for(lambda m: SESSION in m.text and day_label in m.text)


async def do_session(user: FakeUser, day_label: str, *, pain: str | None) -> None:
    """Wait for the day's session, mark it done and, if given, rate the pain."""
    await session_of(user, day_label)
    await step(user, "Done", "streak")
    if pain is not None:
        await step(user, pain, f"{pain}/10")


async def test_progress_offers_the_chart_as_a_png_of_the_last_four_weeks(bot, clock, ana):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await do_session(ana, "Sat 21 Nov", pain="4")
    await step(ana, "/progress", "Your progress", tap=False)
    seen = len(ana.messages)
    query_id = await ana.tap("📊 Chart")
    chart = await wait_for_file(ana, "sendPhoto", seen)
    await ana.wait_answered(query_id)
    assert png_size(chart.file_bytes) == (800, 500)
    assert "Sessions done: <b>1</b>" in chart.text
    assert "completed: <b>100%</b>" in chart.text
    assert "4.0/10" in chart.text


async def test_the_weekly_summary_comes_on_sunday_at_the_reminder_time_once(bot, clock, db, ana):
    await onboard(ana)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.summary_day == 6  # Sunday unless they choose otherwise
    assert user.next_summary_at == SUNDAY_0730
    clock.advance(timedelta(hours=1, minutes=30))
    await do_session(ana, "Sat 21 Nov", pain="4")
    assert photos(ana) == []

    clock.advance(timedelta(days=1))  # Sunday 07:30
    summary = await ana.wait_for(lambda m: SUMMARY in m.text)
    await session_of(ana, "Sun 22 Nov")  # the day's session comes as well
    assert summary.method == "sendPhoto" and png_size(summary.file_bytes) == (800, 500)
    assert "Sun 15 Nov – Sat 21 Nov" in summary.text
    assert "Sessions done: <b>1 of 1</b>" in summary.text
    assert "Current streak: <b>1 day</b>" in summary.text
    assert "4.0/10" in summary.text and "the week before: –" in summary.text

    # Restarts and extra ticks never send the week's summary again.
    await bot.restart()
    await bot.tick()
    clock.advance(timedelta(hours=2))
    await bot.restart()
    await bot.tick()
    assert len(photos(ana)) == 1
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730 + timedelta(days=7)


async def test_the_next_weeks_summary_follows_a_week_later(bot, clock, ana):
    await onboard(ana)
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30
    await ana.wait_for(lambda m: SUMMARY in m.text)
    clock.advance(timedelta(days=7))
    second = await ana.wait_for(lambda m: "Sun 22 Nov – Sat 28 Nov" in m.text)
    assert second.method == "sendPhoto"
    assert len(photos(ana)) == 2


async def test_the_user_picks_the_summary_day_in_the_settings_or_turns_it_off(bot, clock, db, ana):
    await onboard(ana)
    await step(ana, "/settings", "Your settings", tap=False)
    choices = await step(ana, "Weekly summary", "Which day")
    assert "every Sunday" in choices
    chosen = await step(ana, "Wed", "every <b>Wednesday</b>")
    assert "Wed 25 Nov" in chosen
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30: nothing now
    await session_of(ana, "Sun 22 Nov")
    await bot.tick()
    assert photos(ana) == []
    clock.advance(timedelta(days=3))  # Wednesday 07:30
    await ana.wait_for(lambda m: SUMMARY in m.text)

    await step(ana, "/summary off", "no more weekly summaries", tap=False)
    user = await user_row(db, ana.chat_id)
    assert user is not None and (user.summary_day, user.next_summary_at) == (None, None)
    clock.advance(timedelta(days=7))
    await session_of(ana, "Wed 2 Dec")
    await bot.tick()
    assert len(photos(ana)) == 1
    await step(ana, "/summary funday", "isn't a day I know", tap=False)
    await step(ana, "/summary SUN", "every <b>Sunday</b>", tap=False)


async def test_no_summary_while_paused_or_after_downtime_beyond_the_grace_window(
    bot, clock, db, ana
):
    await onboard(ana)
    await step(ana, "/pause 3", "paused until", tap=False)
    clock.advance(timedelta(days=1, hours=1, minutes=30))  # Sunday 07:30, paused
    await bot.tick()
    assert photos(ana) == []

    await bot.stop()
    clock.advance(timedelta(days=7, hours=4))  # the next Sunday, 11:30: 4 h late
    await bot.start()
    await bot.tick()
    assert photos(ana) == []
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730 + timedelta(days=14)


async def test_users_from_before_summaries_get_one_planned_at_their_next_session(
    bot, clock, db, ana
):
    await onboard(ana)
    async with db.transaction() as s:  # as the migration leaves an existing user
        await s.execute(update(User).values(next_summary_at=None))
    clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_summary_at == SUNDAY_0730


def pdf_text(data: bytes | None) -> str:
    """The PDF's text, every run of whitespace one space."""
    assert data is not None and data.startswith(b"%PDF-")
    pdf = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)


async def test_report_is_a_pdf_with_the_users_own_numbers(bot, clock, db, ana):
    await onboard(ana, answers="yynnn")  # the desk-sitter routine
    clock.advance(timedelta(hours=1, minutes=30))
    saturday = await session_of(ana, "Sat 21 Nov")
    await ana.wait_answered(await ana.tap("Rate pain", saturday))
    await ana.wait_answered(await ana.tap("2", saturday))  # pain before the session
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await step(ana, "This hurts", "gentler")  # the hip-flexor release, swapped for good
    await step(ana, "Next", "step 3 of 3")
    await step(ana, "Finish", "streak")
    await step(ana, "4", "4/10")
    clock.advance(timedelta(days=1))
    await session_of(ana, "Sun 22 Nov")
    await step(ana, "Partly done", "Partly done still")
    await step(ana, "6", "6/10")
    await step(ana, "Add a note", "Type your note")
    await step(ana, "knees a bit sore today", "Noted", tap=False)
    clock.advance(timedelta(days=1))
    await session_of(ana, "Mon 23 Nov")
    await step(ana, "Skip today", "skipped")
    clock.advance(timedelta(days=1))
    await session_of(ana, "Tue 24 Nov")  # left undone: missed
    clock.advance(timedelta(hours=22, minutes=30))  # Wednesday 06:00
    async with db.transaction() as s:  # as two good weeks would have left the bridge
        await repo.set_exercise_choice(
            s, ana.chat_id, "glute-bridge", Choice("glute-bridge", 2), clock()
        )

    seen = len(ana.messages)
    await ana.send("/report")
    report = await wait_for_file(ana, "sendDocument", seen)
    assert report.filename == "hip-check-report-2026-11-25.pdf"
    assert "physiotherapist" in report.text and "isn't a medical assessment" in report.text

    text = pdf_text(report.file_bytes)
    assert "Prepared for Ana on 25 Nov 2026" in text
    assert "self-reported log, not a medical assessment" in text
    assert "warning sign" not in text
    assert re.search(r"Sessions done 1 1\b", text) and re.search(r"Partly done 1 1\b", text)
    assert re.search(r"Skipped 1 1\b", text) and re.search(r"Missed \(not marked\) 1 1\b", text)
    assert re.search(r"Completion rate 50% 50%", text)
    assert re.search(r"Best streak \(days\) 2\b", text)
    # The week's done (and partly done) sessions, ratings, average and range.
    assert "16 Nov 2026 1 + 1 partly 2 5.0 4–6" in text
    # Day by day, with the pain before → after each session.
    assert "Sat 21 Nov 2026 done 2 → 4" in text
    assert "Sun 22 Nov 2026 partly done – → 6" in text
    assert "Mon 23 Nov 2026 skipped" in text and "Tue 24 Nov 2026 missed" in text
    assert "Note 22 Nov 2026 partly done knees a bit sore today" in text
    # The routine as Ana does it: the easier form she chose, and the bridge a level up.
    assert "Current routine: Desk-sitter hip opener" in text
    assert (
        "Chair-supported hip-flexor stretch (an easier form of Three-way hip-flexor release) "
        "1 of 1 About 30 seconds per side"
    ) in text
    assert "Glute bridge with a squeeze 2 of 2 3 sets of 12 reps" in text
    assert "Daily reminder at 07:30 (Europe/Berlin)" in text
    # The quiz, sign by sign: yes, yes, no, no, no.
    assert re.search(r"go up stairs\? yes", text) and re.search(r"groin\? yes", text)
    assert re.search(r"toward each other\? no", text)
    assert re.search(r"Signs answered yes 2\b", text)
    # The chart is in it, as a whole image, and each exercise's key pose beside its dose.
    pdf = PdfReader(io.BytesIO(report.file_bytes or b""))
    images = [image.image for page in pdf.pages for image in page.images]
    assert sorted(image.size for image in images if image is not None) == [
        *[(480, 360)] * 3,
        (800, 500),
    ]


async def test_report_says_when_a_red_flag_stopped_the_reminders(bot, clock, ana):
    await onboard(ana)
    clock.advance(timedelta(hours=1, minutes=30))
    await session_of(ana, "Sat 21 Nov")
    await step(ana, "Something's wrong", "Does any of these apply")
    await step(ana, "Yes, one or more", "Please get medical help now")
    clock.advance(timedelta(days=2))
    seen = len(ana.messages)
    await ana.send("/report")
    report = await wait_for_file(ana, "sendDocument", seen)
    text = pdf_text(report.file_bytes)
    assert "On 21 Nov 2026 the person reported a warning sign." in text
    assert "Reminders have been stopped since then" in text

    await step(ana, "/resume", "on again", tap=False)
    seen = len(ana.messages)
    await ana.send("/report")
    report = await wait_for_file(ana, "sendDocument", seen)
    assert "warning sign" not in pdf_text(report.file_bytes)


async def test_report_shows_each_quiz_taken_as_its_own_column(bot, clock, ana):
    await onboard(ana, answers="yynnn")
    await step(ana, "/quiz", "Does any of these apply", tap=False)
    await pass_screen(ana, "Question 1 of 5")
    for index, label in enumerate(["No", "Yes", "No", "No"]):
        await step(ana, label, f"Question {index + 2} of 5")
    await step(ana, "Yes", "suggestion")
    seen = len(ana.messages)
    await step(ana, "/progress", "Your progress", tap=False)
    await ana.tap("Report for my physio")
    report = await wait_for_file(ana, "sendDocument", seen)
    assert report.file_bytes is not None
    text = pdf_text(report.file_bytes)
    assert re.search(r"go up stairs\? yes no", text)
    assert re.search(r"toward each other\? no yes", text)
    assert re.search(r"Sign 21 Nov 2026 21 Nov 2026", text)


async def test_export_holds_every_column_of_every_row_of_the_user_and_no_one_else(
    bot, clock, telegram, ana
):
    ben = telegram.user(2002, "Ben")
    await onboard(ana, answers="nnnny")  # a routine with a side lunge
    await onboard(ben)
    clock.advance(timedelta(hours=1, minutes=30))
    await session_of(ana, "Sat 21 Nov")
    await step(ana, "Guided", "step 1 of 3")
    await step(ana, "Next", "step 2 of 3")
    await step(ana, "Next", "step 3 of 3")
    await step(ana, "This hurts", "gentler")  # a row in exercise_choices
    await step(ana, "Finish", "streak")
    await step(ana, "3", "3/10")
    await ben.wait_for_text(SESSION)

    seen = len(ana.messages)
    await ana.send("/export")
    export = await wait_for_file(ana, "sendDocument", seen)
    assert export.filename == "hip-check-data-2026-11-21.json"
    assert export.file_bytes is not None
    data = json.loads(export.file_bytes)
    assert data["format"] == "hip-check-export/1"
    tables = data["tables"]
    for model in (User, *repo.USER_TABLES):
        rows = tables[model.__tablename__]
        assert rows, model.__tablename__
        for row in rows:
            assert set(row) == set(model.__table__.columns.keys()), model.__tablename__
    [user] = tables["users"]
    assert user["id"] == ana.chat_id and user["timezone"] == "Europe/Berlin"
    assert user["reminder_time"] == "07:30:00" and user["summary_day"] == 6
    [session] = tables["sessions"]
    assert (session["day"], session["status"], session["pain"]) == ("2026-11-21", "done", 3)
    assert [a["answers"] for a in tables["quiz_attempts"]] == ["nnnny"]
    [choice] = tables["exercise_choices"]
    assert (choice["slot"], choice["exercise_id"]) == ("lateral-lunge", "supported-side-step")
    others = tables["sessions"] + tables["quiz_attempts"] + tables["exercise_choices"]
    assert all(r["user_id"] == ana.chat_id for r in others)


def test_every_table_with_user_rows_is_exported_and_deleted():
    holding = {t.name for t in Base.metadata.sorted_tables if "user_id" in t.columns}
    assert holding == {model.__tablename__ for model in repo.USER_TABLES}


async def test_report_and_export_before_start_ask_to_finish_setup(bot, ana):
    for command in ("/report", "/export", "/summary"):
        await step(ana, command, "send /start", tap=False)
