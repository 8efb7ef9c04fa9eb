"""The question bank: scenario files of the bank's kinds in, a validated :class:`ScenarioBank` out.

Files are read by :func:`simulator.scenarios.read_scenarios` from the bundled
``simulator/scenarios/`` folder (package data), the user's data directory
(``simulator.paths.data_dir()/scenarios``) and any ``--scenarios DIR``; later folders override
earlier ones by id, so a coach can replace a question without copying the bank. Each file declares
its ``kind``: questions, rubric and red_flags are loaded here; persona and roleplay are
the role-play library's (:mod:`simulator.roleplay.library`).

A broken file never stops the bank: it becomes a :class:`LoadError` naming the file, the field and
the line, and everything else still loads. Questions are validated one by one for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    TRUSTED,
    RubricFile,
)
from simulator.scenarios import BANK_KINDS, LoadError, ScenarioFile, ScenarioFiles, read_scenarios
from simulator.scenarios.loader import dotted, friendly, yaml_problem

__all__ = ["LoadError", "ScenarioBank", "load_bank", "load_company"]


@dataclass
class ScenarioBank:
    """Everything loaded: questions and rubrics by id, red flags, and the errors met on the way."""

    questions: dict[str, Question] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    red_flags: dict[str, RedFlag] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # Where each question / rubric came from (file, index, and the file and place in it whose line
    # a cross-check error points at: the line is looked up only then, composing the file's YAML).
    origins: dict[str, tuple[Path, int | None, ScenarioFile | None, tuple]] = field(default_factory=dict,
                                                                                  repr=False)
    # A question refused as a duplicate of one loaded earlier in the same folder, by id: used if the
    # earlier one names an unknown rubric (the cross-check drops that one).
    refused_duplicates: dict[str, list[tuple[Question, tuple]]] = field(default_factory=dict, repr=False)

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


def load_bank(extra_dirs: Sequence[Path] = (), *, include_default: bool = True,
              files: ScenarioFiles | None = None) -> ScenarioBank:
    """Load and cross-check every scenario file; never raises for a bad file (see ``.errors``).

    Args:
        extra_dirs: more folders (or single files) to load after the bundled and user folders.
        include_default: False loads only ``extra_dirs`` (used by ``scenarios validate PATH``).
        files: what :func:`read_scenarios` already read (then ``extra_dirs`` and
            ``include_default`` are not used), so one reading serves the bank and the library.
    """
    if files is None:
        files = read_scenarios(extra_dirs, include_default=include_default)
    bank = ScenarioBank(files=list(files.files))
    # Every problem met while reading is the bank's to report (the library reports only its own).
    for item in files.walk():
        if isinstance(item, LoadError):
            bank.errors.append(item)
        elif item.kind in BANK_KINDS:
            _load_file(item, bank)
    _cross_check(bank)
    return bank


def _load_file(doc: ScenarioFile, bank: ScenarioBank) -> None:
    kind, data = doc.kind, doc.data
    context = {TRUSTED: doc.bundled}
    try:
        if kind == "questions":
            header = QuestionFile.model_validate(data, context=context)
            _load_questions(doc, header, bank)
        elif kind == "rubric":
            rubric = RubricFile.model_validate(data, context=context).rubric
            _add(bank.rubrics, rubric.id, rubric)
            bank.origins[f"rubric:{rubric.id}"] = (doc.path, None, doc, ("rubric", "red_flags"))
        elif kind == "red_flags":
            for flag in RedFlagFile.model_validate(data, context=context).red_flags:
                _add(bank.red_flags, flag.id, flag)
    except ValidationError as e:
        bank.errors.extend(doc.errors_from(e))


def _load_questions(doc: ScenarioFile, header: QuestionFile, bank: ScenarioBank) -> None:
    path, root = doc.path, doc.root
    for i, raw in enumerate(header.questions):
        item = dict(raw)
        item.setdefault("roles", [header.role])
        try:
            q = Question.model_validate(item, context={TRUSTED: doc.bundled})
        except ValidationError as e:
            bank.errors.extend(doc.errors_from(e, ("questions", i)))
            continue
        if q.id in bank.questions and bank.questions[q.id].source == str(path):
            bank.errors.append(doc.error(f"questions[{i}].id", ("questions", i, "id"),
                                         f"duplicate question id {q.id!r}"))
            continue
        earlier = bank.origins.get(f"question:{q.id}")
        if (earlier is not None and root.is_dir() and _within(earlier[0], root)
                and earlier[0].resolve() != path.resolve()):
            # Later *folders* override earlier ones by design; two files of one folder giving the
            # same id is a mistake (which one wins would depend on the file names).
            bank.errors.append(doc.error(f"questions[{i}].id", ("questions", i, "id"),
                                         f"duplicate question id {q.id!r} (also in {earlier[0]})"))
            # Kept aside: if the one loaded first turns out unusable (an unknown rubric), this one
            # is used, and the user's valid question is not lost with the broken one.
            bank.refused_duplicates.setdefault(q.id, []).append(
                (q.model_copy(update={"source": q.source or str(path)}), (path, i, doc, ("questions", i, "rubric"))))
            continue
        bank.questions[q.id] = q.model_copy(update={"source": q.source or str(path)})
        bank.origins[f"question:{q.id}"] = (path, i, doc, ("questions", i, "rubric"))


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
            path, i, doc, loc = bank.origins.get(f"question:{qid}", (Path(q.source), None, None, ()))
            fld = f"questions[{i}].rubric" if i is not None else "rubric"
            line = doc.line(loc) if doc is not None else None
            bank.errors.append(LoadError(path, fld, line,
                                         f"question {qid!r} uses unknown rubric {q.rubric!r}"))
            del bank.questions[qid]
            spare = next((d for d in bank.refused_duplicates.get(qid, ()) if d[0].rubric in bank.rubrics), None)
            if spare is not None:
                bank.questions[qid] = spare[0]
                bank.origins[f"question:{qid}"] = spare[1]
    for rid, r in list(bank.rubrics.items()):
        for fid in (*(r.red_flags or ()), *r.exclude_red_flags):
            if bank.red_flags and fid not in bank.red_flags:
                path, _, doc, loc = bank.origins.get(f"rubric:{rid}", (Path(rid), None, None, ()))
                line = doc.line(loc) if doc is not None else None
                bank.errors.append(LoadError(path, "rubric.red_flags", line,
                                             f"rubric {rid!r} names unknown red flag {fid!r}"))


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
        line, problem = yaml_problem(e)
        where = f"{path}:{line}" if line else str(path)
        raise ScenarioError(f"invalid company profile {where}: not valid YAML: {problem}") from None
    except ValidationError as e:
        first = e.errors()[0]
        field = dotted(tuple(first["loc"]))
        detail = f"{field}: {friendly(first['msg'])}" if field else friendly(first["msg"])
        raise ScenarioError(f"invalid company profile {path}: {detail}") from None
