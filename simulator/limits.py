"""The documented limits on what the program reads, and the checks that enforce them up front.

Every file a user hands over has a size limit checked before it is read in full (so a huge file,
``/dev/zero`` or an endless pipe is one line, not minutes of work or a MemoryError), and every
number on the command line is checked against a sensible range before anything is loaded (so
``--beam-size 100000`` is refused at once instead of growing to gigabytes after the model loads).

=================================  ==========
what                               limit
=================================  ==========
typed answer (``score --text``)    50 KB
job description                    1 MB
scenario, role-play, company file  1 MB
settings file (``config.toml``)    100 KB
audio                              15 minutes (:mod:`simulator.audio.files`)
=================================  ==========
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

MAX_ANSWER_TEXT_BYTES = 50_000
"""About 8,000 words: more than 15 minutes of speech (the audio limit) at any pace. Scoring time and
memory grow with length (a 2 MB answer took minutes and up to 1 GB), so the bound is kept near what
an answer can be."""
MAX_JOB_DESCRIPTION_BYTES = 1_000_000
MAX_SCENARIO_FILE_BYTES = 1_000_000
MAX_CONFIG_FILE_BYTES = 100_000
"""A settings file is a few dozen lines (:mod:`simulator.config`)."""


class FileTooLargeError(OSError):
    """The file is over its size limit (found without reading past the limit)."""


def size_text(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} KB"


def read_bytes_limited(f: BinaryIO, limit: int, what: str) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(f"the {what} is larger than the {size_text(limit)} limit")
    return data


def read_limited(path: str | Path, limit: int, *, what: str = "file") -> str:
    """The UTF-8 text of ``path``, refusing more than ``limit`` bytes without reading them all.

    Raises:
        FileTooLargeError: more than ``limit`` bytes (an OSError whose message names the limit).
        OSError, UnicodeDecodeError: as ``Path.read_text``.
    """
    with open(path, "rb") as f:
        return read_bytes_limited(f, limit, what).decode("utf-8")


def is_binary(text: str) -> bool:
    """Text a person typed has no NUL and almost no other control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text[:100_000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > 0.01 * min(len(text), 100_000)


# --- numbers on the command line -----------------------------------------------------------------


MAX_ID_CHARS = 200
"""The longest id a command takes (a question, rubric, session or role-play id): the bundled ones
are under 40 characters; a longer one is a paste gone wrong, and would be echoed in full."""

MAX_PROMPT_CHARS = 1000
"""The longest ``--prompt``: Whisper reads at most 224 tokens of it (about 900 characters of
English); 100 KB took 1.1 GB of memory and replaced the answer's first words (stop 42)."""


def an_id(text: str) -> str:
    """An argparse ``type``: an id, not empty and not absurdly long."""
    if not text.strip():
        raise argparse.ArgumentTypeError("cannot be empty")
    if len(text) > MAX_ID_CHARS:
        raise argparse.ArgumentTypeError(f"is {len(text)} characters long: no id is over {MAX_ID_CHARS}")
    return text


def a_path(text: str) -> str:
    """An argparse ``type``: a file or folder, not empty (``--data-dir "$DIR"`` with DIR unset fell
    back on the user's own data folder without a word; stop 44's explorer)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("cannot be empty")
    return text


def prompt_text(text: str) -> str:
    """An argparse ``type``: words to prime the recogniser with, at most :data:`MAX_PROMPT_CHARS`."""
    if len(text) > MAX_PROMPT_CHARS:
        raise argparse.ArgumentTypeError(f"is {len(text)} characters long; Whisper reads at most about "
                                         f"{MAX_PROMPT_CHARS} (give the names and jargon only)")
    return text


def whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, not {text}")
        return value

    return parse


def seconds(low: float, high: float, *, low_inclusive: bool = True) -> Callable[[str], float]:
    """An argparse ``type``: a finite number of seconds from ``low`` to ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        ok = math.isfinite(value) and (value >= low if low_inclusive else value > low) and value <= high
        if not ok:
            lo = f"{low:g}" if low_inclusive else f"more than {low:g}"
            raise argparse.ArgumentTypeError(f"must be a number of seconds from {lo} to {high:g}, not {text}")
        return value

    return parse


def unreadable_value(error: Exception) -> str:
    """Why a value a parser accepted could not be built, in the user's terms: Python's message for an
    integer of thousands of digits tells a programmer how to raise the limit."""
    text = str(error)
    if "integer string conversion" in text:
        return "a number with thousands of digits"
    return text
