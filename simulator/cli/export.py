"""``export``: write a stored session's report as HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from simulator.cli.sessions import warn_damage
from simulator.errors import UsageError
from simulator.report.html import render_html
from simulator.report.markdown import render_markdown
from simulator.report.session_json import session_to_dict
from simulator.store import SessionStore


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export")
    p.add_argument("session", metavar="SESSION")
    p.add_argument("--format", choices=("html", "md", "json"), default="html")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        session = store.get_session(args.session)
        answers = store.answers(session.id)
        db, audio = store.path.resolve(), store.root.resolve() / "audio"
        warn_damage(store)
    if args.output and args.output != "-":
        # Never overwrite the database (or its -wal/-shm, backups) or a recording with a report.
        target = Path(args.output).resolve()
        if (target.parent == db.parent and target.name.startswith(db.name)) or audio in target.parents:
            raise UsageError(f"{args.output} is part of the session store; write the report somewhere else")
    if args.format == "json":
        text = json.dumps(session_to_dict(session, answers), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "md":
        text = render_markdown(session, answers)
    else:
        text = render_html(session, answers)
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name to write the report to")
    try:
        # The report holds the transcript (personal data): owner-only, like the store.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from e
    print(f"Wrote {out}")
    return 0
