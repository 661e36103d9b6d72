"""Message and label templates: the `Messages` lookup (with plural forms), and the check of a
content file's templates against the placeholders the bot fills in (content_fields.py)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot import content_yaml
from bot.content_fields import PLURAL_LABELS

# A language directory under content/: a lowercase ISO 639 code ("en", "es", "de").
LANGUAGE_DIR = re.compile(r"^[a-z]{2,3}$")


class ContentError(Exception):
    """Content that cannot be used; the message names the file and the entry."""


def where(path: Path) -> str:
    """A language file as "es/messages.yaml"; a shared one as "places.yaml"."""
    return f"{path.parent.name}/{path.name}" if LANGUAGE_DIR.match(path.parent.name) else path.name


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return content_yaml.load(f)
    except FileNotFoundError:
        raise ContentError(f"{where(path)}: file not found in {path.parent}") from None
    except content_yaml.YAMLError as e:
        raise ContentError(f"{where(path)}: not valid YAML: {e}") from None


def _english_plural(n: int) -> str:
    return "one" if n == 1 else "other"


@dataclass(frozen=True, slots=True)
class Messages:
    """The bot's message templates, looked up by key and filled with named values; a plural
    template is picked by the language's plural rule (`count`)."""

    templates: Mapping[str, str]
    plurals: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    plural_form: Callable[[int], str] = field(default=_english_plural)

    def __call__(self, key: str, /, **values: object) -> str:
        return self.templates[key].format(**values)

    def count(self, key: str, n: int, /, **values: object) -> str:
        """The form of plural template `key` for the number `n` ("1 day", "3 days")."""
        forms = self.plurals[key]
        return forms.get(self.plural_form(n), forms["other"]).format(n=n, **values)


def load_templates(
    path: Path,
    section: str,
    fields: Mapping[str, frozenset[str]],
    plural_categories: frozenset[str] = frozenset({"one", "other"}),
) -> Messages:
    """The templates under `section`, each checked against its allowed placeholders; a plural
    label (PLURAL_LABELS) is a mapping of the language's plural categories, `other` required."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(section), dict):
        raise ContentError(f"{where(path)}: expected a mapping under '{section}'")
    entries: dict[str, object] = data[section]
    kind = section.removesuffix("s")  # "message", "label"
    templates: dict[str, str] = {}
    plurals: dict[str, Mapping[str, str]] = {}
    for key, allowed in fields.items():
        entry = entries.get(key)
        if key in PLURAL_LABELS and section == "labels":
            if not isinstance(entry, dict) or "other" not in entry:
                raise ContentError(
                    f"{where(path)}: {kind} '{key}': plural forms expected, with 'other'"
                )
            if unknown := set(entry) - plural_categories:
                raise ContentError(
                    f"{where(path)}: {kind} '{key}': plural form(s) {sorted(unknown)} not used "
                    f"by this language; it uses {sorted(plural_categories)}"
                )
            for category, form in entry.items():
                _check_template(path, f"{kind} '{key}.{category}'", form, allowed)
            plurals[key] = MappingProxyType(dict(entry))
        else:
            templates[key] = _check_template(path, f"{kind} '{key}'", entry, allowed)
    if extra := [str(k) for k in entries if k not in fields]:
        raise ContentError(f"{where(path)}: {kind} '{extra[0]}': not used by the bot")
    return Messages(MappingProxyType(templates), MappingProxyType(plurals))


def _check_template(path: Path, what: str, template: object, allowed: frozenset[str]) -> str:
    if not isinstance(template, str) or not template.strip():
        raise ContentError(f"{where(path)}: {what}: missing or empty")
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as e:
        raise ContentError(f"{where(path)}: {what}: bad template: {e}") from None
    try:  # catches positional, nested and malformed fields the parse above lets through
        template.format(**dict.fromkeys(allowed, "x"))
    except (IndexError, KeyError, ValueError) as e:
        raise ContentError(f"{where(path)}: {what}: bad template: {e!r}") from None
    if unknown := used - allowed:
        raise ContentError(
            f"{where(path)}: {what}: unknown placeholder(s) {sorted(unknown)}; "
            f"allowed: {sorted(allowed) or 'none'}"
        )
    return template
