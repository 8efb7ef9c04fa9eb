"""Loading the scenario bank: YAML files in, a validated :class:`ScenarioBank` out.

Files are found under the bundled ``scenarios/`` folder, the user's data directory
(``simulator.paths.data_dir()/scenarios``) and any ``--scenarios DIR``; later folders override
earlier ones by id, so a coach can replace a question without copying the bank. Each file declares
its ``kind`` (questions, rubric, red_flags); kinds this version does not know (personas and
role-plays, later) are skipped, not errors.

A broken file never stops the bank: it becomes a :class:`LoadError` naming the file, the field and
the line, and everything else still loads. Questions are validated one by one for the same reason.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from simulator import yamlfiles
from simulator.errors import ScenarioError
from simulator.rubric.models import (
    CompanyProfile,
    Question,
    QuestionFile,
    RedFlag,
    RedFlagFile,
    Rubric,
    RubricFile,
    TurnCue,
    TurnCueFile,
)

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "scenarios"
KNOWN_LATER_KINDS = frozenset({"persona", "personas", "roleplay", "roleplays", "role-play"})


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
class ScenarioBank:
    """Everything loaded: questions and rubrics by id, red flags, and the errors met on the way."""

    questions: dict[str, Question] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    red_flags: dict[str, RedFlag] = field(default_factory=dict)
    turn_cues: dict[str, TurnCue] = field(default_factory=dict)
    turn_cue_threshold: float = 0.45
    errors: list[LoadError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # Where each question / rubric came from (file, index, line) so cross-check errors can point there.
    origins: dict[str, tuple[Path, int | None, int | None]] = field(default_factory=dict, repr=False)

    def get_question(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise KeyError(f"no question with id {question_id!r}") from None

    def get_rubric(self, rubric_id: str) -> Rubric:
        try:
            return self.rubrics[rubric_id]
        except KeyError:
            raise KeyError(f"no rubric named {rubric_id!r}") from None

    def questions_for(self, role: str | None = None, category: str | None = None) -> list[Question]:
        """Questions for a role family ("general" questions apply to every role)."""
        out = []
        for q in self.questions.values():
            if role and role not in q.roles and "general" not in q.roles:
                continue
            if category and q.category != category:
                continue
            out.append(q)
        return out


def default_dirs(extra_dirs: Sequence[Path] = ()) -> list[Path]:
    """Bundled bank, then the user's data folder (if it exists), then ``extra_dirs``."""
    dirs = [BUNDLED_DIR]
    user = _user_dir()
    if user is not None and user.is_dir():
        dirs.append(user)
    dirs.extend(Path(d) for d in extra_dirs)
    return dirs


def _user_dir() -> Path | None:
    # Only look when a data dir is configured or already exists: loading the bank must not create
    # folders as a side effect of, say, `scenarios list` in a test.
    try:
        from simulator.paths import DATA_DIR_ENV, data_dir  # noqa: PLC0415

        import platformdirs  # noqa: PLC0415

        chosen = os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("interview-sim")
        if not Path(chosen).expanduser().is_dir():
            return None
        return data_dir() / "scenarios"
    except Exception:  # noqa: BLE001 - a missing optional dir is not an error
        return None


def load_bank(extra_dirs: Sequence[Path] = (), *, include_default: bool = True) -> ScenarioBank:
    """Load and cross-check every scenario file; never raises for a bad file (see ``.errors``).

    Args:
        extra_dirs: more folders (or single files) to load after the bundled and user folders.
        include_default: False loads only ``extra_dirs`` (used by ``scenarios validate PATH``).
    """
    bank = ScenarioBank()
    roots = default_dirs(extra_dirs) if include_default else [Path(d) for d in extra_dirs]
    for root in roots:
        if not root.exists():
            bank.errors.append(LoadError(root, "", None, "folder does not exist"))
            continue
        for path in _yaml_files(root):
            bank.files.append(path)
            _load_file(path, bank, root)
    _cross_check(bank)
    return bank


def _yaml_files(root: Path) -> Iterable[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _load_file(path: Path, bank: ScenarioBank, root: Path | None = None) -> None:
    try:
        source = yamlfiles.read_limited(path, what="scenario file")
        node = yamlfiles.compose(source)
        data = yamlfiles.load(source)
    except (OSError, UnicodeDecodeError) as e:
        bank.errors.append(LoadError(path, "", None, f"cannot read file: {e}"))
        return
    except yaml.YAMLError as e:
        line, problem = _yaml_problem(e)
        bank.errors.append(LoadError(path, "", line, f"not valid YAML: {problem}"))
        return
    if not isinstance(data, dict) or "kind" not in data:
        bank.errors.append(LoadError(path, "kind", 1, "missing 'kind' (questions, rubric, red_flags or turn_cues)"))
        return
    kind = data["kind"]
    if kind in KNOWN_LATER_KINDS:
        return
    try:
        if kind == "questions":
            header = QuestionFile.model_validate(data)
            _load_questions(path, node, header, bank, root)
        elif kind == "rubric":
            rubric = RubricFile.model_validate(data).rubric
            _add(bank.rubrics, rubric.id, rubric)
            bank.origins[f"rubric:{rubric.id}"] = (path, None, _line(node, ("rubric", "red_flags")))
        elif kind == "turn_cues":
            tc = TurnCueFile.model_validate(data)
            bank.turn_cue_threshold = tc.default_threshold
            for cue in tc.cues:
                _add(bank.turn_cues, cue.id, cue)
        elif kind == "red_flags":
            for flag in RedFlagFile.model_validate(data).red_flags:
                _add(bank.red_flags, flag.id, flag)
        else:
            bank.errors.append(LoadError(path, "kind", _line(node, ("kind",)), f"unknown kind {kind!r}"))
    except ValidationError as e:
        bank.errors.extend(_errors_from(path, node, e, ()))


def _load_questions(path: Path, node: yaml.Node, header: QuestionFile, bank: ScenarioBank,
                    root: Path | None = None) -> None:
    for i, raw in enumerate(header.questions):
        item = dict(raw)
        item.setdefault("roles", [header.role])
        try:
            q = Question.model_validate(item)
        except ValidationError as e:
            bank.errors.extend(_errors_from(path, node, e, ("questions", i)))
            continue
        if q.id in bank.questions and bank.questions[q.id].source == str(path):
            bank.errors.append(LoadError(path, f"questions[{i}].id", _line(node, ("questions", i, "id")),
                                         f"duplicate question id {q.id!r}"))
            continue
        earlier = bank.origins.get(f"question:{q.id}")
        if (earlier is not None and root is not None and root.is_dir() and _within(earlier[0], root)
                and earlier[0].resolve() != path.resolve()):
            # Later *folders* override earlier ones by design; two files of one folder giving the
            # same id is a mistake (which one wins would depend on the file names).
            bank.errors.append(LoadError(path, f"questions[{i}].id", _line(node, ("questions", i, "id")),
                                         f"duplicate question id {q.id!r} (also in {earlier[0]})"))
            continue
        bank.questions[q.id] = q.model_copy(update={"source": q.source or str(path)})
        bank.origins[f"question:{q.id}"] = (path, i, _line(node, ("questions", i, "rubric")))


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _add(table: dict, key: str, value: object) -> None:
    table[key] = value  # later folders override earlier ones, by design


def _cross_check(bank: ScenarioBank) -> None:
    for qid, q in list(bank.questions.items()):
        if q.rubric not in bank.rubrics:
            path, i, line = bank.origins.get(f"question:{qid}", (Path(q.source), None, None))
            fld = f"questions[{i}].rubric" if i is not None else "rubric"
            bank.errors.append(LoadError(path, fld, line,
                                         f"question {qid!r} uses unknown rubric {q.rubric!r}"))
            del bank.questions[qid]
    for rid, r in list(bank.rubrics.items()):
        for fid in (*(r.red_flags or ()), *r.exclude_red_flags):
            if bank.red_flags and fid not in bank.red_flags:
                path, _, line = bank.origins.get(f"rubric:{rid}", (Path(rid), None, None))
                bank.errors.append(LoadError(path, "rubric.red_flags", line,
                                             f"rubric {rid!r} names unknown red flag {fid!r}"))


def _yaml_problem(e: yaml.YAMLError) -> tuple[int | None, str]:
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


def _friendly(msg: str) -> str:
    for old, new in _MESSAGE_WORDS:
        msg = msg.replace(old, new)
    return re.sub(r" or instance of \w+$", "", msg)


def _errors_from(path: Path, node: yaml.Node, e: ValidationError, prefix: tuple) -> list[LoadError]:
    out = []
    for err in e.errors():
        loc = prefix + tuple(err["loc"])
        out.append(LoadError(path, _dotted(loc), _line(node, loc), _friendly(err["msg"])))
    return out


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line(node: yaml.Node | None, loc: tuple) -> int | None:
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


def load_company(path: Path) -> CompanyProfile:
    """Read a company profile (YAML or JSON: name, mission, values, products, keywords)."""
    try:
        data = yamlfiles.load(yamlfiles.read_limited(path, what="company profile"))
        return CompanyProfile.model_validate(data)
    except OSError as e:
        raise ScenarioError(f"cannot read company profile {path}: {e.strerror or e}") from e
    except UnicodeDecodeError:
        raise ScenarioError(f"cannot read company profile {path}: it is not UTF-8 text") from None
    except yaml.YAMLError as e:
        line, problem = _yaml_problem(e)
        where = f"{path}:{line}" if line else str(path)
        raise ScenarioError(f"invalid company profile {where}: not valid YAML: {problem}") from None
    except ValidationError as e:
        first = e.errors()[0]
        field = _dotted(tuple(first["loc"]))
        detail = f"{field}: {_friendly(first['msg'])}" if field else _friendly(first["msg"])
        raise ScenarioError(f"invalid company profile {path}: {detail}") from None
