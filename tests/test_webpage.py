"""The Mini App page on its own: Chromium against a sample API served from Playwright routes.

These pin what the page does (what it sends, what it shows, what it asks of Telegram) without a
server; tests/test_webpage_e2e.py drives the same page against the real bot and API.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from bench.webpage import (
    DARK_THEME,
    ORIGIN,
    STATIC,
    launch_url,
    page_bytes,
    route_sample_app,
    route_telegram,
    sample_data,
    webapp_texts,
)
from tests.webpage_support import (  # noqa: F401
    browser_fixture,
    main_text,
    phone,
    press_main,
    telegram_calls,
)

# An AudioContext that counts the tones started instead of playing them.
BEEP_RECORDER = """
window.__tones = 0;
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createGain() { return { gain: {}, connect: (n) => n }; }
  createOscillator() {
    return { frequency: {}, connect: (n) => n, start: () => { window.__tones += 1; }, stop() {} };
  }
};
"""

INIT = "query_id=AA1&user=%7B%22id%22%3A42%7D&auth_date=1700000000&hash=abc"


async def open_page(
    browser: Any,
    view: str,
    *,
    telegram: bool = True,
    dark: bool = False,
    theme: dict[str, str] | None = None,
    zone: str = "Europe/London",
    init_script: str | None = None,
    width: int | None = None,
) -> tuple[Any, list[dict[str, Any]]]:
    """The page on the sample API, with the clock under the test's control; returns the page
    and the list of (path, authorization, body) of every POST it makes."""
    page = await phone(browser, dark=dark, zone=zone)
    if init_script:
        await page.add_init_script(init_script)
    if width:
        await page.set_viewport_size({"width": width, "height": 780})
    posts: list[dict[str, Any]] = []
    data = sample_data(date(2026, 11, 30))
    await route_telegram(page, available=telegram)
    await route_sample_app(page, data)

    async def session_posts(route: Any) -> None:
        request = route.request
        if request.method != "POST":
            await route.fallback()
            return
        body = request.post_data_json
        posts.append(
            {
                "path": request.url.removeprefix(ORIGIN),
                "auth": request.headers.get("authorization"),
                "body": body,
            }
        )
        if request.url.endswith("/ease"):
            eased = dict(data["session"]["exercises"][body["step"]])
            eased.update(
                name="Small bridge",
                eased=True,
                id="small-bridge",
                demo="/api/demo/small-bridge.gif",
            )
            answer: dict[str, Any] = eased
        elif request.url.endswith("/finish"):
            advice = ["Pain of 7 or more: ease off, and check with a clinician."]
            high = (body["pain_after"] or 0) >= 7
            answer = {"status": body["outcome"], "streak": 5, "advice": advice if high else []}
        else:
            data["settings"].update(body)
            data["settings"]["next_reminder"] = f"2026-12-02T{data['settings']['time']}:00+00:00"
            answer = data["settings"]
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(answer))

    await page.route(f"{ORIGIN}/api/session/*", session_posts)
    await page.route(f"{ORIGIN}/api/settings", session_posts)
    await page.clock.install()
    await page.goto(launch_url(ORIGIN, INIT, view, theme))
    await page.wait_for_selector(f"body[data-ready='{view}']")
    return page, posts


async def hold(page: Any, seconds: int) -> None:
    """Start the current hold and let its time pass on the page's clock."""
    await page.click("#timer-toggle")
    await page.clock.run_for(seconds * 1000 + 500)


async def test_a_whole_guided_session_counts_down_each_hold_and_finishes_as_done(
    browser: Any,
) -> None:
    page, posts = await open_page(browser, "guided")
    texts = webapp_texts()
    assert await main_text(page) == texts["next"]
    await page.fill("#pain-before", "4")
    await page.dispatch_event("#pain-before", "input")
    assert await page.text_content("#pain-before-value") == "4"
    await press_main(page)

    assert await page.text_content("#step") == "Exercise 1 of 2"
    assert await page.text_content("#countdown") == "30"
    await page.click("#timer-toggle")
    await page.clock.run_for(10_000)
    assert await page.text_content("#countdown") == "20"  # a real countdown, not a jump
    await page.clock.run_for(20_500)
    assert await page.text_content("#countdown-label") == "Right side"
    await hold(page, 30)
    assert await page.locator(".holds li[data-done='1']").count() == 2

    await press_main(page)
    assert await page.text_content("#exercise-name") == "Glute bridge with a squeeze"
    await page.click("[data-set='1']")
    await page.click("[data-set='2']")
    assert await page.text_content("#sets-count") == "2 of 2 sets done"
    await press_main(page)
    assert await main_text(page) == texts["finish"]
    await page.fill("#pain-after", "2")
    await page.dispatch_event("#pain-after", "input")
    await press_main(page)
    await page.wait_for_selector("#finished")

    finish = posts[-1]
    assert finish["path"] == "/api/session/finish"
    assert finish["auth"] == f"tma {INIT}"
    assert finish["body"] == {
        "day": "2026-11-30",
        "outcome": "done",
        "pain_before": 4,
        "pain_after": 2,
    }
    assert await page.text_content("#finished") == texts["finished_done"].format(streak=5)
    calls = await telegram_calls(page)
    names = [c[0] for c in calls]
    assert ["ready"] in calls and ["expand"] in calls
    assert names.count("HapticFeedback.notificationOccurred") >= 3  # two holds and the finish
    assert ["HapticFeedback.notificationOccurred", "success"] in calls
    assert "BackButton.show" in names


async def test_finishing_with_a_hold_not_done_records_partly_done(browser: Any) -> None:
    page, posts = await open_page(browser, "guided")
    await press_main(page)
    await hold(page, 30)  # the left side only
    await press_main(page)
    await press_main(page)
    assert await main_text(page) == webapp_texts()["finish_partly"]
    await press_main(page)
    await page.wait_for_selector("#finished")
    assert posts[-1]["body"]["outcome"] == "partly"
    assert posts[-1]["body"]["pain_before"] is None  # never moved: not rated
    assert await page.locator(".advice").count() == 0


async def test_advice_for_a_high_pain_after_is_shown_with_the_result(browser: Any) -> None:
    page, _ = await open_page(browser, "guided")
    for _ in range(3):
        await press_main(page)
    await page.fill("#pain-after", "8")
    await page.dispatch_event("#pain-after", "input")
    await press_main(page)
    await page.wait_for_selector("#finished")
    advice = "Pain of 7 or more: ease off, and check with a clinician."
    assert await page.text_content(".advice") == advice


async def test_back_returns_to_the_previous_exercise_through_telegrams_back_button(
    browser: Any,
) -> None:
    page, _ = await open_page(browser, "guided")
    await press_main(page)
    await press_main(page)
    assert await page.text_content("#step") == "Exercise 2 of 2"
    await page.evaluate("window.__tgClickBack()")
    assert await page.text_content("#step") == "Exercise 1 of 2"


async def test_this_hurts_swaps_in_the_easier_form_and_says_so(browser: Any) -> None:
    page, posts = await open_page(browser, "guided")
    await press_main(page)
    await page.click("#hurts")
    await page.wait_for_selector("#notice")
    assert posts[-1]["path"] == "/api/session/ease"
    assert posts[-1]["body"] == {"day": "2026-11-30", "step": 0}
    assert await page.text_content("#exercise-name") == "Small bridge"
    assert await page.text_content("#notice") == webapp_texts()["eased"]


async def test_without_telegrams_script_the_page_uses_the_launch_hash_and_its_own_buttons(
    browser: Any,
) -> None:
    page, posts = await open_page(browser, "guided", telegram=False)
    assert await page.evaluate("typeof window.Telegram") == "undefined"
    await page.click("#page-main")
    assert await page.text_content("#step") == "Exercise 1 of 2"
    await page.click("#page-back")
    await page.click("#page-main")
    await page.click("#page-main")
    await page.click("#page-main")
    await page.click("#page-main")  # Finish
    await page.wait_for_selector("#finished")
    assert posts[-1]["auth"] == f"tma {INIT}"


async def test_the_progress_view_shows_streaks_four_weeks_and_the_pain_trend(browser: Any) -> None:
    page, _ = await open_page(browser, "progress")
    assert await page.text_content("#streak") == "4"
    assert await page.text_content("#best-streak") == "9"
    assert await page.text_content("#completion") == "82%"
    assert await page.locator("#calendar .day").count() == 28
    assert await page.locator("#calendar .day[data-status='today']").count() == 1
    assert await page.locator("#pain-chart polyline").count() == 2
    assert await page.locator("#levels li").count() == 3
    check = webapp_texts()["next_check"].format(date="Sat 5 Dec")
    assert await page.text_content("#next-check") == check


async def test_settings_offer_the_browsers_zone_and_save_the_chosen_days(browser: Any) -> None:
    page, posts = await open_page(browser, "settings", zone="America/New_York")
    assert await page.text_content("#zone-use") == "Use America/New_York"
    await page.click("#zone-use")
    await page.wait_for_selector("#saved")
    assert posts[-1]["body"] == {"zone": "America/New_York"}
    before = await page.text_content("#next-reminder")
    await page.click("[data-day='5']")
    await page.fill("#time", "07:30")
    await page.click("#save")
    await page.wait_for_selector("#saved")
    assert posts[-1]["body"] == {"time": "07:30", "days": [0, 1, 2, 3, 4, 5], "summary_day": 6}
    after = await page.text_content("#next-reminder")
    assert after != before
    assert after == "Next reminder: Wed 2 Dec, 02:30"  # 07:30 UTC shown in New York time


async def test_telegrams_dark_theme_colours_the_page(browser: Any) -> None:
    page, _ = await open_page(browser, "progress", theme=DARK_THEME)
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"
    assert await page.evaluate("document.documentElement.dataset.scheme") == "dark"


async def test_a_dark_browser_without_telegram_gets_the_dark_fallback(browser: Any) -> None:
    page, _ = await open_page(browser, "settings", telegram=False, dark=True)
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"
    light, _ = await open_page(browser, "settings", telegram=False)
    assert (
        await light.evaluate("getComputedStyle(document.body).backgroundColor")
        == "rgb(255, 255, 255)"
    )


async def test_every_tap_target_is_at_least_44_pixels(browser: Any) -> None:
    # A checkbox counts with its label: tapping the words ticks it.
    for view in ("guided", "progress", "settings"):
        page, _ = await open_page(browser, view, telegram=False)
        if view == "guided":
            await page.click("#page-main")
        small = await page.evaluate(
            """[...document.querySelectorAll('button, input, select')]
                 .filter((e) => e.offsetParent !== null)
                 .map((e) => [e.id || e.textContent, (e.closest('label') || e)])
                 .map(([name, e]) => [name, e.getBoundingClientRect()])
                 .filter(([, r]) => r.height < 44 || (r.width < 44 && r.width > 0))
                 .map(([name, r]) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`)"""
        )
        assert small == [], view


def test_the_page_weighs_under_150_kb() -> None:
    assert page_bytes() < 150 * 1024


def test_every_word_the_page_asks_for_is_in_the_webapp_texts() -> None:
    texts = webapp_texts()
    script = "\n".join(p.read_text(encoding="utf-8") for p in STATIC.glob("*.js"))
    keys = set(re.findall(r"\bt\('([a-z_0-9]+)'", script))
    prefixes = set(re.findall(r"\bt\(`([a-z_]+)\$\{", script))
    assert keys, "no t('…') calls found"
    assert sorted(keys - texts.keys()) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in texts), prefix
    for status in ("done", "partly", "skipped", "missed", "rest", "future", "today"):
        assert f"status_{status}" in texts
    assert all(f"day_{d}" in texts for d in range(7))


async def test_the_beep_is_off_by_default_and_sounds_when_a_hold_ends_once_ticked(
    browser: Any,
) -> None:
    page, _ = await open_page(browser, "guided", init_script=BEEP_RECORDER)
    await press_main(page)
    assert not await page.is_checked("#beep")
    await hold(page, 30)
    assert await page.evaluate("window.__tones") == 0
    await page.check("#beep")
    await hold(page, 30)
    assert await page.evaluate("window.__tones") == 1
    assert await page.evaluate("localStorage.getItem('hipcheck.beep')") == "1"


async def test_launch_data_the_server_refuses_shows_the_words_for_it(browser: Any) -> None:
    page = await phone(browser)
    await route_telegram(page)
    await route_sample_app(page, sample_data(date(2026, 11, 30)))

    async def refuse(route: Any) -> None:
        await route.fulfill(
            status=401, content_type="application/json", body='{"error": "unauthorized"}'
        )

    await page.route(f"{ORIGIN}/api/progress", refuse)
    await page.goto(launch_url(ORIGIN, INIT, "progress"))
    await page.wait_for_selector("body[data-ready='progress']")
    assert await page.text_content("[role=alert]") == webapp_texts()["unauthorized"]
    calls = await telegram_calls(page)
    assert ["HapticFeedback.notificationOccurred", "error"] in calls


async def test_without_the_texts_the_page_says_only_that_it_could_not_load(browser: Any) -> None:
    page = await phone(browser)
    await route_telegram(page, available=False)
    await route_sample_app(page, sample_data(date(2026, 11, 30)))

    async def fail(route: Any) -> None:
        await route.fulfill(status=500, body="")

    await page.route(f"{ORIGIN}/api/texts", fail)
    await page.goto(launch_url(ORIGIN, INIT, "settings"))
    await page.wait_for_selector("body[data-ready='error']")
    assert await page.text_content("[role=alert]") == "Could not load. Please try again."
    assert await page.is_hidden("#tabs")


async def test_nothing_is_wider_than_a_360_pixel_phone(browser: Any) -> None:
    for view in ("guided", "progress", "settings"):
        page, _ = await open_page(browser, view, telegram=False, width=360)
        if view == "guided":
            await page.click("#page-main")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360, view
