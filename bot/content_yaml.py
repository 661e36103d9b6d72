"""YAML for content files: PyYAML's safe loader, except that a key given twice is an error.

`yaml.safe_load` keeps the last of two equal keys in a mapping, so a message pasted twice
under the same key would silently replace the first.
"""

from __future__ import annotations

from typing import IO, Any

import yaml
from yaml.nodes import MappingNode

try:  # libyaml's parser when installed: demos.yaml is large and start-up reads every file
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

YAMLError = yaml.YAMLError

_MERGE = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.YAMLError):
    """A mapping names the same key twice."""

    def __init__(self, key: object, line: int, first_line: int) -> None:
        super().__init__(key, line, first_line)
        self.key, self.line, self.first_line = key, line, first_line

    def __str__(self) -> str:
        return f"duplicate key '{self.key}' on line {self.line} (first on line {self.first_line})"


class _UniqueKeyLoader(_SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue  # `<<: *base` may override keys on purpose
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:
                continue  # an unhashable key: the safe loader reports it itself
            if first != key_node.start_mark.line + 1:
                raise DuplicateKeyError(key, key_node.start_mark.line + 1, first)
        return super().construct_mapping(node, deep=deep)


def load(stream: IO[str] | str) -> Any:
    """Parse one YAML document like `yaml.safe_load`, refusing any mapping with a repeated key."""
    return yaml.load(stream, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no Python tags
