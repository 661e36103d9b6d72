"""A generated language for tests: English with every text prefixed, written beside the
shipped content, so a test can prove that adding a language needs nothing but content."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from bot.content import DEFAULT_CONTENT_DIR, ENGLISH, LANGUAGE_FILES
from bot.content_languages import NON_TEXT_KEYS

PREFIX = "⟦xx⟧ "


def prefixed(node: Any, key: str = "", data: bool = False) -> Any:
    """Every text in `node` prefixed; ids, kinds, tiers, numbers and the locale kept."""
    if isinstance(node, dict):
        return {
            k: prefixed(v, str(k), data or k in NON_TEXT_KEYS or k == "locale")
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [prefixed(v, key, data) for v in node]
    if isinstance(node, str) and not data:
        return PREFIX + node
    return node


def with_generated_language(tmp_path: Path, code: str = "xx") -> Path:
    """A copy of the shipped content plus content/<code>/: English, every text prefixed."""
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    (directory / code).mkdir(exist_ok=True)
    for name in LANGUAGE_FILES:
        english = (directory / ENGLISH / f"{name}.yaml").read_text(encoding="utf-8")
        data = prefixed(yaml.safe_load(english))
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (directory / code / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


def english_only(directory: Path) -> Path:
    """A copy of the shipped content with English alone: for tests that change an English
    number or list, which the translations (rightly) would no longer mirror."""
    shutil.copytree(
        DEFAULT_CONTENT_DIR,
        directory,
        ignore=lambda folder, names: [
            n for n in names if Path(folder) == DEFAULT_CONTENT_DIR and n not in KEEP
        ],
    )
    return directory


KEEP = {ENGLISH, "demos.yaml", "places.yaml"}
