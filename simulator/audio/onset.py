"""Speech that starts before the recording does: the think time of a drill, the question's end.

A drill counts down a think time before the answer. A candidate who is ready does what people do:
starts talking, without pressing the key. The app used to drop everything the microphone heard
before the recording started, so such an answer lost its first sentences. :class:`OnsetWatch`
listens through the think time instead, keeps the last few seconds it heard, and says when speech
began; :class:`Prerolled` then hands the answer loop that audio, from just before the first word,
ahead of the live microphone, so the answer is recorded whole.

In rehearsal the answer starts as the question ends, and a candidate may begin a moment before it
does ("Sure, so..." over the question's last word). :class:`TalkOver` keeps the microphone's last
seconds of the question and gives the answer the part of them that the candidate's voice runs
across the question's end from; when nobody spoke over it, none.
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

    def __init__(self, source, preroll: np.ndarray, block: int = int(0.1 * SAMPLE_RATE), *,  # noqa: ANN001
                 spoken_over_s: float = 0.0) -> None:
        self._source = source
        self._pending = [preroll[i:i + block] for i in range(0, len(preroll), block)]
        self.spoken_over_s = spoken_over_s
        """How much of ``preroll``, about, the question was still playing in (see :class:`TalkOver`)."""

    def take_pending(self) -> list[np.ndarray]:
        """The blocks not handed out yet, taken (reading goes on with the live source)."""
        pending, self._pending = self._pending, []
        return pending

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


TALK_OVER_S = 1.5
"""At most this much of the question's end is given to an answer spoken over it: a first word or
two. The end is where playback finished, 0.2-0.3 s after the last word is heard (the rendered
speech's own trailing silence, the device's latency; measured on a PulseAudio sound card), so this
reaches about 1.2 s before the last word. An answer begun earlier was not an answer to the question
as asked."""
TALK_OVER_HEARD_S = 3.0
"""The question's last seconds the microphone's backlog hands over: the room's level is judged on
them (the endpointer's noise floor), and the talk-over is found at their end."""
LOOK_S = 0.4
"""Live audio looked at after the question's end before deciding whether voice ran across it."""
ACROSS_S = 0.25
"""Voice must go on this long past the question's end to be the candidate's: the speaker's echo of
the question, heard by the microphone, ends with it (a room's reverberation is over well before)."""
AT_END_S = 0.1
"""...and be there in its last moment. The rendered question ends in about 0.25 s of its own silence
(pyttsx3's espeak), so a speaker's echo has stopped by then, and an answer begun just after the
question, as soon as the app listens, does not have the echo's last words glued to its first."""


def spoken_over(backlog: np.ndarray, look: np.ndarray) -> int:
    """How many of ``backlog``'s last samples the answer starts with: the candidate's voice from
    just before it began (:data:`PREROLL_S`, at most :data:`TALK_OVER_S`), when one phrase runs from
    inside the backlog across its end (voiced in its last :data:`AT_END_S`) and on through
    :data:`ACROSS_S` of ``look``; else 0.

    The phrase may also hold the speaker's echo of the question's last words when the candidate
    started a moment after them: the transcript drops those (:mod:`simulator.speech.echo`)."""
    ep = Endpointer(EndpointConfig())
    ep.feed(backlog)
    boundary = len(backlog)
    if boundary - ep.last_voiced_end > AT_END_S * SAMPLE_RATE or ep.last_voiced_end == 0:
        return 0
    ep.feed(look)
    start = ep.phrase_started_at
    if start is None or start >= boundary or ep.last_voiced_end < boundary + int(ACROSS_S * SAMPLE_RATE):
        return 0
    return boundary - max(start - int(PREROLL_S * SAMPLE_RATE), boundary - int(TALK_OVER_S * SAMPLE_RATE), 0)


class TalkOver(Prerolled):
    """An :class:`~simulator.audio.capture.AudioSource` for the answer that starts as the question
    ends: the live source's first :data:`LOOK_S` decide how much of ``backlog`` (the question's last
    seconds, as the microphone heard them) goes ahead of it (:func:`spoken_over`), then its own
    blocks follow. :attr:`spoken_over_s` says how much did, once decided."""

    def __init__(self, source, backlog: np.ndarray, block: int = int(0.1 * SAMPLE_RATE)) -> None:  # noqa: ANN001
        super().__init__(source, np.zeros(0, dtype=np.float32), block)
        self._backlog = np.asarray(backlog, dtype=np.float32).reshape(-1)
        self._block = block
        self._look: list[np.ndarray] = []
        self._deciding = True

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        while self._deciding:
            block = self._source.read(timeout_s)
            if block is None:
                return None
            self._look.append(np.asarray(block, dtype=np.float32).reshape(-1))
            if sum(len(b) for b in self._look) >= LOOK_S * SAMPLE_RATE:
                self._decide()
        return super().read(timeout_s)

    def take_pending(self) -> list[np.ndarray]:
        """As :meth:`Prerolled.take_pending`; while still deciding, the live blocks looked at so far
        (the backlog is not handed out undecided)."""
        if self._deciding:
            look, self._look = self._look, []
            return look
        return super().take_pending()

    def _decide(self) -> None:
        look = np.concatenate(self._look)
        kept = spoken_over(self._backlog, look)
        self.spoken_over_s = kept / SAMPLE_RATE
        head = self._backlog[len(self._backlog) - kept:] if kept else self._backlog[:0]
        self._pending = [head[i:i + self._block] for i in range(0, len(head), self._block)] + self._look
        self._backlog, self._look, self._deciding = self._backlog[:0], [], False
