"""Typed results of speech recognition, shared by every engine.

A :class:`Transcript` records what was said (segments and words with times) and the options that
produced it, the way faster-whisper's own dataclasses do. Times are seconds from the start of the clip.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Word:
    """One recognised word. ``text`` is stripped of surrounding spaces but keeps punctuation."""

    text: str
    start_s: float
    end_s: float
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech the decoder emitted in one piece."""

    text: str
    start_s: float
    end_s: float
    words: tuple[Word, ...] = ()

    def shifted(self, by_s: float) -> Segment:
        """This segment moved ``by_s`` seconds later, its words with it (times kept to the millisecond):
        a part of a recording decoded on its own, put back in the recording's time."""
        words = tuple(replace(w, start_s=round(w.start_s + by_s, 3), end_s=round(w.end_s + by_s, 3))
                      for w in self.words)
        return Segment(self.text, round(self.start_s + by_s, 3), round(self.end_s + by_s, 3), words)


def text_of(segments) -> str:  # noqa: ANN001 - any iterable of segments
    """The segments' texts as one text, a space between each and the empty ones left out."""
    return " ".join(t for t in (s.text.strip() for s in segments) if t)


@dataclass(frozen=True)
class Transcript:
    """What an engine heard in one clip, and how it was configured."""

    text: str
    segments: tuple[Segment, ...]
    engine: str
    model: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Transcriber(Protocol):
    """Anything that turns 16 kHz mono float32 samples into a :class:`Transcript`."""

    engine: str
    model_name: str

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> Transcript: ...
