"""Check that a translation mirrors English: the same keys, list lengths, placeholders, HTML tags
and non-text values in each of a language's content files (content/<lang>/*.yaml).

English is the reference; `compare` walks both YAML trees and raises TranslationError naming
the file, the language and the key ("es/messages.yaml: key 'messages.welcome': ...").
"""

from __future__ import annotations

import re
import string
from collections import Counter
from typing import Any

# Strings that are data, not words: they must be the same in every language.
NON_TEXT_KEYS = frozenset(
    {"id", "kind", "tier", "easier", "harder", "signs", "exercises", "start_easier"}
)
# Lists whose length is the translator's choice (the words /summary takes as "off").
FREE_LISTS = frozenset({("names", "off_words")})
# Labels that are plural forms: {category: template}, categories from the language's CLDR rules.
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})

_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


class TranslationError(Exception):
    """A translated file does not mirror English; the message names file, language and key."""


def placeholders(text: str) -> frozenset[str]:
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
    except ValueError:
        return frozenset({"<malformed>"})


def tags(text: str) -> Counter[str]:
    return Counter(_TAG.findall(text))


def is_plural(node: object) -> bool:
    return isinstance(node, dict) and "other" in node and set(node) <= PLURAL_CATEGORIES


def compare(file: str, language: str, english: Any, other: Any) -> None:
    """Raise TranslationError at the first place `other` does not mirror `english`."""
    if found := differences(file, language, english, other):
        raise TranslationError(found[0])


def differences(file: str, language: str, english: Any, other: Any) -> list[str]:
    """Every place `other` does not mirror `english`, one line each (for `python -m bot
    languages`, which lists what a translation still lacks)."""
    found: list[str] = []
    _walk(_Where(f"{language}/{file}", found), english, other, ())
    return found


class _Where:
    def __init__(self, file: str, found: list[str]) -> None:
        self.file, self.found = file, found

    def fail(self, path: tuple[str, ...], problem: str) -> None:
        name = ".".join(path).replace(".[", "[") or "(top)"
        self.found.append(f"{self.file}: key '{name}': {problem}")


def _walk(where: _Where, en: Any, other: Any, path: tuple[str, ...]) -> None:
    if is_plural(en):
        _plural(where, en, other, path)
    elif isinstance(en, dict):
        if not isinstance(other, dict):
            return where.fail(path, "should be a mapping, as in English")
        for key in en:
            if key not in other:
                where.fail((*path, str(key)), "missing (English has it)")
        for key in other:
            if key not in en:
                where.fail((*path, str(key)), "not in English")
        for key, value in en.items():
            if key in other:
                _walk(where, value, other[key], (*path, str(key)))
    elif isinstance(en, list):
        _list(where, en, other, path)
    elif isinstance(en, str):
        if not isinstance(other, str):
            return where.fail(path, "should be text, as in English")
        if _data(path):
            if other != en:
                where.fail(path, f"must stay '{en}' as in English, not '{other}'")
            return None
        _same_markup(where, path, en, other)
    elif type(other) is not type(en) or other != en:
        where.fail(path, f"must stay {en!r} as in English, not {other!r}")
    return None


def _list(where: _Where, en: list[Any], other: Any, path: tuple[str, ...]) -> None:
    if not isinstance(other, list):
        return where.fail(path, "should be a list, as in English")
    if path[-2:] in FREE_LISTS:
        if not other or not all(isinstance(x, str) and x.strip() for x in other):
            where.fail(path, "should be a non-empty list of words")
        return None
    if len(other) != len(en):
        return where.fail(path, f"has {len(other)} entries, English has {len(en)}")
    for index, (a, b) in enumerate(zip(en, other, strict=True)):
        label = a.get("id") if isinstance(a, dict) and isinstance(a.get("id"), str) else index
        _walk(where, a, b, (*path, f"[{label}]"))
    return None


def _plural(where: _Where, en: dict[str, Any], other: Any, path: tuple[str, ...]) -> None:
    if not is_plural(other):
        return where.fail(path, "should be plural forms with at least 'other'")
    wanted = placeholders(str(en["other"]))
    for category, text in other.items():
        if not isinstance(text, str) or not text.strip():
            where.fail((*path, category), "missing or empty")
        elif placeholders(text) != wanted:
            where.fail(
                (*path, category),
                f"placeholders {sorted(placeholders(text))}, English has {sorted(wanted)}",
            )
    return None


def _data(path: tuple[str, ...]) -> bool:
    keys = [p for p in path if not p.startswith("[")]
    return bool(keys) and (keys[-1] in NON_TEXT_KEYS or "start_easier" in keys)


def _same_markup(where: _Where, path: tuple[str, ...], en: str, other: str) -> None:
    if not other.strip():
        return where.fail(path, "empty")
    if placeholders(other) != placeholders(en):
        where.fail(
            path,
            f"placeholders {sorted(placeholders(other))}, English has {sorted(placeholders(en))}",
        )
    if tags(other) != tags(en):
        where.fail(path, f"HTML tags {sorted(tags(other))}, English has {sorted(tags(en))}")
    return None
