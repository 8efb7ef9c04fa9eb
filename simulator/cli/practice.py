"""``interview-sim practice`` (rehearsal) and ``interview-sim drill`` (timed): start the app on a plan."""

from __future__ import annotations

import argparse
import json
import sys
from typing import get_args

from simulator import limits
from simulator.cli.options import add_audio_arguments
from simulator.errors import StoreError, UsageError
from simulator.paths import data_dir
from simulator.roleplay.followups import follow_up_limit
from simulator.rubric import load_bank
from simulator.rubric.models import RoleFamily
from simulator.session.interview import Interview, Plan
from simulator.session.planner import history_from_store, plan_rows
from simulator.store.store import DB_NAME, SessionStore


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("practice", description="Untimed rehearsal: each question is spoken and shown, you answer "
                              "aloud (or type), and feedback follows each answer.")
    _common(p)
    p.set_defaults(func=run_practice)
    d = subparsers.add_parser("drill", description="Timed drill: think-time countdown, hard answer limit (from the "
                              "question's target length unless --limit), automatic move to the next question.")
    _common(d)
    d.add_argument("--think", type=limits.seconds(0, 600), metavar="S", help="think time in seconds (default 15; rapid 5)")
    d.add_argument("--limit", type=limits.seconds(5, 900), metavar="S", help="answer limit in seconds (default: the question's)")
    d.add_argument("--rapid", action="store_true", help="rapid fire: short think time, 30 s answers")
    d.set_defaults(func=run_drill)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", default="general",
                   help="role family: general, retail, call-centre, hospitality, saas-support, remote-support")
    p.add_argument("--questions", type=limits.whole(1, 500), default=5, metavar="N", help="how many questions (default 5)")
    p.add_argument("--seed", type=limits.whole(-(2**63), 2**63 - 1),
                   help="a fixed set of questions: the same seed gives the same ones")
    p.add_argument("--plan", action="store_true",
                   help="print the questions a session would ask and exit (with --json: [{id, rubric, text}])")
    p.add_argument("--json", action="store_true", help="with --plan: print a JSON array")
    add_audio_arguments(p)
    p.add_argument("--follow-ups", default="one", metavar="off|one|N",
                   help="interviewer follow-ups after each main answer: off, one (default) or up to N")


def _validate(args: argparse.Namespace) -> None:
    if args.role not in get_args(RoleFamily):
        raise UsageError(f"unknown role {args.role!r}: use one of {', '.join(get_args(RoleFamily))}")
    if args.questions < 1:
        raise UsageError("--questions must be at least 1")
    try:
        follow_up_limit(_follow_ups(args))
    except ValueError as e:
        raise UsageError(f"--follow-ups: {e}") from e


def _follow_ups(args: argparse.Namespace) -> str | int:
    value = str(getattr(args, "follow_ups", "one")).strip().lower()
    return int(value) if value.isdigit() else value


def run_practice(args: argparse.Namespace) -> int:
    return _run(args, "rehearsal")


def run_drill(args: argparse.Namespace) -> int:
    return _run(args, "rapid" if args.rapid else "drill")


def _run(args: argparse.Namespace, mode: str) -> int:
    _validate(args)
    plan = Plan(role=args.role, mode=mode, count=args.questions,  # type: ignore[arg-type]
                think_s=getattr(args, "think", None), limit_s=getattr(args, "limit", None), seed=args.seed,
                follow_ups=_follow_ups(args))
    if args.plan:
        return print_plan(plan, as_json=args.json)
    if args.json:
        raise UsageError("--json needs --plan (a session runs in the app)")
    from simulator.tui.launch import AudioOptions, run_app  # noqa: PLC0415 - only when the app opens

    return run_app(plan, AudioOptions.from_args(args), start_immediately=True)


def print_plan(plan, *, as_json: bool) -> int:  # noqa: ANN001 - a simulator.session.interview.Plan
    """Print the questions a session on ``plan`` would ask, as the app would choose them now (the
    store's history included, unless ``--seed`` fixes the set); nothing is started or stored."""
    history = None if plan.seed is not None else _stored_history()
    rows = plan_rows(Interview.from_bank(plan, load_bank(), history).questions)
    if len(rows) < plan.count:
        print(f"interview-sim: note: {plan.count} questions asked for, and the bank has {len(rows)} for this "
              "role: all of them", file=sys.stderr)
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    width = max(len(r["id"]) for r in rows)
    rwidth = max(len(r["rubric"]) for r in rows)
    for n, r in enumerate(rows, 1):
        print(f"{n:>2}. {r['id']:<{width}}  {r['rubric']:<{rwidth}}  {r['text']}")
    return 0


def _stored_history():  # noqa: ANN202 - PracticeHistory | None
    """What the user has practised, if a session store exists (``--plan`` never creates one)."""
    try:
        path = data_dir() / DB_NAME
        if not path.is_file():
            return None
        with SessionStore.open(path) as store:
            return history_from_store(store)
    except (StoreError, OSError):
        return None
