"""The one reader of scenario files: folders in, parsed documents by ``kind`` and load errors out.

Scenario files are found, in this order, in the bundled folder (this package, see
:func:`simulator.paths.bundled_scenarios_dir`), the user's ``<data dir>/scenarios`` folder when it
exists, and any extra folders or files (``--scenarios DIR``); later folders override earlier ones by
id, which is for the consumers to apply. Every file is read within the limits of
:mod:`simulator.yamlfiles` (size, nesting, aliases, duplicate keys) and must declare its ``kind``.

The question bank (:mod:`simulator.rubric.bank`: ``questions``, ``rubric``, ``red_flags``) and the
role-play library (:mod:`simulator.roleplay.library`: ``persona``,
``roleplay``) both read through :func:`read_scenarios` and validate the documents of their kinds
with pydantic; :class:`ScenarioFile` turns a validation error into :class:`LoadError` lines that name
the file, the field and the line. A broken file never stops loading: it becomes an error and
everything else still loads.
"""

from __future__ import annotations

import difflib

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator import paths, yamlfiles

BANK_KINDS = frozenset({"questions", "rubric", "red_flags"})
LIBRARY_KINDS = frozenset({"persona", "roleplay"})
KINDS = BANK_KINDS | LIBRARY_KINDS
RETIRED_KINDS = {
    "turn_cues": "retired: a role-play turn is heard by the de-escalation rubric's examples "
                 "(rubrics/de-escalation.yaml); delete this file",
}
"""Kinds that once existed: a file of one is named with what replaced it, never read."""

_KIND_LINE = re.compile(r"^kind:\s*['\"]?([A-Za-z_][\w-]*)", re.MULTILINE)


@dataclass(frozen=True)
class LoadError:
    """One problem in one file, phrased for the person who wrote it."""

    path: Path
    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


@dataclass
class ScenarioFile:
    """One parsed scenario file: a mapping with a ``kind``, and where it came from."""

    path: Path
    root: Path
    source: str = field(repr=False)
    data: dict[str, Any] = field(repr=False)
    bundled: bool = False
    """Shipped with the package (read from the bundled folder as a default root): its cue patterns
    passed every check in the test suite, so loading it does not compile them again."""

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @cached_property
    def node(self) -> yaml.Node | None:
        """The composed YAML tree, for line numbers (composed on first use)."""
        return _compose(self.source)

    def line(self, loc: tuple) -> int | None:
        """The 1-based line of ``loc`` (keys and list indices), or of its nearest existing parent."""
        return line_of(self.node, loc)

    def error(self, field_: str, loc: tuple, message: str) -> LoadError:
        return LoadError(self.path, field_, self.line(loc), message)

    def errors_from(self, e: ValidationError, prefix: tuple = ()) -> list[LoadError]:
        """One :class:`LoadError` per pydantic error, located in the file (``prefix``: where the
        validated value sits in the document)."""
        out = []
        for err in e.errors():
            loc = prefix + tuple(err["loc"])
            out.append(LoadError(self.path, dotted(loc), self.line(loc), friendly(err["msg"])))
        return out


@dataclass
class _Problem:
    error: LoadError
    kind: str | None  # None: concerns every reader (missing folder, unreadable file)


@dataclass
class ScenarioFiles:
    """What :func:`read_scenarios` found: every YAML file, and the parsed files and the problems in
    the order they were met."""

    files: list[Path] = field(default_factory=list)
    _read: list[ScenarioFile | _Problem] = field(default_factory=list, repr=False)

    def walk(self, kinds: Collection[str] | None = None) -> Iterator[ScenarioFile | LoadError]:
        """Parsed files of ``kinds`` and the problems that concern them, in load order.

        A folder or file that cannot be read concerns every kind; a file that is not valid YAML
        concerns the kind named on its ``kind:`` line; a missing or unknown kind concerns only a
        reader of every kind (``kinds=None``).
        """
        for item in self._read:
            if isinstance(item, ScenarioFile):
                if kinds is None or item.kind in kinds:
                    yield item
            elif kinds is None or item.kind is None or item.kind in kinds:
                yield item.error

    def documents(self, kinds: Collection[str] | None = None) -> list[ScenarioFile]:
        return [d for d in self.walk(kinds) if isinstance(d, ScenarioFile)]

    def errors(self, kinds: Collection[str] | None = None) -> list[LoadError]:
        return [e for e in self.walk(kinds) if isinstance(e, LoadError)]

    def _fail(self, kind: str | None, path: Path, field_: str, line: int | None, message: str) -> None:
        self._read.append(_Problem(LoadError(path, field_, line, message), kind))


def scenario_roots(extra_dirs: Sequence[Path] = (), *, include_default: bool = True) -> list[Path]:
    """Bundled folder, then the user's data folder (if it exists), then ``extra_dirs``."""
    roots: list[Path] = []
    if include_default:
        roots.append(paths.bundled_scenarios_dir())
        user = paths.user_scenarios_dir()
        if user is not None:
            roots.append(user)
    roots.extend(Path(d) for d in extra_dirs)
    return roots


def read_scenarios(extra_dirs: Sequence[Path] = (), *, include_default: bool = True,
                   kinds: Collection[str] | None = None, trust_bundled: bool = True) -> ScenarioFiles:
    """Find and parse the scenario files; never raises for a bad file (see :meth:`ScenarioFiles.errors`).

    Args:
        extra_dirs: more folders (or single files), read after the bundled and user folders.
        include_default: False reads only ``extra_dirs`` (``scenarios validate PATH``, tests).
        kinds: read only the files whose ``kind:`` line names one of these (the others are listed
            in ``files`` but not parsed, and a missing or unknown kind is then nobody's error);
            None reads and checks every file.
        trust_bundled: mark the bundled files as such (:attr:`ScenarioFile.bundled`), so that
            their cue patterns are compiled when first used, not checked again on loading;
            ``scenarios validate`` says False and checks everything.
    """
    found = ScenarioFiles()
    bundled = paths.bundled_scenarios_dir() if include_default and trust_bundled else None
    for root in scenario_roots(extra_dirs, include_default=include_default):
        if not root.exists():
            found._fail(None, root, "", None, "no such file or folder")
            continue
        if not (root.is_file() or root.is_dir()):  # a device, a pipe, a socket
            found._fail(None, root, "", None, "not a file or folder")
            continue
        for path in _yaml_files(root):
            found.files.append(path)
            _read_file(path, root, found, kinds, bundled=root == bundled)
    return found


def _yaml_files(root: Path) -> Iterable[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _read_file(path: Path, root: Path, found: ScenarioFiles, kinds: Collection[str] | None, *,
               bundled: bool = False) -> None:
    try:
        source = yamlfiles.read_limited(path, what="scenario file")
    except (OSError, UnicodeDecodeError) as e:
        found._fail(None, path, "", None, f"cannot read file: {e}")
        return
    declared = _KIND_LINE.search(source)
    declared_kind = declared.group(1) if declared else ""
    if kinds is not None and declared_kind not in kinds:
        return  # another reader's business, and not worth parsing
    try:
        data = yamlfiles.load(source)
    except yaml.YAMLError as e:
        line, problem = yaml_problem(e)
        found._fail(declared_kind, path, "", line, f"not valid YAML: {problem}")
        return
    if not isinstance(data, dict) or "kind" not in data:
        if kinds is None:
            found._fail("", path, "kind", 1, "missing 'kind' (questions, rubric, red_flags, persona or roleplay)")
        return
    kind = data["kind"]
    known = isinstance(kind, str) and kind in KINDS
    if kinds is not None:
        if known and kind in kinds:
            found._read.append(ScenarioFile(path, root, source, data, bundled))
    elif known:
        found._read.append(ScenarioFile(path, root, source, data, bundled))
    elif isinstance(kind, str) and kind in RETIRED_KINDS:
        found._fail("", path, "kind", line_of(_compose(source), ("kind",)), f"{kind!r} is {RETIRED_KINDS[kind]}")
    else:  # a near miss ("roleplays") is named, never skipped in silence
        line = line_of(_compose(source), ("kind",))
        close = difflib.get_close_matches(str(kind), sorted(KINDS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (one of {', '.join(sorted(KINDS))})"
        found._fail("", path, "kind", line, f"unknown kind {kind!r}{hint}")


def _compose(source: str) -> yaml.Node | None:
    try:
        return yamlfiles.compose(source)
    except yaml.YAMLError:  # cannot happen once load() succeeded; no line numbers then
        return None


def yaml_problem(e: yaml.YAMLError) -> tuple[int | None, str]:
    """The 1-based line and a one-line description of a YAML syntax error.

    PyYAML reports where it gave up ("found unexpected end of stream" at the last line); when it
    knows where the broken construct began ("while scanning a quoted scalar" at line 5), that is
    named too, since it is where the author has to look.
    """
    mark = getattr(e, "problem_mark", None)
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    context = getattr(e, "context", None)
    context_mark = getattr(e, "context_mark", None)
    if context and context_mark is not None and (mark is None or context_mark.line != mark.line):
        problem = f"{problem} ({context} that starts on line {context_mark.line + 1})"
    return (mark.line + 1 if mark else None), problem


# Pydantic speaks Python ("a valid tuple"); scenario authors write YAML lists.
_MESSAGE_WORDS = (("a valid tuple", "a list, e.g. [a, b]"), ("Tuple should", "The list should"),
                  ("a valid dictionary", "a mapping of keys to values"))


def friendly(msg: str) -> str:
    """A pydantic message in the words of someone writing YAML."""
    for old, new in _MESSAGE_WORDS:
        msg = msg.replace(old, new)
    return re.sub(r" or instance of \w+$", "", msg)


def dotted(loc: tuple) -> str:
    """A pydantic location as a field path: ``questions[3].tips``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Walk the composed YAML tree along a pydantic error location to find the 1-based line."""
    best = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        best = node.start_mark.line + 1
    return best
