"""``interview-sim scenarios``: list, show and validate the question bank.

``list`` and ``show`` read the bundled bank plus the user folder and any ``--scenarios DIR``;
``validate [PATH]`` checks one file or folder (default: everything) and prints one line per broken
file naming the file, field and line, exiting non-zero if any file is broken.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from simulator import limits
from simulator.errors import ScenarioError, printable
from simulator.roleplay.library import load_library
from simulator.rubric.bank import LoadError, load_bank
from simulator.rubric.models import ROLE_FAMILIES
from simulator.scenarios import read_scenarios


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("scenarios")
    sub = parser.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)

    p_list = sub.add_parser("list", help="list questions")
    p_list.add_argument("--role", choices=ROLE_FAMILIES, help="only questions for this role family")
    p_list.add_argument("--scenarios", metavar="DIR", type=Path, action="append", default=[])
    p_list.set_defaults(func=cmd_list)

    p_show = sub.add_parser("show", help="show one question with its rubric, tips and follow-ups")
    p_show.add_argument("id", type=limits.an_id)
    p_show.add_argument("--scenarios", metavar="DIR", type=Path, action="append", default=[])
    p_show.set_defaults(func=cmd_show)

    p_val = sub.add_parser("validate", help="check scenario files; non-zero exit if any is broken")
    p_val.add_argument("path", nargs="?", type=Path, help="a file or folder (default: the whole bank)")
    p_val.set_defaults(func=cmd_validate)


def cmd_list(args: argparse.Namespace) -> int:
    bank = load_bank(args.scenarios)
    _warn(bank.errors)
    questions = sorted(bank.questions_for(args.role), key=lambda q: (q.category, q.id))
    width = max((len(q.id) for q in questions), default=2)
    for q in questions:
        print(f"{q.id:<{width}}  {q.category:<18} {q.rubric:<20} {q.text}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    bank = load_bank(args.scenarios)
    try:
        q = bank.get_question(args.id)
    except KeyError:
        raise ScenarioError(f"no question with id {args.id!r}; see `interview-sim scenarios list`") from None
    rubric = bank.get_rubric(q.rubric)
    print(q.text)
    print(f"  id: {q.id}   category: {q.category}   roles: {', '.join(q.roles)}")
    print(f"  target length: {q.target_s[0]}-{q.target_s[1]} s")
    print(f"  rubric: {rubric.id} — {rubric.label}")
    for c in rubric.criteria:
        print(f"    - {c.id}: {c.label}")
    print("  tips:")
    for t in q.tips:
        print(textwrap.indent(textwrap.fill(t, 96), "    • ")[:1000])
    print("  follow-ups:")
    for f in q.follow_ups:
        print(f"    ? {f}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Questions, rubrics and red flags, and the personas and role-plays beside them."""
    extra = []
    if args.path is not None:
        if not args.path.exists():
            raise ScenarioError(f"{args.path}: no such file or folder")
        # Load the bundled bank too, so a user question may use a bundled rubric; report only PATH.
        extra = [args.path]
    # Read once for both (its own problems are in both, said once), every cue pattern checked.
    read = read_scenarios(extra, trust_bundled=False)
    bank, library = load_bank(files=read), load_library(files=read)
    met_reading = set(read.errors())
    errors = [*bank.errors, *(e for e in library.errors if e not in met_reading)]
    files = {f.resolve() for f in bank.files}  # PATH may be a bundled folder, read twice
    if args.path is not None:
        target = args.path.resolve()
        errors = [e for e in errors if within(e.path, target)]
        files = {f for f in files if within(f, target)}
    by_file: dict[Path, list[LoadError]] = {}
    for e in errors:
        by_file.setdefault(e.path.resolve(), []).append(e)
    for errs in by_file.values():
        more = f" (and {len(errs) - 1} more)" if len(errs) > 1 else ""
        print(printable(f"{errs[0]}{more}"))
    if by_file:
        raise ScenarioError(f"{len(by_file)} of {max(len(files), len(by_file))} scenario files are invalid")
    if args.path is not None and not files:
        raise nothing_to_check(args.path)
    print(f"ok: {len(files)} files, {len(bank.questions)} questions, {len(bank.rubrics)} rubrics, "
          f"{len(library.personas)} personas, {len(library.roleplays)} role-plays")
    return 0


def nothing_to_check(path: Path) -> ScenarioError:
    """A folder named for validation that holds no scenario file is not a pass."""
    return ScenarioError(f"{path}: no scenario files in it (YAML files ending .yaml or .yml)")


def within(path: Path, target: Path) -> bool:
    """Whether ``path`` is ``target`` or inside it."""
    p = path.resolve()
    return p == target or target in p.parents


def _warn(errors: list[LoadError]) -> None:
    for e in errors:
        print(printable(f"interview-sim: warning: {e}"), file=sys.stderr)
