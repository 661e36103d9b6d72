"""What a developer would pick instead: aiogram 3's `send_message` in a bare loop, same fake.

Sixteen sends in flight, like the dispatcher, each a rendered session card with its buttons, so
the two carry the same bytes. Nothing else: no claim, no rendering, no record.

aiogram pins pydantic below the version the bot installs, so it is never installed beside the
bot: the loop (`bench/aiogram_loop.py`) runs in a process of its own, with this interpreter
when it already has aiogram, otherwise in a throwaway venv the bench creates once under the
temp folder (`hipcheck-bench-cache/aiogram-venv-py3.X`). Without a registry to install from,
the figure is None and the reason is reported beside it.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import TOKEN, FakeApiProcess
from bench.million import CACHE
from bot import render
from bot.content import load_content
from bot.delivery import CONCURRENCY

AIOGRAM = "aiogram>=3.4,<4"
UVLOOP = "uvloop>=0.19,<1"  # the loop Hip Check runs on; aiogram is measured on both
LOOP = Path(__file__).with_name("aiogram_loop.py")


async def aiogram_send_loop(
    api: FakeApiProcess, messages: int, *, make_venv: bool = True, loop: str = "asyncio"
) -> dict[str, Any]:
    """Messages per second and CPU per message of aiogram's bare send loop on `loop`
    ("asyncio" or "uvloop"); rate None and a `reason` when aiogram could not be run."""
    python = await _python_with_aiogram(make_venv)
    if isinstance(python, str):
        return {"messages": messages, "rate": None, "cpu_per_msg_ms": None, "reason": python}
    content = load_content()
    routine = next(iter(content.routines.values()))
    text, markup = render.session(content, routine, date(2026, 11, 30))
    job = {
        "base_url": api.base_url,
        "token": TOKEN,
        "text": text,
        "markup": markup.to_dict() if markup is not None else None,
        "messages": messages,
        "concurrency": CONCURRENCY,
        "first_chat": 2_000_000,
        "loop": loop,
    }
    await api.ctl("reset")
    done = await asyncio.to_thread(
        subprocess.run,
        [str(python), str(LOOP)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        reason = f"the aiogram loop failed: {done.stderr.strip().splitlines()[-1:]}"
        return {"messages": messages, "rate": None, "cpu_per_msg_ms": None, "reason": reason}
    return {"messages": messages, "delivered": await api.ctl("count"), **json.loads(done.stdout)}


async def _python_with_aiogram(make_venv: bool) -> Path | str:
    """An interpreter that imports aiogram, or why there is none."""
    if all(importlib.util.find_spec(name) is not None for name in ("aiogram", "uvloop")):
        return Path(sys.executable)
    if not make_venv:
        return "aiogram is not installed and no throwaway venv was asked for"
    venv = CACHE / f"aiogram-venv-py{sys.version_info.major}.{sys.version_info.minor}"
    python = venv / "bin" / "python"
    wanted = f"{AIOGRAM}\n{UVLOOP}\n"
    if not (venv / "ready").exists() or (venv / "ready").read_text() != wanted:
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(venv)],
            [str(python), "-m", "pip", "install", "-q", AIOGRAM, UVLOOP],
        ]
        for step in steps:
            done = await asyncio.to_thread(
                subprocess.run, step, capture_output=True, text=True, timeout=600
            )
            if done.returncode != 0:
                last = done.stderr.strip().splitlines()[-1:] or ["no output"]
                return f"could not make a venv with {AIOGRAM}: {last[0]}"
        (venv / "ready").write_text(wanted)
    return python
