"""End to end: the demonstrations in the chat. Guided steps carry their exercise's animation,
"👀 Show me" sends the day's, "This hurts" the easier form's; each is uploaded once per bot and
sent again by Telegram's file_id until its data changes."""

from __future__ import annotations

import shutil
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import yaml
from PIL import Image
from sqlalchemy import select

from bot.content import DEFAULT_CONTENT_DIR
from bot.storage.models import DemoFile
from tests.conftest import SESSION, RunningBot, onboard, step
from tests.fake_telegram import BOT_USER, BotMessage, FakeUser
from tests.language_support import english_only

DESK = ["soft-tissue.gif", "hip-flexor-release.gif", "glute-bridge.gif"]  # answers "yynnn"
RENDER_TIMEOUT = 30.0  # the first send of each animation draws it


def animations(user: FakeUser, after: int = 0) -> list[BotMessage]:
    return [m for m in user.messages[after:] if m.method == "sendAnimation"]


async def wait_animations(user: FakeUser, count: int, after: int) -> list[BotMessage]:
    def check() -> list[BotMessage] | None:
        found = animations(user, after)
        return found if len(found) >= count else None

    return await user.server.wait_until(
        check,
        timeout=RENDER_TIMEOUT,
        describe=lambda: f"no {count} animations\n{user.transcript()}",
    )


async def due_session(user: FakeUser, clock, answers: str = "yynnn") -> BotMessage:
    await onboard(user, answers=answers)
    clock.advance(timedelta(hours=1, minutes=30))
    return await user.wait_for_text(SESSION)


async def show_me(user: FakeUser, session: BotMessage) -> list[BotMessage]:
    seen = len(user.messages)
    await user.wait_answered(await user.tap("Show me", session), timeout=RENDER_TIMEOUT)
    return await wait_animations(user, 3, seen)


async def test_each_guided_step_is_its_exercises_animation_with_the_steps_text(
    bot, clock, ana, telegram
):
    await due_session(ana, clock)
    await ana.tap("Guided")
    first = await ana.wait_for_text("step 1 of 3", timeout=RENDER_TIMEOUT)
    assert (first.method, first.filename) == ("sendAnimation", "soft-tissue.gif")
    assert "Soft-tissue warm-up" in first.text and "Check with your doctor" in first.text
    assert SESSION in first.text
    assert [label for label, _ in first.buttons()] == [
        "😣 This hurts",
        "⏱ Start 30 s timer",
        "Next ➡",
    ]
    gif = Image.open(BytesIO(first.file_bytes or b""))
    assert gif.format == "GIF" and gif.n_frames > 10
    seen = len(ana.messages)
    await ana.tap("Next", first)
    second = await ana.wait_for_text("step 2 of 3", after=seen, timeout=RENDER_TIMEOUT)
    assert second.filename == "hip-flexor-release.gif"
    back = await step(ana, "Back", "step 1 of 3")
    assert "Soft-tissue warm-up" in back
    assert ana.last_message.file_id == first.file_id  # sent again, not uploaded again
    assert [u.filename for u in telegram.uploads("sendAnimation")] == DESK[:2]


async def test_show_me_sends_the_days_animations_and_later_only_their_file_ids(
    bot, clock, ana, telegram, db
):
    session = await due_session(ana, clock)
    sent = await show_me(ana, session)
    assert [m.filename for m in sent] == DESK
    assert "Glute bridge with a squeeze · 2–3 sets of 10–12 reps" in sent[2].plain_text
    assert len(telegram.uploads("sendAnimation")) == 3

    again = await show_me(ana, session)
    assert [m.file_id for m in again] == [m.file_id for m in sent]
    assert len(telegram.uploads("sendAnimation")) == 3  # nothing uploaded the second time
    async with db.transaction() as s:
        rows = (await s.scalars(select(DemoFile))).all()
    assert sorted(r.file_id for r in rows) == sorted(m.file_id for m in sent)
    assert {r.bot_id for r in rows} == {BOT_USER["id"]}


async def test_this_hurts_shows_the_easier_forms_animation_with_its_cues(bot, clock, ana):
    await due_session(ana, clock, answers="nnnny")  # soft tissue, glute bridge, side lunge
    await ana.tap("Guided")
    await ana.wait_for_text("step 1 of 3", timeout=RENDER_TIMEOUT)
    for k in (2, 3):
        seen = len(ana.messages)
        await ana.tap("Next")
        lunge = await ana.wait_for_text(f"step {k} of 3", after=seen, timeout=RENDER_TIMEOUT)
    assert lunge.filename == "lateral-lunge.gif"
    seen = len(ana.messages)
    await ana.tap("This hurts", lunge)
    easier = await ana.wait_for_text("Supported side step ·", after=seen, timeout=RENDER_TIMEOUT)
    assert (easier.method, easier.filename) == ("sendAnimation", "supported-side-step.gif")
    assert "Stand side-on to a sturdy chair" in easier.text and SESSION in easier.text


async def test_a_changed_demonstration_is_uploaded_anew_and_the_others_are_not(
    settings, clock, telegram, ana, tmp_path: Path
):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    running = RunningBot(settings.model_copy(update={"content_dir": content}), clock)
    await running.start()
    try:
        session = await due_session(ana, clock)
        before = await show_me(ana, session)
        await running.stop()

        path = content / "demos.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["demos"]["glute-bridge"]["keyframes"][1]["hold"] = 1.0  # one keyframe changes
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        await running.start()

        after = await show_me(ana, session)
    finally:
        await running.stop()
    uploads = [u.filename for u in telegram.uploads("sendAnimation")]
    assert uploads == [*DESK, "glute-bridge.gif"]
    assert [m.file_id for m in after[:2]] == [m.file_id for m in before[:2]]
    assert after[2].file_id != before[2].file_id


async def test_show_me_on_an_old_session_has_expired(bot, clock, ana):
    session = await due_session(ana, clock)
    clock.advance(timedelta(days=3))
    seen = len(ana.messages)
    answer = await ana.wait_answered(await ana.tap("Show me", session))
    assert "expired" in answer.get("text", "")
    assert animations(ana, seen) == []


async def test_a_refused_animation_still_shows_the_steps_text_and_buttons(
    bot, clock, ana, telegram
):
    await due_session(ana, clock)
    telegram.fail("sendAnimation", status=400, description="Bad Request: wrong file type")
    first = await step(ana, "Guided", "step 1 of 3")
    assert "Soft-tissue warm-up" in first and ana.last_message.method == "sendMessage"
    assert "Next ➡" in [label for label, _ in ana.last_message.buttons()]


async def test_a_step_too_long_for_a_caption_comes_as_the_animation_then_the_text(
    settings, clock, telegram, ana, tmp_path: Path
):
    content = english_only(tmp_path / "content")  # more cues than the translations have
    path = content / "en" / "exercises.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    warm_up = next(e for e in data["exercises"] if e["id"] == "soft-tissue")
    warm_up["cues"] += ["Keep breathing slowly and evenly while you work. " * 4] * 2
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    running = RunningBot(settings.model_copy(update={"content_dir": content}), clock)
    await running.start()
    try:
        await due_session(ana, clock)
        seen = len(ana.messages)
        await ana.tap("Guided")
        text = await ana.wait_for_text("step 1 of 3", after=seen, timeout=RENDER_TIMEOUT)
    finally:
        await running.stop()
    picture, *_ = animations(ana, seen)
    assert (picture.filename, picture.text, picture.buttons()) == ("soft-tissue.gif", "", [])
    assert text.method == "sendMessage" and len(text.plain_text) > 1024
    assert picture.message_id < text.message_id
    assert "Next ➡" in [label for label, _ in text.buttons()]
