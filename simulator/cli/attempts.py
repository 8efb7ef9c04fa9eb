"""``interview-sim attempts [QUESTION_ID] [--json]``: your progress on one question.

With a question id: every stored attempt at it side by side, oldest first, with what was added and
dropped between attempts (criteria met, red flags, with the words quoted), how delivery changed, and
a model outline built from the rubric and your own best words (:mod:`simulator.report.progress`).
Without one: the questions you have answered and how often, to pick from.
"""

from __future__ import annotations

import argparse
import json

from simulator import limits
from simulator.errors import ScenarioError, printable
from simulator.store import SessionStore

ROLEPLAY_PREFIX = "roleplay:"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "attempts",
        description="Compare every stored attempt at one question: criteria newly met or no longer met, "
        "red flags that appeared or went away, how pace, fillers, pauses and length changed, and an outline "
        "of the answer from the rubric and your own best words. Without QUESTION_ID, list the questions "
        "you have answered.")
    p.add_argument("question", nargs="?", metavar="QUESTION_ID", type=limits.an_id,
                   help="a question id (see `interview-sim attempts` or `interview-sim scenarios list`)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_attempts)


def run_attempts(args: argparse.Namespace) -> int:
    from simulator.cli.sessions import warn_damage  # noqa: PLC0415

    with SessionStore.open() as store:
        if not args.question:
            rows = store.questions_answered()
            warn_damage(store)
            return _print_questions(rows, as_json=args.json)
        answers = [] if args.question.startswith(ROLEPLAY_PREFIX) else store.attempts(args.question)
        warn_damage(store)
    from simulator.report.progress import progress_from_bank  # noqa: PLC0415
    from simulator.report.progress_text import progress_lines  # noqa: PLC0415
    from simulator.rubric import load_bank  # noqa: PLC0415

    bank = load_bank()
    if not answers and args.question not in bank.questions:
        raise ScenarioError(f"no question {args.question!r} in the bank or your history; "
                            "see `interview-sim attempts` for the questions you have answered")
    progress = progress_from_bank(args.question, answers, bank)
    if args.json:
        print(json.dumps(progress.to_dict(), indent=2, ensure_ascii=False))
        return 0
    for _kind, text in progress_lines(progress):
        print(printable(text))
    return 0


def _print_questions(rows: list[tuple[str, str, int]], *, as_json: bool) -> int:
    if as_json:
        print(json.dumps([{"id": q, "text": t, "attempts": n} for q, t, n in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No answered questions yet. Practise, then compare your attempts here.")
        return 0
    print(f"{'ATTEMPTS':>8}  {'QUESTION ID':<36} QUESTION")
    for qid, text, n in rows:
        print(printable(f"{n:>8}  {qid:<36} {text}"))
    return 0
