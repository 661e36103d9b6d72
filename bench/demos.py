"""`python -m bench demos [--repeat N]`: the cost of drawing the demonstrations (issue 12).

Per demonstration: the time to draw its GIF (best of N, the cache bypassed) and its still,
the GIF's frames and size; then the total for all, and the process's peak memory (RSS) before
and after drawing everything. The bot draws each one once per content change and per
process, and after the first upload sends Telegram's file_id instead (bot/handlers/demos.py).
"""

from __future__ import annotations

import argparse
import platform
import resource
import time
from io import BytesIO
from typing import Any

from PIL import Image

from bot.content import load_content
from bot.demos.draw import render_gif, render_still


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(repeat: int = 3) -> dict[str, Any]:
    content = load_content()
    before = _peak_rss_mb()
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for exercise_id, demo in content.demos.items():
        title = content.exercises[exercise_id].name
        gif_times, still_times = [], []
        gif = png = b""
        for _ in range(repeat):
            t = time.perf_counter()
            gif = render_gif(demo, title)
            gif_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            png = render_still(demo, title)
            still_times.append(time.perf_counter() - t)
        frames = Image.open(BytesIO(gif)).n_frames
        rows.append(
            {
                "exercise": exercise_id,
                "seconds": demo.seconds,
                "frames": frames,
                "gif_s": min(gif_times),
                "still_s": min(still_times),
                "gif_kb": len(gif) / 1024,
                "png_kb": len(png) / 1024,
            }
        )
    total = time.perf_counter() - started
    return {
        "rows": rows,
        "all_gifs_s": sum(r["gif_s"] for r in rows),
        "all_stills_s": sum(r["still_s"] for r in rows),
        "wall_s": total,
        "rss_before_mb": before,
        "rss_peak_mb": _peak_rss_mb(),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}",
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        "| demonstration | loop | frames | GIF | still | draw GIF | draw still |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['exercise']} | {r['seconds']:.1f} s | {r['frames']} | {r['gif_kb']:.0f} KB "
            f"| {r['png_kb']:.0f} KB | {r['gif_s']:.2f} s | {r['still_s'] * 1000:.0f} ms |"
        )
    lines.append(
        f"| **all {len(result['rows'])}** | | | "
        f"{sum(r['gif_kb'] for r in result['rows']):.0f} KB | "
        f"{sum(r['png_kb'] for r in result['rows']):.0f} KB | "
        f"{result['all_gifs_s']:.1f} s | {result['all_stills_s'] * 1000:.0f} ms |"
    )
    lines.append("")
    lines.append(
        f"Peak RSS {result['rss_before_mb']:.0f} MB before drawing, "
        f"{result['rss_peak_mb']:.0f} MB after drawing everything ({result['machine']})."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench demos", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="draws per file (best is kept)")
    args = parser.parse_args(argv)
    print(table(measure(args.repeat)))
    return 0
