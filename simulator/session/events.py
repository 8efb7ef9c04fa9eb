"""What the answer loop tells whoever listens (the app's worker, the CLI, the tests): the level as
the candidate speaks, the words so far, pauses judged, the end of the answer, a resume, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from simulator.audio.endpoint import EndReason
from simulator.session.end_of_turn import Cue

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport


@dataclass(frozen=True)
class Level:
    level_db: float
    elapsed_s: float
    speaking: bool
    speech_started: bool


@dataclass(frozen=True)
class Partial:
    text: str


@dataclass(frozen=True)
class Pause:
    """The cue for the pause going on changed (``Cue.NONE`` again when the candidate speaks)."""

    cue: Cue
    silent_s: float
    why: str = ""


@dataclass(frozen=True)
class Ended:
    reason: EndReason
    duration_s: float
    overflows: int
    message: str = ""
    """What went wrong (a lost device), for an error notice."""
    note: str = ""
    """Why the answer ended, in words, when it was not the candidate's choice."""


@dataclass(frozen=True)
class Resumed:
    """The candidate spoke again ``after_s`` seconds after the answer ended: it goes on."""

    after_s: float


@dataclass(frozen=True)
class LiveStats:
    """How the live loop heard the answer (``listen --json`` prints it as ``live``)."""

    ended_by: str
    end_of_speech_s: float
    """The end of the last voiced frame, from the start of the recording."""
    report_after_last_word_s: float
    """The pause the end-of-turn decision waited, plus the time to build the report."""
    resumed: int
    phrases: int


@dataclass(frozen=True)
class Reported:
    report: AnswerReport
    audio_path: Path | None
    latency_s: float
    """From the end of the answer (endpoint, stop or limit) to the finished report."""
    overflows: int
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    """The recorded answer (mono float32, 16 kHz), so the caller can store it."""
    resumable: bool = False
    """The microphone stays open a moment longer: the answer may resume and be reported again."""
    live: LiveStats | None = None


AnswerEvent = Level | Partial | Pause | Ended | Resumed | Reported


