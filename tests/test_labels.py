"""Every word the bot shows comes from content/: changing labels.yaml changes the buttons, the
day names and the PDF's words, and a broken labels.yaml stops start-up naming file and key."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot import render
from bot.content import DEFAULT_CONTENT_DIR, ContentError, load_content


def translated(tmp_path: Path, labels: dict[str, str], language: dict[str, str]) -> Path:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "en" / "labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["labels"].update(labels)
    data["language"].update(language)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


def test_translating_the_buttons_and_day_names_is_a_content_only_change(tmp_path: Path) -> None:
    content = load_content(
        translated(
            tmp_path,
            {"button_done": "✅ Erledigt", "button_snooze": "⏰ 1 Std. später"},
            {"locale": "de"},  # day and month names from Babel's German
        )
    )
    routine = next(iter(content.routines.values()))
    text, markup = render.session(content, routine, date(2026, 11, 21))
    assert markup is not None
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert "✅ Erledigt" in labels and "⏰ 1 Std. später" in labels
    assert "Sa., 21. Nov." in text
    assert render.describe_days(content, 0b0000011) == "Mo., Di."


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda data: data["labels"].pop("button_done"), "label 'button_done': missing"),
        (lambda data: data["labels"].update(button_dnoe="x"), "label 'button_dnoe'"),
        (lambda data: data["labels"].update(button_timer="{secs} s"), "label 'button_timer'"),
        (lambda data: data["language"].update(locale="zz_nowhere"), "language.locale"),
        (lambda data: data["labels"]["days"].update(few="{n} days"), "label 'days'"),
        (lambda data: data["labels"]["days"].pop("other"), "label 'days'"),
    ],
)
def test_a_broken_labels_file_stops_start_up_naming_file_and_key(
    tmp_path: Path, change: object, named: str
) -> None:
    directory = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, directory)
    path = directory / "en" / "labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert callable(change)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(directory)
    assert "labels.yaml" in str(info.value) and named in str(info.value)
