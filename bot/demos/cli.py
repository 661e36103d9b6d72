"""`python -m bot demos DIR`: render every demonstration, and one contact sheet, for review."""

from __future__ import annotations

import time
from pathlib import Path

from bot.content import DEFAULT_CONTENT_DIR, ContentError, load_content
from bot.demos.draw import contact_sheet, render_gif, render_still

SHEET = "contact-sheet.png"


def render_all(folder: Path, content_dir: Path = DEFAULT_CONTENT_DIR) -> int:
    """Write <exercise id>.gif and .png for every exercise, and the contact sheet; report."""
    try:
        content = load_content(content_dir)
    except ContentError as e:
        print(f"Content error: {e}")
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    stills: list[tuple[str, bytes]] = []
    started = time.perf_counter()
    for exercise_id, demo in content.demos.items():
        title = content.exercises[exercise_id].name
        begun = time.perf_counter()
        gif = render_gif(demo, title)
        png = render_still(demo, title)
        (folder / f"{exercise_id}.gif").write_bytes(gif)
        (folder / f"{exercise_id}.png").write_bytes(png)
        stills.append((f"{title} ({exercise_id})", png))
        print(
            f"{exercise_id:24} {demo.seconds:4.1f} s loop  {len(gif) / 1024:6.0f} KB gif  "
            f"{len(png) / 1024:4.0f} KB png  {time.perf_counter() - begun:5.2f} s to draw"
        )
    (folder / SHEET).write_bytes(contact_sheet(stills))
    took = time.perf_counter() - started
    print(f"{len(stills)} demonstrations and {SHEET} in {folder} ({took:.1f} s)")
    return 0
