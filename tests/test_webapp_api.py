"""The Mini App's JSON API, driven over HTTP against the real bot (see tests/webapp_support.py):
every endpoint, the launch-data checks, and that the page and the chat share one state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.content import load_content
from bot.storage.db import Database
from bot.storage.models import Session
from tests.conftest import SESSION, RunningBot, onboard, sessions_of, step, user_row
from tests.fake_telegram import BotMessage, FakeUser
from tests.processes import free_port, wait_for_port
from tests.webapp_support import WEBAPP_URL, WebApp, sign_init_data, webapp_fixture  # noqa: F401


async def test_the_page_words_come_from_the_content_files(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    response = await webapp.call("GET", "/api/texts", ana.id)
    assert response.status == 200
    texts = response.body["texts"]
    assert texts["hurts"] == "This hurts"
    assert texts["day_0"] == "Mon"


async def test_the_page_speaks_the_language_of_the_chat_stored_choice_first(webapp: WebApp):
    content = load_content()
    english, german, spanish = (content.for_language(c).webapp("hurts") for c in ("en", "de", "es"))
    assert len({english, german, spanish}) == 3
    # Never chatted: the language Telegram reports in the launch data.
    launch = sign_init_data(2002, webapp.token, webapp.clock(), language_code="de")
    texts = (await webapp.call("GET", "/api/texts", init_data=launch)).body["texts"]
    assert texts["hurts"] == german
    # Chose Spanish in the chat: the page follows that, whatever Telegram's own language.
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    await step(ana, "/language", "Which language", tap=False)
    await ana.wait_answered(await ana.tap("Español"))
    launch = sign_init_data(ana.id, webapp.token, webapp.clock(), language_code="en")
    texts = (await webapp.call("GET", "/api/texts", init_data=launch)).body["texts"]
    assert texts["hurts"] == spanish
    session = (await webapp.call("GET", "/api/session", init_data=launch)).body
    assert session["doctor_note"] == content.for_language("es").messages("doctor_note")


async def test_todays_session_lists_each_exercise_with_its_timers(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    response = await webapp.call("GET", "/api/session", ana.id)
    assert response.status == 200, response.body
    session = response.body
    assert session["day"] == "2026-11-21"
    assert session["stop_cue"] in SESSION or "Stop" in session["stop_cue"]
    assert session["exercises"]
    holds = [e for e in session["exercises"] if e["kind"] != "reps"]
    assert all(e["timers"] for e in holds)


async def test_a_request_without_launch_data_is_refused(webapp: WebApp):
    response = await webapp.call("GET", "/api/session")
    assert (response.status, response.body) == (401, {"error": "unauthorized"})


# ---------------------------------------------------------------------------- helpers


async def due_session(webapp: WebApp, user: FakeUser) -> BotMessage:
    """Onboard `user` (07:30 Berlin) and let the reminder come: the chat's session card."""
    await onboard(user)
    webapp.clock.advance(timedelta(hours=1, minutes=30))
    card = await user.wait_for_text(SESSION)
    await recorded_as_sent(webapp, user.id)
    return card


async def recorded_as_sent(webapp: WebApp, user_id: int) -> None:
    """Wait until the dispatcher noted the card's message (just after Telegram took it)."""
    assert webapp.bot.app is not None
    database: Database = webapp.bot.app.bot_data["deps"].db
    async with asyncio.timeout(10):
        while not [r for r in await sessions_of(database, user_id) if r.message_id]:  # noqa: ASYNC110 - the row is the only signal
            await asyncio.sleep(0.01)


async def session_row(db: Database, user_id: int) -> Session:
    rows = await sessions_of(db, user_id)
    assert len(rows) == 1
    return rows[0]


# ---------------------------------------------------------------------------- session


async def test_the_session_is_the_chats_card_as_data(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    session = (await webapp.call("GET", "/api/session", ana.id)).body
    assert (session["day"], session["status"]) == ("2026-11-21", "sent")
    assert session["doctor_note"] and session["stop_cue"] in card.plain_text
    assert session["minutes"] in card.plain_text
    for exercise in session["exercises"]:
        assert f"{exercise['name']} · {exercise['dose']}" in card.plain_text
        assert exercise["cues"] and exercise["eased"] is False
        if exercise["kind"] == "reps":
            assert exercise["timers"] == []
        else:
            assert exercise["timers"] and all(t["seconds"] >= 10 for t in exercise["timers"])
    assert [e["step"] for e in session["exercises"]] == list(range(len(session["exercises"])))


def test_holds_on_each_side_count_down_every_left_hold_then_every_right_one_as_in_chat():
    from bot.content import load_content
    from bot.domain.variants import PlanStep
    from bot.web.views import timers

    content = load_content()
    exercise = next(
        e
        for e in content.exercises.values()
        if e.levels[0].sides == 2 and e.levels[0].holds is not None and e.levels[0].reps is None
    )
    level = exercise.levels[0]
    got = timers(content, PlanStep(exercise.id, exercise.id, 1))
    per_side = level.holds or 0
    assert len(got) == per_side * 2
    assert {t["seconds"] for t in got} == {level.hold_seconds or level.hold_range[0]}
    assert all("Left side" in t["label"] for t in got[:per_side])
    assert all("Right side" in t["label"] for t in got[per_side:])


async def test_opening_the_page_before_the_reminder_opens_todays_session(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    assert (await webapp.call("GET", "/api/session", ana.id)).status == 200
    assert (await session_row(db, ana.id)).status == "sent"  # as /today: no second reminder


async def test_this_hurts_swaps_the_easier_form_as_the_chat_button_does(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    content = webapp.bot.app.bot_data["deps"].content  # type: ignore[union-attr]
    session = (await webapp.call("GET", "/api/session", ana.id)).body
    hurting = next(e for e in session["exercises"] if content.exercises[e["id"]].easier)
    body = {"day": session["day"], "step": hurting["step"]}
    eased = await webapp.call("POST", "/api/session/ease", ana.id, body)
    assert eased.status == 200, eased.body
    assert eased.body["id"] == content.exercises[hurting["id"]].easier
    assert eased.body["eased"] is True and eased.body["step"] == hurting["step"]
    again = (await webapp.call("GET", "/api/session", ana.id)).body
    assert again["exercises"][hurting["step"]]["id"] == eased.body["id"]
    # The chat's /levels shows the easier form too: one state for both.
    await step(ana, "/levels", "easier form", tap=False)
    for _ in range(5):  # down the ladder to the gentlest form
        last = await webapp.call("POST", "/api/session/ease", ana.id, body)
        if last.status != 200:
            break
    assert (last.status, last.body) == (409, {"error": "gentlest"})


async def test_this_hurts_on_a_day_long_past_is_refused(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    body = {"day": "2026-11-01", "step": 0}
    response = await webapp.call("POST", "/api/session/ease", ana.id, body)
    assert (response.status, response.body) == (409, {"error": "expired"})


async def test_finish_checks_the_day_in_and_edits_the_chats_card(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    body = {"day": "2026-11-21", "outcome": "done", "pain_before": 3, "pain_after": 2}
    finished = await webapp.call("POST", "/api/session/finish", ana.id, body)
    assert finished.status == 200, finished.body
    assert finished.body["status"] == "done" and finished.body["streak"] == 1
    assert finished.body["changed"] is True
    row = await session_row(db, ana.id)
    assert (row.status, row.pain_before, row.pain) == ("done", 3, 2)
    edits = [
        c
        for c in webapp.telegram.calls
        if c.method == "editMessageText" and str(c.params["message_id"]) == str(card.message_id)
    ]
    assert len(edits) == 1
    assert "Streak: 1 day" in card.plain_text or "1 day" in card.plain_text
    assert card.buttons() == []  # nothing left to tap on a day checked in
    assert SESSION in card.plain_text  # the card keeps its exercises and safety notes
    # Finishing twice changes nothing.
    again = await webapp.call("POST", "/api/session/finish", ana.id, body)
    assert again.body["changed"] is False


async def test_partly_done_from_the_page_is_partly_done_in_the_chat(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    body = {"day": "2026-11-21", "outcome": "partly", "pain_before": None, "pain_after": None}
    finished = await webapp.call("POST", "/api/session/finish", ana.id, body)
    assert finished.body["status"] == "partly"
    assert (await session_row(db, ana.id)).status == "partly"
    assert "Partly" in card.plain_text or "partly" in card.plain_text


@pytest.mark.parametrize(
    "body",
    [
        {"day": "2026-11-21", "outcome": "maybe"},
        {"day": "yesterday", "outcome": "done"},
        {"day": "2026-11-21", "outcome": "done", "pain_after": 11},
        {"day": "2026-11-21", "outcome": "done", "pain_before": "3"},
        [1, 2],
    ],
)
async def test_a_bad_finish_is_a_400_and_changes_nothing(webapp: WebApp, db, body):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    response = await webapp.call("POST", "/api/session/finish", ana.id, body)
    assert response.status == 400 and response.body["error"]
    assert (await session_row(db, ana.id)).status == "sent"


# ---------------------------------------------------------------------------- progress


async def test_progress_shows_the_streak_calendar_pain_and_levels(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    body = {"day": "2026-11-21", "outcome": "done", "pain_before": 4, "pain_after": 3}
    await webapp.call("POST", "/api/session/finish", ana.id, body)
    progress = (await webapp.call("GET", "/api/progress", ana.id)).body
    assert (progress["streak"], progress["best_streak"], progress["done_this_week"]) == (1, 1, 1)
    assert progress["completion_rate"] == 1.0
    calendar = {d["day"]: d["status"] for d in progress["calendar"]}
    assert len(calendar) == 28
    assert calendar["2026-11-21"] == "done"
    assert calendar["2026-11-22"] == "future"
    assert calendar["2026-11-20"] == "rest"  # before the first session
    assert progress["pain"] == [{"day": "2026-11-21", "before": 4, "after": 3}]
    assert progress["levels"] and all(
        1 <= lv["level"] <= lv["max_level"] for lv in progress["levels"]
    )
    assert progress["next_check"] == "2026-12-04"  # two weeks after the day before the first


async def test_a_missed_day_and_a_skipped_day_show_in_the_calendar(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    await step(ana, "Skip today", "today is skipped")
    assert card.buttons() == []
    webapp.clock.advance(timedelta(days=2))  # Monday: Sunday's session was never done
    calendar = {
        d["day"]: d["status"]
        for d in (await webapp.call("GET", "/api/progress", ana.id)).body["calendar"]
    }
    assert calendar["2026-11-21"] == "skipped"
    assert calendar["2026-11-22"] == "missed"
    assert calendar["2026-11-23"] == "today"


# ---------------------------------------------------------------------------- settings


async def test_settings_show_the_schedule_and_the_next_reminder(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    settings = (await webapp.call("GET", "/api/settings", ana.id)).body
    assert settings == {
        "time": "07:30",
        "zone": "Europe/Berlin",
        "days": [0, 1, 2, 3, 4, 5, 6],
        "summary_day": 6,
        "paused_until": None,
        "next_reminder": "2026-11-21T07:30:00+01:00",
        "standing": "active",
    }


async def test_a_new_time_moves_the_next_reminder(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    changed = await webapp.call("POST", "/api/settings", ana.id, {"time": "18:15"})
    assert changed.status == 200, changed.body
    assert changed.body["time"] == "18:15"
    assert changed.body["next_reminder"] == "2026-11-21T18:15:00+01:00"
    row = await user_row(db, ana.id)
    assert row is not None and row.next_due_at == datetime(2026, 11, 21, 17, 15, tzinfo=UTC)
    # And the chat agrees: the reminder comes at the new time, not the old one.
    webapp.clock.advance(timedelta(hours=2))
    assert await webapp.bot.tick() == 0
    webapp.clock.advance(timedelta(hours=10, minutes=15))
    await ana.wait_for_text(SESSION)


async def test_zone_days_summary_pause_and_resume(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    call = webapp.call
    zone = (await call("POST", "/api/settings", ana.id, {"zone": "America/New_York"})).body
    assert zone["zone"] == "America/New_York"
    assert zone["next_reminder"] == "2026-11-21T07:30:00-05:00"
    days = (await call("POST", "/api/settings", ana.id, {"days": [0, 2, 4]})).body
    assert days["days"] == [0, 2, 4]
    assert days["next_reminder"] == "2026-11-23T07:30:00-05:00"  # Monday
    summary = (await call("POST", "/api/settings", ana.id, {"summary_day": None})).body
    assert summary["summary_day"] is None
    # As /pause 2 in the chat: two days from the next session day (Monday) are paused.
    paused = (await call("POST", "/api/settings", ana.id, {"pause_days": 2})).body
    assert (paused["standing"], paused["paused_until"]) == ("paused", "2026-11-25")
    assert paused["next_reminder"] == "2026-11-25T07:30:00-05:00"  # Wednesday
    resumed = (await call("POST", "/api/settings", ana.id, {"resume": True})).body
    assert (resumed["standing"], resumed["paused_until"]) == ("active", None)
    assert resumed["next_reminder"] == "2026-11-23T07:30:00-05:00"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"time": "25:00"}, "like 07:30"),
        ({"zone": "Mars/Olympus"}, "time zone"),
        ({"days": []}, "at least one day"),
        ({"days": [7]}, "at least one day"),
        ({"pause_days": 0}, "1 to 90"),
        ({"time": "08:00", "zone": "Nowhere"}, "time zone"),  # one bad field: nothing changes
    ],
)
async def test_bad_settings_are_a_400_in_words_and_change_nothing(webapp: WebApp, body, words):
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    before = (await webapp.call("GET", "/api/settings", ana.id)).body
    response = await webapp.call("POST", "/api/settings", ana.id, body)
    assert response.status == 400 and words in response.body["error"]
    assert (await webapp.call("GET", "/api/settings", ana.id)).body == before


# ---------------------------------------------------------------------------- demo, page


async def test_an_exercises_animation_is_a_gif_and_an_unknown_one_a_404(webapp: WebApp):
    content = webapp.bot.app.bot_data["deps"].content  # type: ignore[union-attr]
    exercise_id = next(iter(content.demos))
    gif = await webapp.call("GET", f"/api/demo/{exercise_id}.gif")
    assert (gif.status, gif.content_type) == (200, "image/gif")
    assert gif.body.startswith(b"GIF8")
    missing = await webapp.call("GET", "/api/demo/no-such-exercise.gif")
    assert missing.status == 404
    # The exercise's name is drawn in: a Spanish page gets the Spanish animation.
    spanish = await webapp.call("GET", f"/api/demo/{exercise_id}.gif?lang=es")
    assert spanish.status == 200 and spanish.body.startswith(b"GIF8")
    assert spanish.body != gif.body


async def test_the_page_is_served_at_app(webapp: WebApp):
    page = await webapp.call("GET", "/app/")
    assert page.status in (200, 404)  # 404 only while bot/web/static/index.html is missing
    if page.status == 200:
        assert page.content_type == "text/html"


# ---------------------------------------------------------------------------- who may do what


async def test_a_user_without_a_routine_is_told_to_set_up_first(webapp: WebApp):
    eve = webapp.telegram.user(2002, "Eve")
    for path in ("/api/session", "/api/progress", "/api/settings"):
        response = await webapp.call("GET", path, eve.id)
        assert (response.status, response.body) == (409, {"error": "needs_setup"}), path


async def test_expired_forged_and_foreign_launch_data_touch_nothing(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    finish = {"day": "2026-11-21", "outcome": "done", "user_id": ana.id, "user": {"id": ana.id}}
    old = webapp.init_data(ana.id, webapp.clock() - timedelta(hours=25))
    forged = webapp.init_data(2002).replace("2002", str(ana.id))
    other_bot = sign_init_data(ana.id, "999:OTHER", webapp.clock())
    for data in (old, forged, other_bot, "", "tma"):
        response = await webapp.call("POST", "/api/session/finish", body=finish, init_data=data)
        assert (response.status, response.body) == (401, {"error": "unauthorized"})
    # Eve's valid launch cannot act for Ana, whatever the body says: she is herself only.
    eve = webapp.telegram.user(2002, "Eve")
    response = await webapp.call("POST", "/api/session/finish", eve.id, finish)
    assert (response.status, response.body) == (409, {"error": "needs_setup"})
    assert (await session_row(db, ana.id)).status == "sent"
    assert card.edits == 0 and card.buttons()


async def test_a_runaway_page_is_slowed_down_per_user(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    eve = webapp.telegram.user(2002, "Eve")
    statuses = [(await webapp.call("GET", "/api/texts", ana.id)).status for _ in range(25)]
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429] * 5
    slowed = await webapp.call("GET", "/api/texts", ana.id)
    assert slowed.body == {"error": "slow down"}
    assert (await webapp.call("GET", "/api/texts", eve.id)).status == 200
    webapp.clock.advance(timedelta(seconds=1))  # the bucket refills with the bot's clock
    assert (await webapp.call("GET", "/api/texts", ana.id)).status == 200


# ---------------------------------------------------------------------------- the chat's side


async def test_the_menu_button_and_the_cards_guided_button_open_the_mini_app(webapp: WebApp):
    assert webapp.telegram.menu_buttons[None] == {
        "type": "web_app",
        "text": "Hip Check",
        "web_app": {"url": WEBAPP_URL},
    }
    ana = webapp.telegram.user(1001, "Ana")
    card = await due_session(webapp, ana)
    rows = card.reply_markup["inline_keyboard"] if card.reply_markup else []
    buttons = [b for row in rows for b in row]
    assert len(buttons) <= 8
    opener = next(b for b in buttons if "web_app" in b)
    assert opener["text"] == "▶ Open guided session"
    assert opener["web_app"]["url"] == WEBAPP_URL + "?view=guided"


async def test_without_webapp_url_there_is_no_menu_button_and_no_server(bot, telegram, ana):
    assert telegram.menu_buttons == {}
    assert not [c for c in telegram.calls if c.method == "setChatMenuButton"]
    assert "web-runner" not in bot.app.bot_data


async def test_a_failing_menu_button_is_only_a_warning(settings, telegram, clock, caplog):
    telegram.fail("setChatMenuButton", status=400, description="Bad Request: no")
    port = free_port()
    running = RunningBot(
        settings.model_copy(update={"webapp_url": WEBAPP_URL, "webapp_port": port}), clock
    )
    await running.start()
    try:
        await wait_for_port(port, timeout=10)
    finally:
        await running.stop()
    assert "could not set the Mini App menu button" in caplog.text


async def test_a_failure_inside_the_server_is_a_plain_500_and_logged(
    webapp: WebApp, monkeypatch, caplog
):
    from bot.usecases import webapp as usecase

    async def broken(*_args: object) -> None:
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(usecase, "progress_page", broken)
    ana = webapp.telegram.user(1001, "Ana")
    response = await webapp.call("GET", "/api/progress", ana.id)
    assert (response.status, response.body) == (500, {"error": "server"})
    assert "Mini App request GET /api/progress of user 1001 failed" in caplog.text


async def test_an_oversized_body_is_refused_before_it_is_read(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    response = await webapp.call("POST", "/api/settings", ana.id, {"zone": "x" * 100_000})
    assert response.status == 413


async def test_one_users_launch_never_reaches_another_users_data(webapp: WebApp, db):
    ana = webapp.telegram.user(1001, "Ana")
    bob = webapp.telegram.user(1002, "Bob")
    await onboard(ana)
    await onboard(bob)
    webapp.clock.advance(timedelta(hours=1, minutes=30))
    ana_card = await ana.wait_for_text(SESSION)
    await bob.wait_for_text(SESSION)
    await recorded_as_sent(webapp, ana.id)
    await recorded_as_sent(webapp, bob.id)
    # Bob names Ana everywhere a request could: the query, the body. He acts for himself only.
    body = {"day": "2026-11-21", "outcome": "done", "pain_after": 9, "user_id": ana.id}
    finished = await webapp.call("POST", f"/api/session/finish?user_id={ana.id}", bob.id, body)
    assert finished.status == 200
    await webapp.call("POST", "/api/settings", bob.id, {"time": "20:00", "user_id": ana.id})
    ana_row, bob_row = await session_row(db, ana.id), await session_row(db, bob.id)
    assert (ana_row.status, ana_row.pain) == ("sent", None)
    assert (bob_row.status, bob_row.pain) == ("done", 9)
    assert ana_card.edits == 0 and ana_card.buttons()
    ana_settings = (await webapp.call("GET", "/api/settings", ana.id)).body
    assert ana_settings["time"] == "07:30"


async def test_a_high_pain_in_the_page_gets_the_chats_advice_in_both_places(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    seen = len(ana.messages)
    body = {"day": "2026-11-21", "outcome": "done", "pain_before": 8, "pain_after": 8}
    finished = await webapp.call("POST", "/api/session/finish", ana.id, body)
    advice = finished.body["advice"]
    assert len(advice) == 2 and all("<" not in text for text in advice)
    assert "8/10" in advice[0] and "8/10" in advice[1]
    told = await ana.wait_for_text("8/10", after=seen)
    assert told.plain_text == "\n\n".join(advice)  # the chat says what the page says
    assert [label for label, _ in told.buttons()] == ["📝 Add a note"]


async def test_a_finish_without_ratings_sends_nothing_new_to_the_chat(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    await due_session(webapp, ana)
    seen = len(ana.messages)
    body = {"day": "2026-11-21", "outcome": "done"}
    finished = await webapp.call("POST", "/api/session/finish", ana.id, body)
    assert finished.body["advice"] == []
    assert len(ana.messages) == seen
