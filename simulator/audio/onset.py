"""Speech that starts before the recording does: the think time of a drill.

A drill counts down a think time before the answer. A candidate who is ready does what people do:
starts talking, without pressing the key. The app used to drop everything the microphone heard
before the recording started, so such an answer lost its first sentences. :class:`OnsetWatch`
listens through the think time instead, keeps the last few seconds it heard, and says when speech
began; :class:`Prerolled` then hands the answer loop that audio, from just before the first word,
ahead of the live microphone, so the answer is recorded whole.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer

ONSET_S = 0.3
"""How far one phrase must reach, first voiced frame to last, before the think time counts as an
answer begun. A cough, a chair or a click is shorter; the first word or two of an answer is not."""
PREROLL_S = 0.5
"""Audio kept before the first voiced frame: the quiet onset of a first consonant, and the half of
the endpointer's phrase padding that falls before it."""
KEPT_S = 5.0
"""How much of the think time is kept while no voice has been heard (bounded, however long the
think time)."""


class OnsetWatch:
    """Feed it the microphone's blocks during the think time; :attr:`heard` turns true when an answer
    has begun, and :meth:`preroll` is the audio to start the recording with."""

    def __init__(self) -> None:
        self._endpointer = Endpointer(EndpointConfig())
        self._blocks: deque[tuple[int, np.ndarray]] = deque()  # (first sample, block)
        self._seen = 0
        self._began: int | None = None  # the first voiced sample of the answer, once heard

    @property
    def level_db(self) -> float:
        return self._endpointer.last_level_db

    @property
    def heard(self) -> bool:
        return self._began is not None

    def feed(self, block: np.ndarray) -> bool:
        """Take one block; True once speech has begun."""
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        self._blocks.append((self._seen, block))
        self._seen += len(block)
        ep = self._endpointer
        ep.feed(block)
        start = ep.phrase_started_at
        if self._began is None and start is not None and ep.last_voiced_end - start >= ONSET_S * SAMPLE_RATE:
            self._began = start
        if not self.heard:
            kept_from = self._seen - int(KEPT_S * SAMPLE_RATE)
            while self._blocks and self._blocks[0][0] + len(self._blocks[0][1]) <= kept_from:
                self._blocks.popleft()
        return self.heard

    def preroll(self) -> np.ndarray:
        """The audio the answer starts with: from :data:`PREROLL_S` before the first voiced frame to
        now, when speech began or voice is going on as the think time ends; else nothing (the think
        time's silence is not part of the answer)."""
        ep = self._endpointer
        start = self._began if self._began is not None else ep.phrase_started_at
        if start is None:
            voiced_lately = ep.last_voiced_end > 0 and self._seen - ep.last_voiced_end < int(PREROLL_S * SAMPLE_RATE)
            if not voiced_lately:
                return np.zeros(0, dtype=np.float32)
            # Voice in the last moment that was not yet long enough to count: the first syllable of
            # an answer whose think time ran out (or whose key was pressed) as it began.
            start = ep.last_voiced_end - int(ONSET_S * SAMPLE_RATE)
        start = max(0, start - int(PREROLL_S * SAMPLE_RATE))
        parts = [b[max(0, start - at):] for at, b in self._blocks if at + len(b) > start]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


class Prerolled:
    """An :class:`~simulator.audio.capture.AudioSource` that first hands out ``preroll`` (in blocks of
    the live source's size) and then the live source's own blocks."""

    def __init__(self, source, preroll: np.ndarray, block: int = int(0.1 * SAMPLE_RATE)) -> None:  # noqa: ANN001
        self._source = source
        self._pending = [preroll[i:i + block] for i in range(0, len(preroll), block)]

    @property
    def overflows(self) -> int:
        return self._source.overflows

    def start(self) -> None:
        self._source.start()

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        if self._pending:
            return self._pending.pop(0)
        return self._source.read(timeout_s)

    def stop(self) -> None:
        self._source.stop()
