"""Reading the YAML files users and coaches write (scenarios, role-plays, company profiles), bounded.

A scenario file must never be able to hang or exhaust the program, so before PyYAML builds anything
the file is checked against limits that can be checked cheaply, on its size and on its event stream
(PyYAML's parser is iterative; only its composer recurses):

- at most :data:`MAX_FILE_BYTES` on disk (read with a bound, so ``/dev/zero`` is refused too);
- at most :data:`MAX_DEPTH` levels of nesting (deeper YAML would exhaust Python's recursion limit);
- at most :data:`MAX_VALUES` values once aliases are expanded (a "billion laughs" file is a few
  lines that every later walk over the data multiplies out);
- no key twice in one mapping (PyYAML keeps the last one silently; the author meant something).

Each refusal is a :class:`yaml.YAMLError` with a mark, so callers report it like a syntax error:
file, line, one sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError

from simulator import limits

MAX_FILE_BYTES = limits.MAX_SCENARIO_FILE_BYTES
"""Largest scenario, role-play or company file read (the bundled ones are under 25 KB)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (the bundled files use 6)."""
MAX_VALUES = 200_000
"""Most values a file may hold once its aliases are expanded."""

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(MarkedYAMLError):
    """The file is over one of this module's limits."""


def read_limited(path: str | Path, limit: int = MAX_FILE_BYTES, *, what: str = "file") -> str:
    """The UTF-8 text of ``path``, refusing more than ``limit`` bytes (see :mod:`simulator.limits`)."""
    return limits.read_limited(path, limit, what=what)


class _UniqueKeyLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key, _ in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                    continue
                if (key.tag, key.value) in seen:
                    raise ConstructorError("while reading a mapping", node.start_mark,
                                           f"the key {key.value!r} appears twice", key.start_mark)
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


def check_structure(source: str) -> None:
    """Refuse YAML nested deeper than :data:`MAX_DEPTH` or larger than :data:`MAX_VALUES` values
    with aliases expanded, from the event stream alone (no recursion, nothing built).

    Raises:
        yaml.YAMLError: a syntax error, or :class:`YamlLimitError`.
    """
    depth = 0
    values = 0
    sizes: dict[str, int] = {}
    open_: list[tuple[str | None, int]] = []
    for event in yaml.parse(source, Loader=_BASE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            values += sizes.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            values += 1
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlLimitError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                     event.start_mark)
            open_.append((event.anchor, values))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, start = open_.pop()
            if anchor:
                sizes[anchor] = values - start + 1
        if values > MAX_VALUES:
            raise YamlLimitError(None, None, f"holds more than {MAX_VALUES:,} values once its aliases are "
                                 "expanded", getattr(event, "start_mark", None))


def load(source: str) -> Any:
    """``yaml.safe_load`` within this module's limits, refusing duplicate keys."""
    check_structure(source)
    try:
        return yaml.load(source, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader
    except (ValueError, OverflowError) as e:
        # A value that parses but cannot be built: an integer of thousands of digits, 2001-02-30,
        # !!float "abc". Reported like the other errors, as one sentence.
        raise ConstructorError(None, None, f"a value cannot be read ({limits.unreadable_value(e)})", None) from e


def compose(source: str) -> yaml.Node | None:
    """``yaml.compose`` within this module's limits (for line numbers)."""
    check_structure(source)
    return yaml.compose(source, Loader=_BASE_LOADER)
