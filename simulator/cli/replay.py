"""``interview-sim replay [SESSION]``: open the replay screen on a stored session (the newest by
default), to play answers back with the transcript following along."""

from __future__ import annotations

import argparse

from simulator import limits
from simulator.store import SessionStore


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "replay", description="Open the replay screen: pick an answer, play its audio with the transcript following "
        "word by word (space pause/resume, left/right move by word, [ and ] change speed).")
    p.add_argument("session", nargs="?", type=limits.an_id, help="session id or a unique prefix (default: choose in the app)")
    p.add_argument("--output-device", metavar="DEV", help="speaker: number or part of the name")
    p.set_defaults(func=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    session_id = None
    with SessionStore.open() as store:
        if args.session:
            session_id = store.get_session(args.session).id  # UnknownSessionError: one line, exit 1
    from simulator.tui.launch import AudioOptions  # noqa: PLC0415 - only when the app opens
    from simulator.tui.launch import run_replay as launch  # noqa: PLC0415

    return launch(session_id, AudioOptions(output_device=args.output_device))
