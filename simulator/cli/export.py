"""``export``: write a stored session's report as HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
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
    try:
        _write_whole(out, text)
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from e
    print(f"Wrote {out}")
    return 0


def _write_whole(out: Path, text: str) -> None:
    """Write ``out`` whole or not at all: a new file beside it, renamed over it. A file that was
    there is replaced, never written into, so a hard link to it (a recording, say) keeps its bytes,
    and a full disk leaves the old file as it was. Owner-only, like the store: the report holds
    the transcript."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
