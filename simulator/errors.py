"""One exception family whose messages are written for the person at the keyboard.

Every stage raises a subclass of :class:`SimulatorError` with a one-line message that says what went
wrong and, where possible, what to do about it. The CLI prints that line and exits non-zero; the app
shows it in a notification. Tracebacks are for logs, never for users.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``: a file name must not be able to move the
    cursor, retitle the window or clear the screen when a message names it."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class SimulatorError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""

    exit_code = 1


class UsageError(SimulatorError):
    """The command line asked for something that cannot be done (unknown engine, bad option)."""

    exit_code = 2


class AudioInputError(SimulatorError):
    """An audio file is missing, unreadable, empty, too long or not audio at all."""


class ModelError(SimulatorError):
    """A speech model is missing, corrupt, or cannot be loaded offline."""


class ScenarioError(SimulatorError):
    """A scenario, rubric or persona file is invalid."""


class DeviceError(SimulatorError):
    """An audio device is missing, busy, or went away."""


class StoreError(SimulatorError):
    """The session store cannot be opened or written."""
