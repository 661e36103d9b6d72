"""End to end in a browser: the Mini App page against the real bot, API and database.

Chromium opens the page as Telegram would (signed launch data in the hash, the stub of
telegram-web-app.js recording calls); the page's clock is the test's, so a 30 s hold takes no
time. What the page does must show in the database and in the chat.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.webpage import DARK_THEME, route_telegram
from bot.storage.db import Database
from tests.conftest import SESSION, onboard, sessions_of
from tests.fake_telegram import FakeUser
from tests.webapp_support import WebApp, webapp_fixture  # noqa: F401
from tests.webpage_support import (  # noqa: F401
    browser_fixture,
    main_text,
    phone,
    press_main,
    telegram_calls,
)


async def session_card(webapp: WebApp, ana: FakeUser) -> Any:
    """Onboard Ana (07:30 Berlin) and wait for today's session card in the chat."""
    await onboard(ana)
    webapp.clock.advance(timedelta(hours=1, minutes=30))
    await ana.wait_for_text(SESSION)
    return next(m for m in reversed(ana.messages) if SESSION in m.text)


async def open_view(
    browser: Any,
    webapp: WebApp,
    user_id: int,
    view: str,
    *,
    zone: str = "Europe/Berlin",
    theme: dict[str, str] | None = None,
) -> Any:
    page = await phone(browser, zone=zone)
    await route_telegram(page)
    await page.clock.install()
    url = webapp.page_url(user_id, view)
    if theme is not None:
        from json import dumps
        from urllib.parse import quote

        url += f"&tgWebAppThemeParams={quote(dumps(theme), safe='')}"
    await page.goto(url)
    await page.wait_for_selector(f"body[data-ready='{view}']")
    return page


async def do_the_exercise(page: Any) -> None:
    """Every hold counted down (the test moves the page's clock), or every set tapped."""
    while await page.locator("#timer-toggle").count():
        seconds = int(await page.text_content("#countdown") or "0")
        await page.click("#timer-toggle")
        await page.clock.run_for(seconds * 1000 + 300)
    while await page.locator("[data-set]:not([disabled])").count():
        await page.click("[data-set]:not([disabled])")


async def test_a_guided_session_in_the_page_records_done_and_updates_the_chat_card(
    browser: Any, webapp: WebApp, db: Database
) -> None:
    ana = webapp.telegram.user(1001, "Ana")
    card = await session_card(webapp, ana)
    edits_before = card.edits
    page = await open_view(browser, webapp, ana.id, "guided")
    await page.fill("#pain-before", "3")
    await page.dispatch_event("#pain-before", "input")
    await press_main(page)
    total = int((await page.text_content("#step") or "").split()[-1])
    for number in range(1, total + 1):
        assert await page.text_content("#step") == f"Exercise {number} of {total}"
        await do_the_exercise(page)
        await press_main(page)
    await page.fill("#pain-after", "1")
    await page.dispatch_event("#pain-after", "input")
    texts = (await webapp.call("GET", "/api/texts", ana.id)).body["texts"]
    assert await main_text(page) == texts["finish"]  # everything done: not "partly"
    await press_main(page)
    await page.wait_for_selector("#finished")
    assert await page.get_attribute("#finished", "data-status") == "done"

    [session] = await sessions_of(db, ana.chat_id)
    assert session.status == "done"
    await webapp.telegram.wait_until(
        lambda: card if card.edits > edits_before else None,
        timeout=10,
        describe=lambda: f"the session card was not edited: {card.describe()}",
    )
    assert "✅ Done" not in [label for label, _ in card.buttons()]
    haptics = [c for c in await telegram_calls(page) if c[0].startswith("HapticFeedback")]
    assert ["HapticFeedback.notificationOccurred", "success"] in haptics


async def test_the_progress_page_shows_the_streak_after_a_session(
    browser: Any, webapp: WebApp
) -> None:
    ana = webapp.telegram.user(1001, "Ana")
    await session_card(webapp, ana)
    day = (await webapp.call("GET", "/api/session", ana.id)).body["day"]
    finish = {"day": day, "outcome": "done", "pain_before": 4, "pain_after": 2}
    assert (await webapp.call("POST", "/api/session/finish", ana.id, finish)).status == 200
    page = await open_view(browser, webapp, ana.id, "progress", theme=DARK_THEME)
    assert await page.text_content("#streak") == "1"
    assert await page.locator("#calendar .day").count() == 28
    assert await page.locator(f"#calendar .day[data-day='{day}'][data-status='done']").count() == 1
    assert await page.locator("#pain-chart circle").count() == 2  # before and after, one day
    assert (
        await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
    )


async def test_settings_in_the_page_move_the_next_reminder_take_the_zone_and_pause(
    browser: Any, webapp: WebApp
) -> None:
    ana = webapp.telegram.user(1001, "Ana")
    await onboard(ana)
    page = await open_view(browser, webapp, ana.id, "settings", zone="Europe/Lisbon")
    before = await page.text_content("#next-reminder")
    assert "07:30" in (before or "")
    await page.fill("#time", "09:15")
    await page.click("#save")
    await page.wait_for_selector("#saved")
    assert "09:15" in (await page.text_content("#next-reminder") or "")
    settings = (await webapp.call("GET", "/api/settings", ana.id)).body
    assert settings["time"] == "09:15" and "T09:15" in settings["next_reminder"]

    await page.click("#zone-use")  # the browser's zone, confirmed with one tap
    await page.wait_for_function(
        "document.querySelector('#zone-current').textContent.includes('Europe/Lisbon')"
    )
    assert (await webapp.call("GET", "/api/settings", ana.id)).body["zone"] == "Europe/Lisbon"

    await page.click("#pause-3")
    await page.wait_for_selector("#resume")
    assert (await webapp.call("GET", "/api/settings", ana.id)).body["paused_until"] is not None
    await page.click("#resume")
    await page.wait_for_selector("#pause-3")
    assert (await webapp.call("GET", "/api/settings", ana.id)).body["paused_until"] is None


async def test_this_hurts_in_the_page_swaps_the_exercise_as_the_chat_button_does(
    browser: Any, webapp: WebApp
) -> None:
    ana = webapp.telegram.user(1001, "Ana")
    await session_card(webapp, ana)
    page = await open_view(browser, webapp, ana.id, "guided")
    await press_main(page)
    await press_main(page)
    before = await page.text_content("#exercise-name")
    assert before == "Three-way hip-flexor release"
    await page.click("#hurts")
    await page.wait_for_selector("#notice")
    texts = (await webapp.call("GET", "/api/texts", ana.id)).body["texts"]
    assert await page.text_content("#notice") == texts["eased"]
    after = await page.text_content("#exercise-name")
    assert after != before
    session = (await webapp.call("GET", "/api/session", ana.id)).body
    assert session["exercises"][1]["name"] == after and session["exercises"][1]["eased"]


async def test_a_high_pain_after_in_the_page_shows_the_advice_the_chat_gives(
    browser: Any, webapp: WebApp, db: Database
) -> None:
    ana = webapp.telegram.user(1001, "Ana")
    await session_card(webapp, ana)
    page = await open_view(browser, webapp, ana.id, "guided")
    total = len((await webapp.call("GET", "/api/session", ana.id)).body["exercises"])
    for _ in range(total + 1):
        await press_main(page)
    await page.fill("#pain-after", "8")
    await page.dispatch_event("#pain-after", "input")
    await press_main(page)
    await page.wait_for_selector("#finished")
    assert await page.get_attribute("#finished", "data-status") == "partly"
    advice = await page.locator(".advice").all_text_contents()
    assert advice, "no advice shown for a pain of 8"
    [session] = await sessions_of(db, ana.chat_id)
    assert (session.status, session.pain) == ("partly", 8)
