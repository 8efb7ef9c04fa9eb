"""Options several commands share: the speech engine's, and the audio ones of the app's screens.

Apart from the commands' modules so that the argument parser (:mod:`simulator.cli`), which gives
the bare ``interview-sim`` the audio options, imports none of them until one runs.
"""

from __future__ import annotations

import argparse

from simulator import limits
from simulator.config import DEFAULT_SETTINGS, MAX_BEAM_SIZE, SPEECH_ENGINES


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    """Speech-engine options shared by every command that transcribes. Each defaults to None here and
    is filled from the settings (``interview-sim config``) by :func:`simulator.cli.apply_settings`."""
    d = DEFAULT_SETTINGS
    p.add_argument("--engine",
                   help=f"one of {', '.join(SPEECH_ENGINES)} (default {d.engine}, or the setting)")
    p.add_argument("--model", metavar="NAME_OR_PATH", help="base (bundled, default), tiny.en (bundled, faster, less accurate), another model name, or a folder")
    p.add_argument("--compute-type", help=f"faster-whisper: int8 or float32 (default {d.compute_type}, or the setting)")
    p.add_argument("--beam-size", type=limits.whole(1, MAX_BEAM_SIZE), metavar="N",
                   help=f"beam width, 1 to {MAX_BEAM_SIZE} (1 = greedy; default {d.beam_size}, or the setting)")
    p.add_argument("--download", action="store_true",
                   help="allow the engine to download a model that is not on this machine (needs a network)")


def add_audio_arguments(p: argparse.ArgumentParser) -> None:
    """Speech engine, devices and voice: for practice, drill and the bare ``interview-sim`` (home)."""
    add_engine_arguments(p)
    p.add_argument("--input-device", metavar="DEV", help="microphone: number or part of the name (see `devices`)")
    p.add_argument("--output-device", metavar="DEV", help="speaker: number or part of the name")
    p.add_argument("--voice", help="text-to-speech voice id (espeak-ng voice on Linux)")
    p.add_argument("--rate", type=limits.whole(50, 500), help="speaking rate in words per minute (50 to 500)")
    p.add_argument("--silence", type=limits.seconds(0, 30, low_inclusive=False), default=None, metavar="S",
                   help="end every answer after S seconds of silence (default: judged from what you said, "
                   "about 1 s after a finished answer; thinking pauses are waited through)")
