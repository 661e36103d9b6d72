"""Browser fixtures for the Mini App page: Debian's Chromium through Playwright, phone-sized.

Without playwright or /usr/bin/chromium every test that asks for `browser` is skipped with a
reason naming the test and what is missing, as the PostgreSQL tests are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bench.webpage import CHROMIUM, PHONE, chromium_missing


@pytest.fixture(name="browser")
async def browser_fixture(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """Headless Debian Chromium (never Playwright's own download)."""
    if missing := chromium_missing():
        pytest.skip(f"{request.node.name} needs a browser: {missing}")
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        launched = await p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def phone(browser: Any, *, dark: bool = False, zone: str = "Europe/London") -> Any:
    """A new phone-sized page (390×844) in the given time zone and colour scheme."""
    context = await browser.new_context(
        viewport=PHONE, color_scheme="dark" if dark else "light", timezone_id=zone, locale="en-GB"
    )
    return await context.new_page()


async def telegram_calls(page: Any) -> list[list[Any]]:
    """Every call the page made on the Telegram stub, as [name, *args]."""
    calls: list[list[Any]] = await page.evaluate("window.__tgCalls || []")
    return calls


async def press_main(page: Any) -> None:
    """Press Telegram's MainButton (the stub runs its click handlers)."""
    await page.evaluate("window.__tgClickMain()")


async def main_text(page: Any) -> str:
    text: str = await page.evaluate("window.Telegram.WebApp.MainButton.text")
    return text
