"""The ``interview-sim`` command: argument parsing and dispatch, nothing more.

Each sub-command lives in its own module under ``simulator.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the parsed
arguments and returning an exit code. A command's module is imported only when that command is
given (:class:`_Commands`): ``--help`` lists the commands from :data:`COMMANDS`, and importing
every module (each with the parts of the simulator it runs) cost every start about 0.15 s.

Errors derived from :class:`SimulatorError` become one line on stderr and a non-zero exit; nothing
else is caught here, so real bugs still show their traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from simulator import __version__
from simulator.background import settle
# Aliased: the `config` sub-command module (simulator.cli.config) takes the name `config` in this package.
from simulator import config as cfg
from simulator import limits
from simulator.cli.options import add_audio_arguments
from simulator.errors import SimulatorError, printable
from simulator.paths import DATA_DIR_ENV

COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("simulator.cli.score", "transcribe and score a recorded answer"),
    "listen": ("simulator.cli.listen",
               "play a recording into the live answer loop and report, as the app would"),
    "practice": ("simulator.cli.practice", "rehearse spoken answers, feedback after each"),
    "drill": ("simulator.cli.practice", "timed drill: think time, answer limit, auto-advance"),
    "roleplay": ("simulator.cli.roleplay", "role-play drills with a reactive customer"),
    "sessions": ("simulator.cli.sessions", "list, delete or recover stored practice sessions"),
    "history": ("simulator.cli.sessions", "your sessions with pace, fillers and content score over time"),
    "import": ("simulator.cli.rescore", "score an outside recording and keep it as a session"),
    "rescore": ("simulator.cli.rescore", "re-transcribe and re-score a session; originals are kept"),
    "export": ("simulator.cli.export", "write a session report as HTML, Markdown or JSON"),
    "attempts": ("simulator.cli.attempts", "your attempts at one question side by side, and a model outline"),
    "replay": ("simulator.cli.replay", "play back a stored session with its transcript, scores and feedback"),
    "scenarios": ("simulator.cli.scenarios", "list, show and validate interview questions"),
    "models": ("simulator.cli.models",
               "list the speech models available offline, or convert one for openai-whisper"),
    "devices": ("simulator.cli.devices", "list microphones and speakers"),
    "doctor": ("simulator.cli.devices", "check speech, audio and the model, and say what to fix"),
    "config": ("simulator.cli.config", "show the effective settings and where each came from"),
}
"""Every sub-command, in the order ``--help`` lists them: the module that registers it (its options
and what runs it) and its line in ``--help``."""

# Command-line options whose default comes from the settings (simulator.config): option dest -> setting.
# Each of these options defaults to None, so "not given" is told apart from a value.
SETTING_OPTIONS = {
    "engine": "engine", "model": "model", "compute_type": "compute_type", "beam_size": "beam_size",
    "silence": "end_silence_s", "voice": "voice", "rate": "rate",
    "input_device": "input_device", "output_device": "output_device",
}


class _Commands(argparse._SubParsersAction):
    """The sub-commands. Each is added as an empty parser with its line in ``--help``; when it is the
    command given, its module is imported and registers it, and that parser takes the rest of the
    command line (its own ``--help`` included)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - argparse's
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    home_options: list[argparse.Action] = []
    """The home screen's options (``interview-sim --model tiny.en``), given before any command."""

    def __call__(self, parser, namespace, values, option_string=None):  # noqa: ANN001, ANN204
        for action in self.home_options:
            if getattr(namespace, action.dest, action.default) != action.default:
                # The command's own parser would overwrite it with its default, without a word
                # (`--input-device X practice` recorded from the default microphone; stop 44).
                opt = action.option_strings[-1]
                parser.error(f"{opt} before a command is the home screen's option: give it after the command "
                             f"(interview-sim {values[0]} {opt} ...), if that command takes it")
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)

    def load(self, command: str) -> argparse.ArgumentParser:
        """The full parser of ``command``, its module imported and registered on first use."""
        module, _ = COMMANDS[command]
        if command not in self._loaded:
            staging = argparse._SubParsersAction(option_strings=[], prog=self._prog_prefix,
                                                 parser_class=self._parser_class)
            importlib.import_module(module).register(staging)
            for name, sub in staging.choices.items():  # the module's other commands too
                self._name_parser_map[name] = sub
                self._loaded.add(name)
        return self._name_parser_map[command]


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
        "--data-dir", metavar="DIR", type=limits.a_path,
        help=f"where sessions, recordings and converted models live (default: ${DATA_DIR_ENV} or "
        "the platform's user data folder)",
    )
    parser.add_argument(
        "--config", metavar="FILE", type=limits.a_path,
        help=f"settings file to read (default: ${cfg.CONFIG_FILE_ENV} or {cfg.CONFIG_FILE_NAME} in the "
        "platform's user config folder; see `interview-sim config`)",
    )
    # With no command, `interview-sim` opens the home screen and takes the same audio options as
    # practice and drill (after a command, that command's own options apply).
    home = parser.add_argument_group("home screen options (with no COMMAND)")
    add_audio_arguments(home)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                       action=_Commands)
    subparsers.home_options = list(home._group_actions)
    for name, (_, help_line) in COMMANDS.items():
        subparsers.add_parser(name, help=help_line)
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
    if sys.stdout is None:  # started with standard output closed (`>&-`): every report would be lost
        if sys.stderr is not None:
            print("interview-sim: standard output is closed: nowhere to write the output", file=sys.stderr)
        return 2
    output = sys.stdout = _WatchedOutput(sys.stdout)
    try:
        return _written(_run(args), output)
    finally:
        sys.stdout = output.stream
        try:
            settle()  # no worker may still be inside a model's native code when Python shuts down
        except KeyboardInterrupt:  # a second Ctrl-C while waiting: leave at once
            pass


def _run(args: argparse.Namespace) -> int:
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
        _to_devnull(sys.stdout)
        return 141
    except OSError as e:
        if isinstance(sys.stdout, _WatchedOutput) and sys.stdout.failed is e:
            return _cannot_write(e)
        raise


class _WatchedOutput:
    """Standard output, remembering the error of a write that failed (a full disk, /dev/full), so
    that the command ends with one line saying so instead of a traceback."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        return self._watched(self.stream.write, text)

    def flush(self) -> None:
        self._watched(self.stream.flush)

    def _watched(self, call, *args):  # noqa: ANN001, ANN202 - the stream's write or flush
        try:
            return call(*args)
        except BrokenPipeError:  # the reader left: _run's own case, not a failed write
            raise
        except OSError as e:
            self.failed = e
            raise

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def _written(code: int, output: _WatchedOutput) -> int:
    """``code`` once the output is on its way, or 1 if it could not be written."""
    try:
        output.flush()
    except BrokenPipeError:
        _to_devnull(output.stream)
        return 141
    except OSError as e:
        return _cannot_write(e)
    return code


def _cannot_write(error: OSError) -> int:
    print(f"interview-sim: cannot write the output: {error.strerror or error}", file=sys.stderr)
    stream = sys.stdout.stream if isinstance(sys.stdout, _WatchedOutput) else sys.stdout
    if stream is sys.__stdout__:  # Python's exit flush would fail on the same buffer, with a traceback
        _to_devnull(stream)
    return 1


def _to_devnull(stream: TextIO) -> None:
    """Point ``stream``'s file descriptor at /dev/null: what is left in its buffer goes nowhere."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, AttributeError, ValueError):
        pass


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
