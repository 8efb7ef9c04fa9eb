"""``export``: write a stored session's report as HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.cli.sessions import warn_damage
from simulator.errors import UsageError
from simulator.paths import write_atomically
from simulator.report.html import render_html
from simulator.report.markdown import render_markdown
from simulator.report.session_json import session_to_dict
from simulator.store import SessionStore


REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".json", ".txt")
"""An existing file is replaced by a report only when it is one of these."""


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
        data_dir = store.root.resolve()
        warn_damage(store)
    if args.output and args.output != "-":
        # Never overwrite anything of the data directory with a report: the database (and its
        # -wal/-shm, backups), a recording, a recording recovery moved to lost+found, the log.
        target = Path(args.output).resolve()
        if target == data_dir or data_dir in target.parents:
            raise UsageError(f"{args.output} is in the data directory ({data_dir}); write the report somewhere else")
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
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: no folder {out.parent}")
    if out.exists() and out.suffix.lower() not in REPORT_SUFFIXES:
        # A re-export replaces the last report; anything else there (a recording, a document) is the
        # user's and stays: a typo in -o must not cost it.
        raise UsageError(f"{out} already exists and is not a report ({', '.join(REPORT_SUFFIXES)}); "
                         "choose another file name")
    try:
        # Whole or not at all: a file already there is replaced (renamed over), never written into,
        # so a hard link to it (a recording, say) keeps its bytes. Owner-only (mkstemp), like the
        # store: the report holds the transcript.
        write_atomically(out, lambda f: f.write(text.encode("utf-8")))
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from e
    print(f"Wrote {out}")
    return 0

