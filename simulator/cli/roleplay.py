"""``interview-sim roleplay``: list, validate and play role-play drills in text mode.

``--list`` lists the role-plays; ``--validate [PATH]`` checks persona and role-play files (default:
all) and prints one line per broken file; ``--scenario ID --text`` reads the candidate's turns from
standard input, one per line (blank lines are skipped; type ``...`` for silence), and prints the
customer's replies with a mood meter, then a debrief. With ``--json`` stdout carries exactly one JSON
object (``outcome``, ``turns``, ``score``, ``debrief``); the conversation goes to stderr when typing
interactively and is omitted when input is piped. Piped input that is not UTF-8 text, carries control
bytes, is over 1 MB or has a turn over 12,000 characters is a one-line error. ``--scenario ID``
without ``--text`` opens the app on the spoken role-play (the customer speaks in the persona's voice;
you answer aloud or type).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from simulator import __version__, limits
from simulator.answer.build import typed_report
from simulator.cli.scenarios import nothing_to_check, within
from simulator.cli.options import add_engine_arguments
from simulator.errors import ScenarioError, StoreError, UsageError
from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.library import RolePlayLibrary, load_library
from simulator.roleplay.result import RolePlayResult, Turn
from simulator.roleplay.hearing import judge_turn
from simulator.store import SessionStore
from simulator.store.roleplays import (
    ROLEPLAY_MODE,
    SUMMARY_KEY,
    roleplay_settings,
    roleplay_summary,
    roleplay_turn_question,
)

# A spoken turn at the longest turn limit (600 s) and a fast 200 wpm is about 2,000 words; a line far
# beyond that is a file piped in by mistake, not a turn.
MAX_TURN_CHARS = 12_000
# 40 turns (the most a script allows) of that length, with room to spare.
MAX_INPUT_BYTES = 1_000_000
# C0 controls other than tab and newline, DEL, and lone surrogates (undecodable bytes).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "roleplay",
        description="Practise de-escalation: the simulator plays the customer and reacts to what you say.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="list the role-plays")
    what.add_argument("--validate", nargs="?", const="", metavar="PATH",
                      help="check persona and role-play files (default: all); non-zero exit if any is broken")
    what.add_argument("--scenario", metavar="ID", type=limits.an_id, help="the role-play to run (see --list)")
    parser.add_argument("--text", action="store_true", help="typed mode: your turns from stdin, one per line")
    parser.add_argument("--json", action="store_true", help="print only one JSON object on stdout at the end")
    parser.add_argument("--no-save", action="store_true",
                        help="typed mode: do not keep the role-play in your session history")
    parser.add_argument("--scenarios", metavar="DIR", type=Path, action="append", default=[],
                        help="extra folder of personas and role-plays (repeatable)")
    add_engine_arguments(parser)
    parser.add_argument("--input-device", metavar="DEV", help="spoken mode: microphone (see `devices`)")
    parser.add_argument("--output-device", metavar="DEV", help="spoken mode: speaker")
    parser.add_argument("--silence", type=limits.seconds(0, 30, low_inclusive=False), default=None, metavar="S",
                        help="spoken mode: end every turn after S seconds of silence (default: judged from "
                        "what you said, about 1 s after a finished sentence)")
    parser.set_defaults(func=cmd_roleplay)


def cmd_roleplay(args: argparse.Namespace) -> int:
    if args.list:
        return _list(load_library(args.scenarios))
    if args.validate is not None:
        return _validate(Path(args.validate) if args.validate else None)
    if not args.text:
        if args.json:
            raise UsageError("--json needs --text (the spoken role-play runs in the app)")
        load_library(args.scenarios).get_roleplay(args.scenario)  # an unknown id is a one-line error
        from simulator.tui.launch import AudioOptions  # noqa: PLC0415 - only when the app opens
        from simulator.tui.roleplay_app import run_roleplay  # noqa: PLC0415

        return run_roleplay(args.scenario, AudioOptions.from_args(args), args.scenarios)
    lib = load_library(args.scenarios)
    rp = lib.get_roleplay(args.scenario)
    return _run_text(lib, rp.id, as_json=args.json, save=not args.no_save)


def _list(lib: RolePlayLibrary) -> int:
    rps = sorted(lib.roleplays.values(), key=lambda r: (r.role, r.id))
    width = max((len(r.id) for r in rps), default=2)
    for r in rps:
        print(f"{r.id:<{width}}  {r.role:<15} {r.persona:<29} {r.title}")
    for e in lib.errors:
        print(f"interview-sim: warning: {e}", file=sys.stderr)
    return 0


def _validate(path: Path | None) -> int:
    if path is not None and not path.exists():
        raise ScenarioError(f"{path}: no such file or folder")
    lib = load_library([path] if path else ())
    errors, files = lib.errors, lib.files
    if path is not None:
        target = path.resolve()
        errors = [e for e in errors if within(e.path, target)]
        files = [f for f in files if within(f, target)]
    for e in errors:
        print(e)
    if errors:
        broken = len({e.path for e in errors})
        raise ScenarioError(f"{broken} of {max(len(files), broken)} persona/role-play files are invalid")
    if path is not None and not files:
        raise nothing_to_check(path)
    print(f"ok: {len(files)} files, {len(lib.personas)} personas, {len(lib.roleplays)} role-plays")
    return 0


def _run_text(lib: RolePlayLibrary, roleplay_id: str, *, as_json: bool, save: bool = True) -> int:
    rp = lib.get_roleplay(roleplay_id)
    persona = lib.persona_for(rp)
    interactive = sys.stdin.isatty()
    if interactive:
        lines: Iterator[str] = _typed_lines()
    else:
        piped = [line.strip() for line in _read_stdin().splitlines()]
        piped = [line for line in piped if line]
        if not piped:
            raise UsageError("no turns on standard input: give one candidate turn per line")
        for n, line in enumerate(piped, 1):
            _check_turn(line, n)
        lines = iter(piped)
    # The conversation is for people: stdout normally, stderr under --json when typing, else omitted.
    out: TextIO | None = sys.stdout if not as_json else (sys.stderr if interactive else None)
    session = RolePlaySession(rp, persona)
    log = _TypedLog(rp, persona) if save else None
    _say(out, f"Role-play: {rp.title} ({rp.role}) — customer: {persona.name}")
    _say(out, f"Brief: {rp.brief}")
    _say(out, _customer_line(session.opening))
    ignored = 0
    customer = session.opening.text
    try:
        for text in lines:
            if session.finished:
                ignored += 1
                continue
            if not interactive:
                _say(out, f"You: {text}")
            reply = session.respond(text)
            if log is not None:
                log.turn(len(session.candidate_turns), customer, text)
            customer = reply.text
            _say(out, f"  ({session.candidate_turns[-1].feedback})")
            _say(out, _customer_line(reply))
    finally:
        saved = log.finish(session.result()) if log is not None else None
    result = session.result()
    if as_json:
        payload = result.to_dict()
        payload["ignored_lines"] = ignored
        payload["session"] = saved
        print(json.dumps(payload, ensure_ascii=False))
    else:
        _print_debrief(result, ignored)
    if saved:
        print(f"Saved as session {saved} (see `interview-sim history`; --no-save to skip).",
              file=sys.stderr if as_json else sys.stdout)
    return 1 if log is not None and log.failed else 0  # asked to keep it and could not: not a success


class _TypedLog:
    """Keeps a typed role-play in the session store like a spoken one: a ``roleplay`` session, each
    turn an answer to the customer's line (typed, no audio, scored on the 3C rubric), and the
    outcome, mood trail and debrief at the end. A store that cannot be opened is a warning."""

    def __init__(self, rp, persona) -> None:  # noqa: ANN001
        self.rp = rp
        self.store = None
        self.session_id: str | None = None
        self.failed = False
        try:
            self.store = SessionStore.open()
            settings = {**roleplay_settings(rp, persona, None), "typed": True}
            self.session_id = self.store.start_session(role=rp.role, mode=ROLEPLAY_MODE, settings=settings,
                                                       engine="typed", rubric_version=_rubric_version()).id
        except (StoreError, OSError) as e:
            self._warn(e)

    def turn(self, number: int, customer: str, text: str) -> None:
        if self.store is None or self.session_id is None:
            return
        try:
            report = typed_report(text, judge_turn)
            self.store.add_answer(self.session_id, roleplay_turn_question(self.rp.id, number, customer), report,
                                  None)
        except (StoreError, OSError) as e:
            self._warn(e)

    def finish(self, result: RolePlayResult) -> str | None:
        """Store the outcome and close the session; its id, or None when nothing was saved."""
        if self.store is None or self.session_id is None:
            return None
        try:
            if not self.store.answers(self.session_id):  # nothing said: nothing worth keeping
                self.store.delete_session(self.session_id)
                return None
            self.store.update_session_settings(self.session_id, **{SUMMARY_KEY: roleplay_summary(result)})
            self.store.finish_session(self.session_id)
            return self.session_id
        except (StoreError, OSError) as e:
            self._warn(e)
            return None
        finally:
            if self.store is not None:  # _warn closed it already
                self.store.close()
            self.store = None

    def _warn(self, e: Exception) -> None:
        self.failed = True
        print(f"interview-sim: warning: the role-play is not being saved: {e}", file=sys.stderr)
        if self.store is not None:
            self.store.close()
        self.store = None


def _rubric_version() -> str:
    return f"interview-sim {__version__}"


def _read_stdin() -> str:
    """All of standard input as text; binary or non-UTF-8 input is a usage error, not a turn."""
    raw = getattr(sys.stdin, "buffer", None)
    data = raw.read(MAX_INPUT_BYTES + 1) if raw is not None else sys.stdin.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"standard input is over {MAX_INPUT_BYTES // 1_000_000} MB: "
                         "give one candidate turn per line")
    if isinstance(data, str):  # a text stream (tests swap in StringIO)
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("standard input is not UTF-8 text: give one candidate turn per line") from None


def _check_turn(line: str, number: int) -> None:
    """Refuse a turn that cannot be something a candidate said: binary bytes, or far too long."""
    if _CONTROL.search(line):
        raise UsageError(f"turn {number} contains binary or control characters: "
                         "give plain text, one turn per line")
    if len(line) > MAX_TURN_CHARS:
        raise UsageError(f"turn {number} is {len(line):,} characters long (at most {MAX_TURN_CHARS:,}): "
                         "give one turn per line")


def _typed_lines() -> Iterator[str]:
    number = 0
    while True:
        print("You: ", end="", file=sys.stderr, flush=True)
        try:
            line = sys.stdin.readline()
        except UnicodeDecodeError:
            raise UsageError("what was typed is not UTF-8 text") from None
        if not line:
            return
        line = _CONTROL.sub("", line).strip()  # stray arrow keys and the like, not part of the turn
        if line:
            number += 1
            _check_turn(line, number)
            yield line


def _customer_line(turn: Turn) -> str:
    return f"Customer [mood {turn.mood:3d} {_meter(turn.mood)} {turn.mood_level}]: {turn.text}"


def _meter(mood: int, width: int = 10) -> str:
    filled = round(mood / 100 * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def _say(out: TextIO | None, text: str) -> None:
    if out is not None:
        print(text, file=out, flush=True)


def _print_debrief(result: RolePlayResult, ignored: int) -> None:
    s = result.score
    print()
    print(f"Outcome: {result.outcome} · score {s.overall}/100 "
          f"(de-escalation {s.de_escalation}, final mood {s.final_mood}, outcome +{s.outcome_points})")
    if ignored:
        print(f"({ignored} more line{'s' if ignored > 1 else ''} ignored: the role-play had ended)")
    print("Debrief:")
    for line in result.debrief:
        print(f"  - {line}")
