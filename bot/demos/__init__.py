"""Animated demonstrations of the exercises, drawn from content/demos.yaml (issue 12).

`data` loads and checks the keyframes, `body` is the rigid 2-D figure, `draw` turns a
demonstration into a looped GIF, a still PNG and a contact sheet. Rendering is CPU-bound: the
bot runs it through `asyncio.to_thread`, and only until Telegram holds the file (see
bot/handlers/demos.py).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from bot.demos.data import Demo, DemoError, load_demos

__all__ = ["Demo", "DemoError", "animation", "load_demos", "still"]

_CACHE_SIZE = 16  # every demonstration of the content, and a few stale ones
_rendered: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
_lock = Lock()


def _cached(kind: str, demo: Demo, title: str) -> bytes:
    """The rendered file, drawn once per process for the same data (a pure function's cache:
    nothing in it belongs to a user)."""
    key = (kind, demo.content_hash, title)
    with _lock:
        if (found := _rendered.get(key)) is not None:
            _rendered.move_to_end(key)
            return found
    from bot.demos.draw import render_gif, render_still  # Pillow loads on the first drawing

    data = render_gif(demo, title) if kind == "gif" else render_still(demo, title)
    with _lock:
        _rendered[key] = data
        while len(_rendered) > _CACHE_SIZE:
            _rendered.popitem(last=False)
    return data


def animation(demo: Demo, title: str) -> bytes:
    """The looped GIF of `demo`, captioned `title`."""
    return _cached("gif", demo, title)


def still(demo: Demo, title: str) -> bytes:
    """The key pose of `demo` as a PNG."""
    return _cached("png", demo, title)
