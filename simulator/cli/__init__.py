"""The ``interview-sim`` command: argument parsing and dispatch, nothing more.

Each sub-command lives in its own module under ``simulator.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the parsed
arguments and returning an exit code. Errors derived from :class:`SimulatorError` become one line on
stderr and a non-zero exit; nothing else is caught here, so real bugs still show their traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from simulator import __version__
from simulator.cli.practice import add_audio_arguments
from simulator.errors import SimulatorError, printable
from simulator.paths import DATA_DIR_ENV

# Sub-command modules, in the order `--help` lists them.
COMMAND_MODULES = (
    "simulator.cli.score",
    "simulator.cli.listen",
    "simulator.cli.practice",
    "simulator.cli.roleplay",
    "simulator.cli.sessions",
    "simulator.cli.rescore",
    "simulator.cli.export",
    "simulator.cli.attempts",
    "simulator.cli.replay",
    "simulator.cli.scenarios",
    "simulator.cli.models",
    "simulator.cli.devices",
)


class _Parser(argparse.ArgumentParser):
    """argparse prints usage plus a message on error; keep that, but exit 2 with one clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="interview-sim",
        description="Offline, voice-driven mock interviews for customer-service jobs.",
    )
    parser.add_argument("--version", action="version", version=f"interview-sim {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help=f"where sessions, recordings and converted models live (default: ${DATA_DIR_ENV} or "
        "the platform's user data folder)",
    )
    # With no command, `interview-sim` opens the home screen and takes the same audio options as
    # practice and drill (after a command, that command's own options apply).
    add_audio_arguments(parser.add_argument_group("home screen options (with no COMMAND)"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir:
        # Every module resolves the data directory through simulator.paths, which reads this.
        os.environ[DATA_DIR_ENV] = os.path.abspath(os.path.expanduser(args.data_dir))
    func = getattr(args, "func", None)
    if func is None:
        try:
            return _default(args)
        except SimulatorError as e:
            print(f"interview-sim: {printable(str(e))}", file=sys.stderr)
            return e.exit_code
    try:
        return int(func(args) or 0)
    except SimulatorError as e:
        print(f"interview-sim: {printable(str(e))}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interview-sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `interview-sim history | head`: the reader left. Python's own exit flush would raise again,
        # so point stdout at /dev/null (the recipe in the signal module's docs) and exit quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _default(args: argparse.Namespace) -> int:
    """With no sub-command, open the app's home screen."""
    from simulator.tui.launch import AudioOptions, run_home  # noqa: PLC0415 - only when the app opens

    return run_home(AudioOptions.from_args(args))
