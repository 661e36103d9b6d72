"""The Mini App's JSON API, driven over HTTP against the real bot (see tests/webapp_support.py):
every endpoint, the launch-data checks, and that the page and the chat share one state."""

from __future__ import annotations

from tests.conftest import SESSION, onboard
from tests.webapp_support import WebApp, webapp  # noqa: F401


async def test_the_page_words_come_from_the_content_files(webapp: WebApp):
    ana = webapp.telegram.user(1001, "Ana")
    response = await webapp.call("GET", "/api/texts", ana.id)
    assert response.status == 200
    texts = response.body["texts"]
    assert texts["hurts"] == "This hurts"
    assert texts["day_0"] == "Mon"


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
