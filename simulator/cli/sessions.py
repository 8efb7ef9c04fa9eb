"""Session commands: ``sessions list|delete|recover`` and ``history``.

All of them work on the local session store (:mod:`simulator.store`); nothing leaves the machine.
``import`` and ``rescore`` live in :mod:`simulator.cli.rescore`, ``export`` in :mod:`simulator.cli.export`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator import limits
from simulator.errors import UsageError, printable
from simulator.report.markdown import local_time
from simulator.store import SessionStore


def register(subparsers: argparse._SubParsersAction) -> None:
    sessions = subparsers.add_parser("sessions",
                                     description="Manage the practice sessions stored on this machine.")
    sub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    p = sub.add_parser("list", help="show stored sessions")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_list)
    p = sub.add_parser("delete", help="delete a session's recordings and results completely")
    p.add_argument("session", nargs="?", metavar="ID", type=limits.an_id, help="session id (or a unique start of it)")
    p.add_argument("--all", action="store_true", help="delete every session")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_delete)
    p = sub.add_parser("recover", help="close sessions interrupted by a crash, keeping all captured audio")
    p.set_defaults(func=run_recover)

    p = subparsers.add_parser("history")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=run_history)


# --- sessions list / delete / recover ------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        sessions = store.list_sessions()
        counts = {s.id: len(store.answers(s.id)) for s in sessions}
        warn_damage(store)
        warn_interrupted(store)
    if args.json:
        print(json.dumps([{"id": s.id, "started_at": s.started_at, "ended_at": s.ended_at, "role": s.role,
                           "mode": s.mode, "status": s.shown_status, "answers": counts[s.id]} for s in sessions],
                         indent=2))
        return 0
    if not sessions:
        print("No sessions stored yet.")
        return 0
    print(f"{'ID':<23} {'STARTED':<17} {'ROLE':<14} {'MODE':<10} {'STATUS':<11} ANSWERS")
    for s in sessions:
        print(f"{s.id:<23} {_when(s.started_at):<17} {s.role or '-':<14} {s.mode or '-':<10} "
              f"{s.shown_status:<11} {counts[s.id]}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    if bool(args.session) == bool(args.all):
        raise UsageError("give one session ID to delete, or --all")
    with SessionStore.open() as store:
        if args.all:
            n = len(store.list_sessions())
            backups = len(store.corrupt_backups())
            extra = f" and {backups} backup(s) of a damaged store" if backups else ""
            _confirm(args, f"Delete all {n} sessions and their recordings{extra}?")
            store.delete_all()
            print(f"Deleted {n} session{'s' if n != 1 else ''} and their recordings{extra}.")
            _say_kept(store.kept_aside())
            warn_unlisted(store, kept=True)
        else:
            session = store.get_session(args.session)
            _confirm(args, f"Delete session {session.id} and its recordings?")
            store.delete_session(session.id)
            print(f"Deleted session {session.id} and its recordings.")
            _say_kept(store.kept_aside())
    return 0


def _say_kept(kept: dict[str, Path]) -> None:
    """Files in a deleted session's folder that the app did not write were kept: say where."""
    for where in kept.values():
        names = sorted(p.name for p in where.iterdir()) if where.is_dir() else []
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        print(printable(f"Kept what the app did not write ({shown}) in {where}"))


def _confirm(args: argparse.Namespace, question: str) -> None:
    if args.yes:
        return
    if not sys.stdin.isatty():
        what = "every session" if args.all else "a session"
        raise UsageError(f"deleting {what} needs --yes when not run interactively")
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:  # Ctrl+D: no answer is no
        answer = ""
        print(file=sys.stderr)
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageError("nothing deleted")


def run_recover(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        results = store.recover()
        lost = store.lost_and_found
    if not results and not lost:
        print("No interrupted sessions to recover.")
        return 0
    for r in results:
        extra = len(r.recordings_attached)
        if r.rebuilt:
            line = f"Rebuilt lost session {r.session.id}: {r.answers_kept} answer(s) restored"
        else:
            line = f"Recovered session {r.session.id}: {r.answers_kept} scored answer(s) kept"
        if extra:
            secs = sum(a.duration_s for a in r.recordings_attached)
            kind = "unscored" if r.rebuilt else "interrupted"
            line += (f", {extra} {kind} recording(s) ({secs:.1f} s) saved; score them with "
                     f"`interview-sim rescore {r.session.id}`")
        print(line + ".")
    for path in lost:
        print(f"Moved {path.name}, which belongs to no session, to {path} (nothing was deleted).")
    return 0


# --- history ----------------------------------------------------------------------------------------


def run_history(args: argparse.Namespace) -> int:
    with SessionStore.open() as store:
        rows = store.summaries()
        warn_damage(store)
        warn_interrupted(store)
    if args.json:
        print(json.dumps([{
            "id": r.session.id, "started_at": r.session.started_at, "role": r.session.role,
            "mode": r.session.mode, "status": r.session.shown_status, "answers": r.answers,
            "mean_wpm": r.mean_wpm, "fillers_per_min": r.fillers_per_min, "content_score": r.content_score,
            "outcome": r.outcome, "roleplay_score": r.roleplay_score,
        } for r in rows], indent=2))
        return 0
    if not rows:
        print("No sessions stored yet. Practise, or score a recording with `interview-sim import`.")
        return 0
    print(f"{'DATE':<17} {'ROLE':<14} {'MODE':<10} {'ANSWERS':>7} {'WPM':>5} {'FILLERS/MIN':>11} "
          f"{'CONTENT':>7}  {'OUTCOME':<16} ID")
    for r in rows:
        # A role-play's score is its debrief's overall score, beside its outcome; never a turn's rubric.
        score = fmt_num(r.roleplay_score if r.is_roleplay else r.content_score, 0)
        outcome = r.outcome or "-"
        print(f"{_when(r.session.started_at):<17} {r.session.role or '-':<14} {r.session.mode or '-':<10} "
              f"{r.answers:>7} {fmt_num(r.mean_wpm, 0):>5} {fmt_num(r.fillers_per_min, 1):>11} "
              f"{score:>7}  {outcome:<16} {r.session.id}")
    return 0


def warn_damage(store: SessionStore) -> None:
    """One line on stderr per damaged row the store skipped (the command still does the rest), and
    one if recordings lie in folders no session lists."""
    for line in store.damaged:
        print(printable(f"interview-sim: warning: {line}"), file=sys.stderr)
    if store.db.unread_changes:  # its folders hold those sessions' recordings: not "unlisted"
        print(printable(f"interview-sim: warning: the session store {store.path} is read-only and its -wal file "
                        "holds changes that cannot be read here: the latest sessions may be missing until it "
                        "is writable again (nothing was changed)"), file=sys.stderr)
        return
    warn_unlisted(store)


def warn_interrupted(store: SessionStore) -> None:
    """Sessions a crash or a kill left in progress: say how their recordings come back (the list
    showed them "in_progress" with no answers and no hint, stop 43)."""
    ids = store.interrupted()
    if ids:
        what = f"session {ids[0]} was" if len(ids) == 1 else f"{len(ids)} sessions were"
        print(printable(f"interview-sim: note: {what} interrupted before it ended (the app stopped): "
                        "`interview-sim sessions recover`, or starting the app, keeps what it recorded as answers "
                        "to score"), file=sys.stderr)


def warn_unlisted(store: SessionStore, *, kept: bool = False) -> None:
    """Audio folders no stored session lists: say where, and how to get them back as sessions."""
    unlisted = store.unlisted_recordings()
    if not unlisted:
        return
    n = len(unlisted)
    what = f"{n} recording folder{'s' if n != 1 else ''} in {unlisted[0].parent}"
    one = n == 1
    verb = (f"{'was' if one else 'were'} kept: no stored session lists {'it' if one else 'them'}" if kept
            else f"{'belongs' if one else 'belong'} to no stored session")
    print(printable(f"interview-sim: warning: {what} {verb} (a damaged store?); `interview-sim sessions "
                    f"recover` rebuilds {'it as a session' if one else 'them as sessions'}"), file=sys.stderr)


# --- formatting -----------------------------------------------------------------------------------


def _when(iso: str) -> str:
    """A stored UTC time as the user's local ``YYYY-MM-DD HH:MM``."""
    return local_time(iso)


def fmt_num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
