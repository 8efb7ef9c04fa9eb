"""Starting the app for real: build the backends from command-line options and run it quietly.

ALSA and PortAudio write warnings straight to file descriptor 2; while the app runs, fd 2 goes to
``audio.log`` in the data directory so the screen stays clean.

The spoken role-play opened on its own (``roleplay --scenario``) starts from
:func:`simulator.tui.roleplay_app.run_roleplay`, so that starting an interview does not import the
role-play screens and engine (0.06-0.11 s of CPU).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from dataclasses import dataclass

from simulator.audio.devices import quiet_stderr
from simulator.errors import SimulatorError, UsageError
from simulator.paths import data_dir
from simulator.store.connection import saving_folder
from simulator.session.interview import Plan
from simulator.config import settings
from simulator.tui.backends import Backends, LazyTranscriber, SoundDeviceChooser
from simulator.audio.capture import SoundDeviceSource
from simulator.audio.devices import resolve_device
from simulator.audio.playback import NullPlayer, SoundDevicePlayer
from simulator.speech.bundle import DEFAULT_MODEL
from simulator.speech.engines import make_transcriber
from simulator.speech.tts import Pyttsx3Speaker, SilentSpeaker
from simulator.tui.app import create_app


@dataclass(frozen=True)
class AudioOptions:
    """The app's audio options; ``None`` (not given on the command line) takes the setting
    (``interview-sim config``) when the backends are built."""

    engine: str | None = None
    model: str | None = None
    compute_type: str | None = None
    beam_size: int | None = None
    input_device: str | None = None
    output_device: str | None = None
    voice: str | None = None
    rate: int | None = None
    silence_s: float | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AudioOptions:
        return cls(
            engine=getattr(args, "engine", None), model=getattr(args, "model", None),
            compute_type=getattr(args, "compute_type", None), beam_size=getattr(args, "beam_size", None),
            input_device=getattr(args, "input_device", None), output_device=getattr(args, "output_device", None),
            voice=getattr(args, "voice", None), rate=getattr(args, "rate", None),
            silence_s=getattr(args, "silence", None),
        )

    def resolved(self) -> AudioOptions:
        """Every option not given filled from the settings (defaults < file < environment)."""
        s = settings()

        def pick(value, default):  # noqa: ANN001, ANN202
            return default if value is None else value

        return AudioOptions(
            engine=pick(self.engine, s.engine), model=pick(self.model, s.model),
            compute_type=pick(self.compute_type, s.compute_type), beam_size=pick(self.beam_size, s.beam_size),
            input_device=pick(self.input_device, s.input_device),
            output_device=pick(self.output_device, s.output_device),
            voice=pick(self.voice, s.voice), rate=pick(self.rate, s.rate),
            silence_s=pick(self.silence_s, s.end_silence_s),
        )


def build_backends(opts: AudioOptions) -> Backends:
    """Real backends; anything missing degrades (silent speaker, typed answers) with a reason."""
    opts = opts.resolved()
    transcriber = LazyTranscriber(lambda: make_transcriber(
        opts.engine, opts.model, compute_type=opts.compute_type, beam_size=opts.beam_size),
        engine=opts.engine or "", model_name=opts.model or DEFAULT_MODEL)  # the session names it before it loads
    # Answers are recorded through the session store (data_dir()/audio/<session>/); the plain
    # recordings folder is only the fallback when the store cannot be opened.
    backends = Backends(transcriber=transcriber, recordings_dir=data_dir() / "recordings",
                        store_path=data_dir() / "sessions.db", end_silence_s=opts.silence_s,
                        recover_fillers=settings().filler_recovery, devices=SoundDeviceChooser())
    try:
        backends.speaker = Pyttsx3Speaker(voice=opts.voice, rate=opts.rate)
    except Exception:  # noqa: BLE001 - questions are still shown
        backends.speaker = SilentSpeaker()
    try:
        out_index = resolve_device(opts.output_device, "output")
        backends.player = SoundDevicePlayer(out_index)
        backends.output_device = out_index
    except SimulatorError as e:
        backends.player = NullPlayer()
        backends.speaker_problem = str(e)
    try:
        in_index = resolve_device(opts.input_device, "input")
        backends.source_factory = lambda: SoundDeviceSource(in_index)
        backends.input_device = in_index
    except SimulatorError as e:
        backends.source_factory = None
        backends.microphone_problem = str(e)
    return backends


def say_farewell(app, log: Path | None = None) -> None:  # noqa: ANN001 - an InterviewApp
    """Print what the app had to say as it closed, now that standard error is the terminal again,
    and, if it stopped on an error, that error in one line: Textual's report of it went to the audio
    log with standard error, so the app just vanished (stop 44's explorer, a damaged store)."""
    for line in getattr(app, "farewell", ()):
        print(line, file=sys.stderr)
    error = getattr(app, "_exception", None)
    if error is not None:
        where = f"; the full report is in {log}" if log is not None else ""
        print(f"interview-sim: the app stopped on an unexpected error: {type(error).__name__}: {error}{where}",
              file=sys.stderr)


def require_terminal() -> None:
    """The app draws on a terminal and reads its keys: refuse at once without one. With its input
    from a file or /dev/null it waited for keys that never came, and each run killed then left an
    empty session in the history (stop 42's bad-input run)."""
    # Textual reads keys from standard input and draws on standard error (sys.__stderr__).
    for stream, name in ((sys.stdin, "input"), (sys.__stderr__, "error")):
        if stream is None or not stream.isatty():
            raise UsageError(f"the app needs an interactive terminal, and its standard {name} is not one "
                             "(`interview-sim score` and `import` work without one)")


def run_app(plan: Plan | None = None, opts: AudioOptions | None = None, *, start_immediately: bool = False) -> int:
    log = saving_folder() / "audio.log"  # before the screen opens: no answer into a store that cannot keep it
    require_terminal()
    with quiet_stderr(log):
        backends = build_backends(opts or AudioOptions())
        app = create_app(backends, plan, start_immediately=start_immediately)
        app.run()
        backends.speaker.close()
    say_farewell(app, log)
    return int(app.return_code or 0)


def run_home(opts: AudioOptions | None = None) -> int:
    """``interview-sim`` with no command: the home screen, with the audio options given."""
    return run_app(None, opts)


def run_replay(session_id: str | None = None, opts: AudioOptions | None = None) -> int:
    """``interview-sim replay [SESSION]``: the replay screen on its own (no microphone needed)."""
    log = data_dir() / "audio.log"
    require_terminal()
    with quiet_stderr(log):
        backends = build_backends(opts or AudioOptions())
        app = create_app(backends, replay_session=session_id or "")
        app.run()
        backends.speaker.close()
    say_farewell(app, log)
    return int(app.return_code or 0)
