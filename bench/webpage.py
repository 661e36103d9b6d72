"""The Mini App page in headless Chromium: its weight, its time to interactive, and screenshots.

`python -m bench.webpage` prints `webapp_page_kb` and `webapp_tti_ms`;
`python -m bench.webpage --screenshots docs/` renders each view, light and dark, at phone size
into docs/webapp-<view>-<scheme>.png. Both serve the static files and a sample API from
Playwright routes (no server, no network); the browser tests reuse the Telegram stub below.
Chromium is Debian's (/usr/bin/chromium), never Playwright's download.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import mimetypes
import os
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

STATIC = Path(__file__).resolve().parent.parent / "bot" / "web" / "static"
# Debian's package; HIPCHECK_CHROMIUM points elsewhere (or nowhere, to see the tests skip).
CHROMIUM = os.environ.get("HIPCHECK_CHROMIUM", "/usr/bin/chromium")
TELEGRAM_JS = "https://telegram.org/js/telegram-web-app.js"
PHONE = {"width": 390, "height": 844}
ORIGIN = "http://hipcheck.test"

# Telegram's colours for its own dark theme (as a client passes them in themeParams).
DARK_THEME = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
    "destructive_text_color": "#ec3942",
}
LIGHT_THEME = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#999999",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#efeff3",
    "destructive_text_color": "#e53935",
}

# A stand-in for telegram-web-app.js that reads the launch hash as the real one does and records
# every call into window.__tgCalls; `__tgClickMain()` / `__tgClickBack()` press the buttons.
TELEGRAM_STUB = """
(() => {
  const hash = new URLSearchParams(location.hash.slice(1));
  const calls = [];
  const record = (name) => (...args) => { calls.push([name, ...args]); };
  const handlers = { main: [], back: [] };
  let theme = {};
  try { theme = JSON.parse(hash.get('tgWebAppThemeParams') || '{}'); } catch (e) { theme = {}; }
  const dark = theme.bg_color ? parseInt(theme.bg_color.slice(1, 3), 16) < 128 : false;
  const button = (name, list) => ({
    text: '', isVisible: false,
    setText(text) { this.text = text; calls.push([name + '.setText', text]); return this; },
    show() { this.isVisible = true; calls.push([name + '.show']); return this; },
    hide() { this.isVisible = false; calls.push([name + '.hide']); return this; },
    onClick(f) { list.push(f); calls.push([name + '.onClick']); return this; },
    offClick(f) { const i = list.indexOf(f); if (i >= 0) list.splice(i, 1); return this; },
    enable() { return this; }, disable() { return this; },
  });
  const WebApp = {
    initData: hash.get('tgWebAppData') || '',
    platform: hash.get('tgWebAppPlatform') || 'android',
    version: '7.10',
    colorScheme: dark ? 'dark' : 'light',
    themeParams: theme,
    ready: record('ready'),
    expand: record('expand'),
    onEvent: record('onEvent'),
    MainButton: button('MainButton', handlers.main),
    BackButton: button('BackButton', handlers.back),
    HapticFeedback: {
      impactOccurred: record('HapticFeedback.impactOccurred'),
      notificationOccurred: record('HapticFeedback.notificationOccurred'),
      selectionChanged: record('HapticFeedback.selectionChanged'),
    },
  };
  window.Telegram = { WebApp };
  window.__tgCalls = calls;
  const press = (button, list) => { if (button.isVisible) list.forEach((f) => f()); };
  window.__tgClickMain = () => press(WebApp.MainButton, handlers.main);
  window.__tgClickBack = () => press(WebApp.BackButton, handlers.back);
})();
"""


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    if not Path(CHROMIUM).exists():
        return f"Debian chromium is missing at {CHROMIUM} (apt-get install -y chromium)"
    return None


def launch_url(base: str, init_data: str, view: str, theme: dict[str, str] | None = None) -> str:
    """The page's address as Telegram opens it: the launch data and theme in the hash."""
    fragment = f"tgWebAppData={quote(init_data, safe='')}&tgWebAppPlatform=android"
    if theme is not None:
        fragment += f"&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}"
    return f"{base}/app/?view={view}#{fragment}"


async def route_telegram(page: Any, *, available: bool = True) -> None:
    """Serve the stub for telegram-web-app.js (or fail it, as a plain browser offline would)."""

    async def handle(route: Any) -> None:
        if available:
            await route.fulfill(status=200, content_type="text/javascript", body=TELEGRAM_STUB)
        else:
            await route.abort()

    await page.route(TELEGRAM_JS, handle)


def page_files() -> list[Path]:
    return sorted(p for p in STATIC.iterdir() if p.suffix in {".html", ".css", ".js"})


def page_bytes() -> int:
    """HTML+CSS+JS of the page, without the demonstrations."""
    return sum(p.stat().st_size for p in page_files())


def webapp_texts() -> dict[str, str]:
    """What GET /api/texts answers."""
    from bot.content import load_content
    from bot.web.views import texts_json

    return texts_json(load_content())


def sample_data(today: date) -> dict[str, Any]:
    """A user four weeks in, for screenshots and timing: what the real API answers."""
    statuses = ["done", "done", "partly", "done", "rest", "done", "missed"]
    calendar = [
        {"day": (today - timedelta(days=27 - i)).isoformat(), "status": statuses[i % 7]}
        for i in range(27)
    ]
    calendar.append({"day": today.isoformat(), "status": "today"})
    pain = [
        {
            "day": (today - timedelta(days=27 - i)).isoformat(),
            "before": max(1, 6 - i // 6),
            "after": max(0, 5 - i // 5),
        }
        for i in range(0, 28, 3)
    ]

    def exercise(
        step: int,
        ident: str,
        name: str,
        dose: str,
        kind: str,
        sets: int,
        timers: list[dict[str, Any]],
        cues: list[str],
    ) -> dict[str, Any]:
        return {
            "step": step,
            "id": ident,
            "name": name,
            "dose": dose,
            "cues": cues,
            "kind": kind,
            "sets": sets,
            "timers": timers,
            "demo": f"/api/demo/{ident}.gif",
            "eased": False,
        }

    session = {
        "day": today.isoformat(),
        "status": "sent",
        "routine": {"id": "hip-knee", "name": "Hips for the knees"},
        "minutes": "10–14",
        "doctor_note": "This is general exercise guidance, not a diagnosis. "
        "If you are under a clinician's care, follow their advice first.",
        "stop_cue": "Stop if the pain goes above 5 out of 10 or feels sharp.",
        "pain_before": None,
        "exercises": [
            exercise(
                0,
                "hip-flexor-release",
                "Three-way hip-flexor release",
                "30 s each side",
                "hold",
                1,
                [{"label": "Left side", "seconds": 30}, {"label": "Right side", "seconds": 30}],
                [
                    "Kneel on a cushion, back knee under the hip.",
                    "Tuck the tail and squeeze the back buttock.",
                    "Shift forward until the front of the hip stretches.",
                ],
            ),
            exercise(
                1,
                "glute-bridge",
                "Glute bridge with a squeeze",
                "2 × 10",
                "reps",
                2,
                [],
                [
                    "Feet flat, hip-width apart.",
                    "Squeeze the buttocks, then lift.",
                    "Lower slowly.",
                ],
            ),
        ],
    }
    return {
        "texts": {"texts": webapp_texts()},
        "session": session,
        "progress": {
            "streak": 4,
            "best_streak": 9,
            "completion_rate": 0.82,
            "done_this_week": 3,
            "calendar": calendar,
            "pain": pain,
            "levels": [
                {"name": "Glute bridge with a squeeze", "level": 2, "max_level": 4},
                {"name": "Side lunge", "level": 1, "max_level": 3},
                {"name": "Chair-supported single-leg stance", "level": 3, "max_level": 3},
            ],
            "next_check": (today + timedelta(days=5)).isoformat(),
        },
        "settings": {
            "time": "08:00",
            "zone": "Europe/London",
            "days": [0, 1, 2, 3, 4],
            "summary_day": 6,
            "paused_until": None,
            "next_reminder": f"{(today + timedelta(days=1)).isoformat()}T08:00:00+00:00",
        },
    }


async def route_sample_app(page: Any, data: dict[str, Any]) -> None:
    """Serve bot/web/static at ORIGIN/app/ and answer /api/* with `data` (no server needed)."""
    from bot.content import load_content
    from bot.demos import animation

    content = load_content()

    async def static(route: Any) -> None:
        name = urlsplit(route.request.url).path.removeprefix("/app/") or "index.html"
        file = STATIC / name
        if file.parent != STATIC or not file.is_file():
            await route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if file.suffix == ".js":
            kind = "text/javascript"
        await route.fulfill(status=200, content_type=kind, body=file.read_bytes())

    async def api(route: Any) -> None:
        path = urlsplit(route.request.url).path
        if path.startswith("/api/demo/"):
            ident = path.removeprefix("/api/demo/").removesuffix(".gif")
            gif = await asyncio.to_thread(
                animation, content.demos[ident], content.exercises[ident].name
            )
            await route.fulfill(status=200, content_type="image/gif", body=gif)
            return
        key = path.removeprefix("/api/").split("/")[0]
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(data[key]))

    await page.route(f"{ORIGIN}/app/**", static)
    await page.route(f"{ORIGIN}/api/**", api)


async def _browser(playwright: Any) -> Any:
    return await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


async def screenshots(folder: Path) -> list[Path]:
    """Each view, light and dark, at phone size, from the sample data."""
    from playwright.async_api import async_playwright

    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    data = sample_data(date.today())
    written: list[Path] = []
    async with async_playwright() as p:
        browser = await _browser(p)
        try:
            for scheme, theme in (("light", LIGHT_THEME), ("dark", DARK_THEME)):
                for shot in ("start", "guided", "progress", "settings"):
                    view = "guided" if shot == "start" else shot
                    context = await browser.new_context(
                        viewport=PHONE,
                        device_scale_factor=2,
                        color_scheme=scheme,
                        # Not the sample user's zone, so Settings offers it with one tap.
                        timezone_id="Europe/Berlin",
                        locale="en-GB",
                    )
                    page = await context.new_page()
                    await route_telegram(page)
                    await route_sample_app(page, data)
                    await page.goto(launch_url(ORIGIN, "user=sample", view, theme))
                    await page.wait_for_selector(f"body[data-ready='{view}']")
                    if shot == "start":  # the pain before, moved once
                        await page.fill("#pain-before", "3")
                        await page.dispatch_event("#pain-before", "input")
                        await page.evaluate("document.activeElement.blur()")
                    if shot == "guided":  # the first exercise
                        await page.evaluate("window.__tgClickMain()")
                        await page.wait_for_selector("#countdown")
                        await page.wait_for_function("document.querySelector('img.demo').complete")
                    path = folder / f"webapp-{shot}-{scheme}.png"
                    await page.screenshot(path=str(path), full_page=True)
                    written.append(path)
                    await context.close()
        finally:
            await browser.close()
    return written


async def measure(rounds: int = 5) -> dict[str, float]:
    """Page weight, and the median time from navigation to the first view being usable."""
    from playwright.async_api import async_playwright

    data = sample_data(date.today())
    times: list[float] = []
    async with async_playwright() as p:
        browser = await _browser(p)
        try:
            for _ in range(rounds):
                context = await browser.new_context(viewport=PHONE)
                page = await context.new_page()
                await route_telegram(page)
                await route_sample_app(page, data)
                await page.goto(launch_url(ORIGIN, "user=sample", "progress"))
                await page.wait_for_selector("body[data-ready='progress']")
                ready = await page.evaluate("performance.now()")
                times.append(float(ready))
                await context.close()
        finally:
            await browser.close()
    return {
        "webapp_page_kb": round(page_bytes() / 1024, 1),
        "webapp_tti_ms": round(statistics.median(times), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--screenshots", type=Path, metavar="FOLDER")
    args = parser.parse_args(argv)
    if missing := chromium_missing():
        print(f"skipped: {missing}", file=sys.stderr)
        return 1
    if args.screenshots:
        for path in asyncio.run(screenshots(args.screenshots)):
            print(path)
        return 0
    print(json.dumps(asyncio.run(measure()), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
