"""Messages the workers post to the screens: small dataclasses wrapping domain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the messages carry them; the answer loop makes them (imported when it runs)
    from simulator.session.events import Ended, Level, Pause, Reported, Resumed


@dataclass
class ModelReady(Message):
    label: str


@dataclass
class ModelFailed(Message):
    error: str


@dataclass
class LevelChanged(Message):
    level: Level


@dataclass
class PartialTranscript(Message):
    text: str


@dataclass
class AnswerEnded(Message):
    ended: Ended


@dataclass
class AnswerReady(Message):
    reported: Reported


@dataclass
class AnswerPaused(Message):
    pause: Pause


@dataclass
class AnswerResumed(Message):
    resumed: Resumed


@dataclass
class AnswerSettled(Message):
    """The answer is over for good (no resuming): the last report is the one to keep."""

    reported: Reported


@dataclass
class AnswerFailed(Message):
    error: str
    microphone_failed: bool = False
    """The microphone could not be opened or stopped (a DeviceError): spoken answers go off."""


@dataclass
class SpeakingDone(Message):
    error: str = ""


@dataclass
class SpeakingStarted(Message):
    """The question's audio is about to play (posted from the speaking worker just before ``play``)."""


@dataclass
class ThinkTimeHeard(Message):
    """What the microphone hears during a drill's think time (``started``: the candidate began to
    answer)."""

    level_db: float
    started: bool = False


@dataclass
class WarmedUp(Message):
    """The app's warm-up (screens and role-plays loaded ahead of need) is over."""
