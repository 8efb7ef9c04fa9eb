"""Loading and validating personas and role-plays: YAML files in, a :class:`RolePlayLibrary` out.

Files live beside the question bank (bundled ``simulator/scenarios/``, the user's data folder,
``extra_dirs``), are read by :func:`simulator.scenarios.read_scenarios` and declare
``kind: persona`` or ``kind: roleplay``; other kinds belong to :mod:`simulator.rubric.bank`, which
skips these. Later folders override earlier ones by id.

Like the bank, a broken file never stops loading: each problem is a :class:`LoadError` naming the
file, the field and the line. Beyond the schema, a role-play is checked as a graph: the start state
and every transition target must exist, every state must be reachable from the start, every state
needs lines, a non-final state needs a way out, at least one outcome must be reachable, the persona
must exist and named rubric criteria must be criteria of the ``de-escalation`` rubric.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from simulator.errors import ScenarioError
from simulator.roleplay.models import Persona, PersonaFile, RolePlay, RolePlayFile
from simulator.rubric.engine import default_bank
from simulator.scenarios import LIBRARY_KINDS, LoadError, ScenarioFile, ScenarioFiles, read_scenarios

RUBRIC = "de-escalation"
KINDS = {"persona": PersonaFile, "roleplay": RolePlayFile}  # the schema of each of LIBRARY_KINDS


@dataclass
class RolePlayLibrary:
    """Personas and role-plays by id, the files read and the errors met on the way."""

    personas: dict[str, Persona] = field(default_factory=dict)
    roleplays: dict[str, RolePlay] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def get_roleplay(self, roleplay_id: str) -> RolePlay:
        try:
            return self.roleplays[roleplay_id]
        except KeyError:
            known = ", ".join(sorted(self.roleplays)) or "none"
            broken = len({e.path for e in self.errors if e.path.is_file()})
            hint = (f"; {broken} persona/role-play file{'s' if broken > 1 else ''} did not load, see "
                    "`interview-sim roleplay --validate`") if broken else ""
            raise ScenarioError(f"no role-play with id {roleplay_id!r} (known: {known}){hint}") from None

    def get_persona(self, persona_id: str) -> Persona:
        try:
            return self.personas[persona_id]
        except KeyError:
            raise ScenarioError(f"no persona with id {persona_id!r}") from None

    def persona_for(self, roleplay: RolePlay) -> Persona:
        return self.get_persona(roleplay.persona)


def load_library(extra_dirs: Sequence[Path] = (), *, include_default: bool = True,
                 criteria: frozenset[str] | None = None, files: ScenarioFiles | None = None) -> RolePlayLibrary:
    """Load and check every persona and role-play; never raises for a bad file (see ``.errors``).

    Args:
        extra_dirs: more folders or single files, loaded after the bundled and user folders.
        include_default: False loads only ``extra_dirs``.
        criteria: the rubric criteria conditions may name (default: the bank's ``de-escalation``).
        files: what :func:`read_scenarios` already read (then ``extra_dirs`` and
            ``include_default`` are not used), so one reading serves the bank and the library.
    """
    if files is None:
        files = read_scenarios(extra_dirs, include_default=include_default, kinds=LIBRARY_KINDS)
    lib = RolePlayLibrary()
    docs: dict[str, ScenarioFile] = {}
    for item in files.walk(LIBRARY_KINDS):
        if isinstance(item, LoadError):
            lib.errors.append(item)
            continue
        lib.files.append(item.path)
        try:
            parsed = KINDS[item.kind].model_validate(item.data)
        except ValidationError as e:
            lib.errors.extend(item.errors_from(e))
            continue
        if isinstance(parsed, PersonaFile):
            lib.personas[parsed.persona.id] = parsed.persona
        else:
            rp = parsed.roleplay.model_copy(update={"source": str(item.path)})
            lib.roleplays[rp.id] = rp
            docs[rp.id] = item
    if criteria is None:
        bank = default_bank()
        criteria = frozenset(c.id for c in bank.rubrics[RUBRIC].criteria) if RUBRIC in bank.rubrics else frozenset()
    for rid in list(lib.roleplays):
        problems = check_roleplay(lib.roleplays[rid], set(lib.personas), criteria)
        if problems:
            doc = docs[rid]  # composed for line numbers only when something is wrong
            lib.errors.extend(doc.error(f, ("roleplay", *loc), m) for f, loc, m in problems)
            del lib.roleplays[rid]
    return lib


Problem = tuple[str, tuple, str]  # (dotted field, location in the YAML under `roleplay`, message)


def check_roleplay(rp: RolePlay, personas: set[str], criteria: frozenset[str]) -> list[Problem]:
    """The graph and cross-reference checks pydantic cannot do; empty when the script is sound."""
    out: list[Problem] = []
    states = rp.states
    if rp.persona not in personas:
        out.append(("roleplay.persona", ("persona",), f"unknown persona {rp.persona!r}"))
    if rp.start not in states:
        out.append(("roleplay.start", ("start",), f"start state {rp.start!r} is not in states"))
    rules = [("always", (), i, t) for i, t in enumerate(rp.always)]
    rules += [(f"states.{s}.transitions", ("states", s, "transitions"), i, t)
              for s, st in states.items() for i, t in enumerate(st.transitions)]
    for where, base, i, t in rules:
        loc = ("always", i) if where == "always" else (*base, i)
        if t.to not in states:
            out.append((f"roleplay.{where}[{i}].to", (*loc, "to"), f"transition to unknown state {t.to!r}"))
        for crit in t.when.criteria:
            if crit not in criteria:
                known = ", ".join(sorted(criteria))
                out.append((f"roleplay.{where}[{i}].when.criteria", (*loc, "when", "criteria"),
                            f"unknown {RUBRIC} criterion {crit!r} (known: {known})"))
    if not rp.opening.strip():
        out.append(("roleplay.opening", ("opening",), "the opening line is blank"))
    if not rp.timeout_line.strip():
        out.append(("roleplay.timeout_line", ("timeout_line",), "the timeout line is blank"))
    for cue, lines in rp.reactions.items():
        if not lines or any(not line.strip() for line in lines):
            out.append((f"roleplay.reactions.{cue}", ("reactions", cue),
                        f"reaction {cue!r} needs at least one non-empty line"))
    for name, st in states.items():
        loc = ("states", name)
        if not st.lines:
            out.append((f"roleplay.states.{name}.lines", loc, f"state {name!r} has no customer lines"))
        for j, line in enumerate(st.lines):
            if not line.strip():
                out.append((f"roleplay.states.{name}.lines[{j}]", (*loc, "lines", j),
                            f"state {name!r} has a blank line (line {j + 1})"))
        if st.outcome is None and not st.transitions and not rp.always:
            out.append((f"roleplay.states.{name}.transitions", loc,
                        f"state {name!r} is a dead end: no transitions and no outcome"))
        if st.outcome is not None and st.transitions:
            out.append((f"roleplay.states.{name}.transitions", (*loc, "transitions"),
                        f"final state {name!r} ({st.outcome}) cannot have transitions"))
    reachable = _reachable(rp)
    for name in states:
        if name not in reachable:
            out.append((f"roleplay.states.{name}", ("states", name),
                        f"state {name!r} is unreachable from start state {rp.start!r}"))
    if rp.start in states and not any(states[s].outcome for s in reachable if s in states):
        out.append(("roleplay.states", ("states",), "no outcome (resolved/escalated/abandoned) is reachable"))
    return out


def _reachable(rp: RolePlay) -> set[str]:
    if rp.start not in rp.states:
        return set()
    seen, todo = {rp.start}, [rp.start]
    while todo:
        st = rp.states.get(todo.pop())
        if st is None or st.outcome is not None:
            continue
        for t in (*st.transitions, *rp.always):
            if t.to not in seen and t.to in rp.states:
                seen.add(t.to)
                todo.append(t.to)
    return seen
