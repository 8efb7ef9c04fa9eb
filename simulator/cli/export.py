"""``export``: write a stored session's report as HTML, Markdown or JSON."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from simulator import limits
from simulator.cli.sessions import warn_damage
from simulator.errors import UsageError
from simulator.paths import write_atomically
from simulator.report.html import render_html
from simulator.report.markdown import render_markdown
from simulator.report.session_json import session_to_dict
from simulator.store import SessionStore


REPORT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".json", ".txt")
"""An existing file is replaced by a report only when it is one of these ..."""

WRITTEN_BY_EXPORT = re.compile(
    r"<title>(?:Interview|Role-play) practice [\w-]+</title>"  # HTML
    r"|\A# (?:Interview|Role-play) practice — [^\n]*\n\n- Session: `"  # Markdown
    r'|\A\{\s*"schema": "interview-sim/session-export/'  # JSON
)
"""... and holds a report this command wrote (or nothing at all): ``-o notes.md`` must not replace
the user's own notes. Looked for in the file's first :data:`HEAD_BYTES`."""
HEAD_BYTES = 4096


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export")
    p.add_argument("session", metavar="SESSION", type=limits.an_id)
    p.add_argument("--format", choices=("html", "md", "json"), default="html")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    if args.output is not None and not args.output.strip():
        raise UsageError("-o needs a file name (or - for standard output)")
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
    if out.exists() and not _replaceable(out):
        # A re-export replaces the last report; anything else there (a recording, a document, notes
        # of the user's own) stays: a typo in -o must not cost it.
        raise UsageError(f"{out} already exists and is not a report this command wrote; choose another file name")
    try:
        # Whole or not at all: a file already there is replaced (renamed over), never written into,
        # so a hard link to it (a recording, say) keeps its bytes. Owner-only (mkstemp), like the
        # store: the report holds the transcript.
        write_atomically(out, lambda f: f.write(text.encode("utf-8")))
    except OSError as e:
        raise UsageError(f"cannot write {out}: {e.strerror or e}") from e
    print(f"Wrote {out}")
    return 0


def _replaceable(path: Path) -> bool:
    """Whether an existing ``path`` may be replaced by a report: a file with a report's suffix that is
    empty or was written by ``export`` (:data:`WRITTEN_BY_EXPORT`)."""
    if path.suffix.lower() not in REPORT_SUFFIXES or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return False
    text = head.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")  # saved again by an editor
    return not head or WRITTEN_BY_EXPORT.search(text) is not None

