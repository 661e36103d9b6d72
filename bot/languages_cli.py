"""`python -m bot languages [CONTENT_DIR]`: every place a translation does not yet mirror
English, all at once (start-up stops at the first). For translators, and for porting new
English texts to every language."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.content import DEFAULT_CONTENT_DIR, ENGLISH, LANGUAGE_FILES
from bot.content_languages import differences
from bot.content_templates import LANGUAGE_DIR, ContentError, read_yaml


def gaps(directory: Path = DEFAULT_CONTENT_DIR) -> list[str]:
    """One line per difference from English, in every language directory under `directory`."""
    found: list[str] = []
    codes = sorted(p.name for p in directory.iterdir() if p.is_dir() and LANGUAGE_DIR.match(p.name))
    for code in (c for c in codes if c != ENGLISH):
        for name in LANGUAGE_FILES:
            file = f"{name}.yaml"
            try:
                english = read_yaml(directory / ENGLISH / file)
                other = read_yaml(directory / code / file)
            except ContentError as e:
                found.append(str(e))
                continue
            found += differences(file, code, english, other)
    return found


def report(directory: Path = DEFAULT_CONTENT_DIR) -> int:
    found = gaps(directory)
    for line in found:
        print(line)
    print(f"{len(found)} difference(s) from English.", file=sys.stderr)
    return 1 if found else 0
