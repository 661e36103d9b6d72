"""Content YAML is PyYAML's safe loader, except that a repeated key is an error."""

from __future__ import annotations

import pytest

from bot import content_yaml


def test_a_repeated_key_at_any_depth_names_the_key_and_both_lines() -> None:
    text = "a:\n  b: 1\n  c:\n    - d: 1\n      d: 2\n"
    with pytest.raises(content_yaml.DuplicateKeyError) as info:
        content_yaml.load(text)
    assert str(info.value) == "duplicate key 'd' on line 5 (first on line 4)"


def test_a_merge_key_may_still_override_what_it_merged() -> None:
    text = "base: &base {a: 1, b: 2}\nmine:\n  <<: *base\n  b: 3\n"
    assert content_yaml.load(text) == {"base": {"a": 1, "b": 2}, "mine": {"a": 1, "b": 3}}


def test_it_stays_safe_against_python_tags() -> None:
    with pytest.raises(content_yaml.YAMLError):
        content_yaml.load("!!python/object/apply:os.system ['true']\n")
