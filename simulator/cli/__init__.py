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
# Aliased: the `config` sub-command module (simulator.cli.config) takes the name `config` in this package.
from simulator import config as cfg
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
    "simulator.cli.config",
)

# Command-line options whose default comes from the settings (simulator.config): option dest -> setting.
# Each of these options defaults to None, so "not given" is told apart from a value.
SETTING_OPTIONS = {
    "engine": "engine", "model": "model", "compute_type": "compute_type", "beam_size": "beam_size",
    "silence": "end_silence_s", "voice": "voice", "rate": "rate",
    "input_device": "input_device", "output_device": "output_device",
}


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
    parser.add_argument(
        "--config", metavar="FILE",
        help=f"settings file to read (default: ${cfg.CONFIG_FILE_ENV} or {cfg.CONFIG_FILE_NAME} in the "
        "platform's user config folder; see `interview-sim config`)",
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
    if args.config:
        path = os.path.abspath(os.path.expanduser(args.config))
        if not os.path.exists(path):
            print(f"interview-sim: --config {printable(args.config)}: no such file", file=sys.stderr)
            return 2
        os.environ[cfg.CONFIG_FILE_ENV] = path
    if getattr(args, "command", None) != "config":  # `config` reports a bad file itself
        try:
            apply_settings(args)
        except SimulatorError as e:
            print(f"interview-sim: {printable(str(e))}", file=sys.stderr)
            return e.exit_code
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


def apply_settings(args: argparse.Namespace) -> cfg.Settings:
    """Fill every option not given on the command line from the settings (defaults < settings file <
    environment < command line). Raises ConfigError (one line) when the file or a variable is bad."""
    settings = cfg.settings()
    for dest, key in SETTING_OPTIONS.items():
        if hasattr(args, dest) and getattr(args, dest) is None:
            setattr(args, dest, getattr(settings, key))
    if getattr(args, "no_filler_recovery", False) is None:
        args.no_filler_recovery = not settings.filler_recovery
    return settings


def _default(args: argparse.Namespace) -> int:
    """With no sub-command, open the app's home screen."""
    from simulator.tui.launch import AudioOptions, run_home  # noqa: PLC0415 - only when the app opens

    return run_home(AudioOptions.from_args(args))
