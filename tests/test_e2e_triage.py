"""End to end: the privacy notice before any health question, the age band, the tiered red-flag
screen with each tier's advice and "I have been cleared", and the screen asked again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import callbacks as cb
from bot.app import COMMANDS
from bot.storage.models import ExerciseChoice, QuizAttempt
from tests.conftest import SESSION, onboard, pass_screen, reach_quiz, step, user_row
from tests.test_e2e_reports import pdf_text, wait_for_file

NOTICE = "Your data, in short"


async def health_rows(db, user_id: int) -> int:
    """Quiz answers and exercise choices stored for the user."""
    async with db.transaction() as s:
        attempts = await s.scalar(select(func.count()).where(QuizAttempt.user_id == user_id))
        choices = await s.scalar(select(func.count()).where(ExerciseChoice.user_id == user_id))
        return int(attempts or 0) + int(choices or 0)


async def test_the_privacy_notice_comes_before_any_health_question_and_nothing_is_stored_first(
    bot, clock, ana, db
):
    await ana.send("/start")
    notice = await ana.wait_for_text(NOTICE)
    assert "What I store" in notice.text and "/export" in notice.text
    assert "/deletedata" in notice.text and "365 days" in notice.text
    assert [label for label, _ in notice.buttons()] == ["✅ I agree"]
    assert not any("How old" in m.text or "Does any" in m.text for m in ana.messages)

    # Forged presses of the health questions before the tap store nothing.
    for data in (cb.AgeBandAnswer("adult"), cb.RedFlagAnswer("emergency_now", "n")):
        answer = await ana.wait_answered(await ana.tap_data(cb.encode(data), notice))
        assert "expired" in answer.get("text", "")
    await step(ana, "/quiz", NOTICE, tap=False)  # the quiz waits for the tap too
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.privacy_agreed_at is None
    assert (user.age_band, user.screen, user.cleared_at) == (None, "pending", None)
    async with db.transaction() as s:
        answered = await s.scalars(
            select(QuizAttempt.answers).where(QuizAttempt.user_id == ana.chat_id)
        )
        assert all(set(a) == {"-"} for a in answered)  # no answer at all

    clock.advance(timedelta(minutes=1))
    await step(ana, "I agree", "How old are you")
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.privacy_agreed_at == clock.now
    assert [label for label, _ in ana.last_message.buttons()] == [
        "Under 10",
        "10 to 17",
        "18 or over",
    ]


async def test_privacy_shows_the_notice_again_and_is_in_the_command_list(bot, telegram, ana):
    assert ("privacy", "command_privacy") in COMMANDS
    await step(ana, "/start", NOTICE, tap=False)
    again = await step(ana, "/privacy", NOTICE, tap=False)
    assert "What I store" in again
    assert [label for label, _ in ana.last_message.buttons()] == ["✅ I agree"]  # not yet agreed
    await step(ana, "I agree", "How old are you")
    seen = len(ana.messages)
    await step(ana, "/privacy", NOTICE, tap=False)
    assert ana.messages[seen].buttons() == []  # agreed: the notice alone
    assert "privacy" in [c["command"] for c in telegram.commands()]
    assert "/privacy" in await step(ana, "/help", "/quiz", tap=False)


@pytest.mark.parametrize("band", ["Under 10", "10 to 17"])
async def test_a_child_or_teenager_is_sent_to_a_doctor_first_and_goes_on_only_once_cleared(
    bot, clock, ana, db, band
):
    await step(ana, "/start", NOTICE, tap=False)
    await step(ana, "I agree", "How old are you")
    advice = await step(ana, band, "Please see a doctor before starting")
    assert "growing hip" in advice and "General guidance" in advice
    assert [label for label, _ in ana.last_message.buttons()] == ["I have been cleared"]
    await step(ana, "/quiz", "Please see a doctor before starting", tap=False)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.age_band in ("child", "teen") and user.cleared_at is None

    clock.advance(timedelta(days=5))
    await step(ana, "I have been cleared", "breathlessness")  # then the red flags, as for anyone
    await pass_screen(ana, "Question 1 of 5")
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.cleared_at == clock.now


TIERS = [
    (0, "Please get medical help now", "emergency"),
    (1, "Please see a doctor today", "today"),
    (2, "Please book an appointment", "It isn't an emergency"),
]


@pytest.mark.parametrize(("nos", "headline", "words"), TIERS)
async def test_each_tier_has_its_own_advice_and_cleared_is_recorded_and_reported(
    bot, clock, ana, db, nos, headline, words
):
    await step(ana, "/start", NOTICE, tap=False)
    await step(ana, "I agree", "How old are you")
    await step(ana, "18 or over", "breathlessness")
    for following in ("can't put weight", "Pain at night")[:nos]:
        await step(ana, "No, none of these", following)
    advice = await step(ana, "Yes, one or more", headline)
    assert words in advice and "General guidance, not a diagnosis" in advice
    assert "Question" not in advice
    assert [label for label, _ in ana.last_message.buttons()] == ["I have been cleared"]
    assert await health_rows(db, ana.chat_id) == 0

    clock.advance(timedelta(days=2))  # Monday 23 Nov
    await step(ana, "I have been cleared", "Question 1 of 5")
    assert any("good to hear" in m.text for m in ana.messages)
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.cleared_at == clock.now and user.screen == "cleared"

    for k, answer in enumerate("yynn", start=2):
        await step(ana, "Yes" if answer == "y" else "No", f"Question {k} of 5")
    await step(ana, "No", "suggestion")
    await step(ana, "✅", "What time")
    await step(ana, "07:30", "time zone")
    await step(ana, "Europe/Berlin", "All set")
    seen = len(ana.messages)
    await ana.send("/report")
    report = pdf_text((await wait_for_file(ana, "sendDocument", seen)).file_bytes)
    assert "On 23 Nov 2026 the person reported that a clinician had cleared them" in report
    seen = len(ana.messages)
    await ana.send("/export")
    export = json.loads((await wait_for_file(ana, "sendDocument", seen)).file_bytes or b"")
    [row] = export["tables"]["users"]
    assert row["cleared_at"].startswith("2026-11-23") and row["age_band"] == "adult"
    assert row["privacy_agreed_at"].startswith("2026-11-21")


async def test_a_report_without_a_clearance_does_not_mention_one(bot, clock, ana):
    await onboard(ana)
    seen = len(ana.messages)
    await ana.send("/report")
    report = pdf_text((await wait_for_file(ana, "sendDocument", seen)).file_bytes)
    assert "cleared them" not in report


async def test_a_quiz_retake_asks_the_red_flag_screen_again_first(bot, clock, ana, db):
    await onboard(ana)
    screen = await step(ana, "/quiz", "Does any of these apply", tap=False)
    assert "breathlessness" in screen and "Question" not in ana.last_text
    await step(ana, "No, none of these", "can't put weight")
    await step(ana, "Yes, one or more", "Please see a doctor today")
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_due_at is None  # no session while it stands
    clock.advance(timedelta(hours=2))
    assert await bot.tick() == 0
    assert not any(SESSION in m.text for m in ana.messages)
    await step(ana, "I have been cleared", "Question 1 of 5")  # the retake goes on
    user = await user_row(db, ana.chat_id)
    assert user is not None and user.next_due_at is not None and user.red_flag_at is None


async def test_a_stale_screen_button_expires(bot, ana):
    await reach_quiz(ana)
    first_tier = next(m for m in ana.messages if "breathlessness" in m.text)
    answer = await ana.wait_answered(
        await ana.tap_data(cb.encode(cb.RedFlagAnswer("emergency_now", "y")), first_tier)
    )
    assert "expired" in answer.get("text", "")
    assert "Question 1 of 5" in ana.last_text


async def test_shaky_balance_starts_on_the_supported_side_step(bot, clock, ana):
    await onboard(ana, answers="nnnyy")  # shaky balance, knees cave in: a side-lunge routine
    clock.advance(timedelta(hours=1, minutes=30))
    session = await ana.wait_for_text(SESSION)
    assert "Supported side step" in session.text and "Side lunge" not in session.text
