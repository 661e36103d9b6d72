"""End to end in another language: a generated one (English with every text prefixed, written
beside the shipped content) proves that adding a language is content only; /language and
Telegram's language_code choose it; reminders, files and the command menu follow it."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.app import COMMANDS
from bot.config import Settings
from tests.conftest import SESSION, onboard, step, user_row
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.language_support import PREFIX, with_generated_language


@pytest.fixture
def settings(database_url: str, telegram: FakeTelegram, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=telegram.token,
        database_url=database_url,
        telegram_base_url=telegram.base_url,
        tick_seconds=0.05,
        content_dir=with_generated_language(tmp_path),
    )


def untranslated(user: FakeUser) -> list[str]:
    """Every text or caption the bot sent this user without the generated language's mark."""
    return [m.text for m in user.messages if m.text.strip() and PREFIX not in m.text]


async def test_a_user_of_a_language_added_as_content_only_gets_every_message_in_it(
    bot, clock, telegram, db
):
    xi = telegram.user(3003, "Xi", language_code="xx")
    confirmation = await onboard(xi)
    assert confirmation.startswith(PREFIX)
    clock.advance(timedelta(hours=1, minutes=30))
    session = await xi.wait_for_text(SESSION)  # the scheduled session, in the user's language
    assert session.text.startswith(PREFIX)
    assert all(label.startswith(PREFIX) for label, _ in session.buttons())
    await step(xi, "Done", "streak")
    await step(xi, "4", "4/10")
    await step(xi, "/progress", "progress", tap=False)
    seen = len(xi.messages)
    await xi.tap("Chart")
    await xi.wait_for(lambda m: m.method == "sendPhoto", after=seen, timeout=15)
    seen = len(xi.messages)
    await xi.send("/report")
    report = await xi.wait_for(lambda m: m.method == "sendDocument", after=seen, timeout=15)
    pages = PdfReader(io.BytesIO(report.file_bytes or b"")).pages
    assert "xx⟧ Exercise" in "".join(page.extract_text() for page in pages)
    for command in ("/settings", "/help", "/history", "/levels", "/nonsense"):
        seen = len(xi.messages)
        await xi.send(command)
        await xi.wait_for(lambda m: True, after=seen)
    assert untranslated(xi) == [], xi.transcript()
    user = await user_row(db, xi.chat_id)
    assert user is not None and user.language == "xx"


async def test_start_takes_telegrams_language_when_supported_else_english(bot, telegram, db):
    regional = telegram.user(3004, "Yu", language_code="xx-YY")
    french = telegram.user(3005, "Zoé", language_code="fr")
    await step(regional, "/start", "I agree", tap=False)
    await step(french, "/start", "I agree", tap=False)
    assert all(PREFIX in text for text in regional.texts())
    assert not any(PREFIX in text for text in french.texts())
    assert (await user_row(db, regional.chat_id)).language == "xx"  # type: ignore[union-attr]
    assert (await user_row(db, french.chat_id)).language == "en"  # type: ignore[union-attr]


async def test_language_switches_at_once_and_the_next_session_follows(bot, clock, ana, db):
    await onboard(ana)
    await step(ana, "/language", "Which language", tap=False)
    await ana.wait_answered(await ana.tap("⟦xx⟧ English"))
    assert ana.last_text.startswith(PREFIX)  # the question becomes the answer, in the new words
    help_text = await step(ana, "/help", PREFIX, tap=False)
    assert "/language" in help_text or help_text.startswith(PREFIX)
    assert (await user_row(db, ana.chat_id)).language == "xx"  # type: ignore[union-attr]
    clock.advance(timedelta(hours=1, minutes=30))
    session = await ana.wait_for_text(SESSION)
    assert session.text.startswith(PREFIX)
    # And back to English from the settings overview's button.
    await step(ana, "/settings", PREFIX, tap=False)
    await step(ana, "🌐", "Which language")
    await ana.wait_answered(await ana.tap("English"))
    assert ana.last_text == "Done: from now on I'll write in English."
    assert PREFIX not in await step(ana, "/help", "/today", tap=False)
    # A forged button for a language the bot does not have changes nothing.
    answer = await ana.wait_answered(await ana.tap_data("lg1:zz"))
    assert "expired" in answer.get("text", "")
    assert (await user_row(db, ana.chat_id)).language == "en"  # type: ignore[union-attr]


async def test_the_command_menu_and_descriptions_are_registered_per_language(bot, telegram):
    english = telegram.commands()
    generated = telegram.commands(language_code="xx")
    assert [c["command"] for c in english] == [c["command"] for c in generated]
    assert [c["command"] for c in english] == [name for name, _ in COMMANDS]
    assert all(c["description"].startswith(PREFIX) for c in generated)
    assert not any(c["description"].startswith(PREFIX) for c in english)
    assert telegram.descriptions["xx"].startswith(PREFIX)
    assert "doctor" in telegram.descriptions[""]
    assert telegram.short_descriptions["xx"].startswith(PREFIX)


async def test_the_weekly_summary_and_a_guided_timer_come_in_the_users_language(
    bot, clock, telegram
):
    xi = telegram.user(3006, "Xi", language_code="xx")
    await onboard(xi)
    clock.advance(timedelta(hours=1, minutes=30))
    await xi.wait_for_text(SESSION)
    await step(xi, "Guided", "step 1 of 3")  # its animation is drawn with the name in xx
    notice = await xi.wait_answered(await xi.tap("Start 30 s timer"))
    assert notice.get("text", "").startswith(PREFIX)
    seen = len(xi.messages)
    clock.advance(timedelta(seconds=30))
    timer = await xi.wait_for_text("Time's up", after=seen, timeout=15)
    assert timer.text.startswith(PREFIX)
    await step(xi, "Next", "step 2 of 3")
    await step(xi, "Next", "step 3 of 3")
    await step(xi, "Finish", "streak")
    await step(xi, "4", "4/10")
    clock.advance(timedelta(days=1))  # Sunday 07:30: the week's summary, and the day's session
    summary = await xi.wait_for(lambda m: m.method == "sendPhoto", timeout=15)
    assert summary.text.startswith(PREFIX) and "4.0/10" in summary.text
    await xi.wait_for_text("Sun 22 Nov")
    assert untranslated(xi) == [], xi.transcript()
