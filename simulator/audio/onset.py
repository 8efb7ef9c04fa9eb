"""Speech that starts before the recording does: the think time of a drill, the question's end.

A drill counts down a think time before the answer. A candidate who is ready does what people do:
starts talking, without pressing the key. The app used to drop everything the microphone heard
before the recording started, so such an answer lost its first sentences. :class:`OnsetWatch`
listens through the think time instead, keeps the last few seconds it heard, and says when speech
began; :class:`Prerolled` then hands the answer loop that audio, from just before the first word,
ahead of the live microphone, so the answer is recorded whole.

In rehearsal the answer starts as the question ends, and a candidate may begin before it does
("Sure, so..." over the question's last word, or a whole first sentence over a short question read
on screen). :class:`TalkOver` keeps what the microphone heard while the question was asked and gives
the answer the part of it that the candidate's voice runs across the question's end from, however
early that voice began; when nobody spoke over the end, only its last moment (:data:`LEAD_S`).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer
from simulator.audio.energy import HOP_S, NO_SIGNAL_DB, frame_levels_db

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

    def begun(self) -> None:
        """The answer is already going (voice ran across the question's end, :class:`TalkOver`):
        it begins with the first block fed, before or after this call."""
        self._began = 0

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


TALK_OVER_HEARD_S = 10.0
"""The most of the question the microphone's backlog hands over: the room's level is judged on it
(the endpointer's noise floor), and the talk-over is found at its end. Longer than a question takes
to ask, so that an answer begun as the question appeared on screen (the microphone hears from
before it is spoken: :func:`~simulator.audio.capture.wait_listening`) keeps its first word."""
TALK_OVER_GAP_S = 1.0
"""Pauses shorter than this inside the voice that runs across the question's end do not cut it: "Sure.
[a breath] So, my strength..." said over the question is kept from "Sure"."""
ACROSS_S = 0.25
"""Voice must go on this long past the question's end to be the candidate's: the speaker's echo of
the question, heard by the microphone, ends with it (a room's reverberation is over well before).
It may go on after a pause (:data:`TALK_OVER_GAP_S`): a sentence said over the question and ended
just after it, then the next one."""
AT_END_S = 0.1
"""...and be there in its last moment. The rendered question ends in about 0.25 s of its own silence
(pyttsx3's espeak), so a speaker's echo has stopped by then, and an answer begun just after the
question, as soon as the app listens, does not have the echo's last words glued to its first."""
LEAD_S = 0.1
"""When no voice ran across the question's end, the answer still starts with the microphone's last
0.1 s before it: a voice that began in that moment, too quiet or too short yet to count as running
across the end, keeps its first sound (a quick start lost the first 4 ms of "When" on the virtual
card, stop 43). It falls in the rendered question's own quarter second of trailing silence, so it
holds no echo of the question's words."""
LOOK_S = 0.4
"""Live audio looked at after the question's end before deciding that no voice ran across it..."""
LOOK_MAX_S = ACROSS_S + TALK_OVER_GAP_S
"""...and at most, when voice there at the end paused just after it."""


def spoken_over(backlog: np.ndarray, look: np.ndarray, *, final: bool = True) -> int | None:
    """How many of ``backlog``'s last samples the answer starts with: the candidate's voice from
    just before it began (:data:`PREROLL_S`; pauses under :data:`TALK_OVER_GAP_S` do not end it),
    when it runs from inside the backlog across its end (voiced in its last :data:`AT_END_S`) and on
    through :data:`ACROSS_S` of ``look``; else 0. ``final=False``: ``look`` is what has been heard so
    far, and ``None`` means "undecided, look on" (at most :data:`LOOK_MAX_S`).

    That voice may also hold the speaker's echo of the question, when the candidate talked over it
    without headphones: the transcript drops the question's words (:mod:`simulator.speech.echo`);
    the recording keeps every sample."""
    unsplit = len(backlog) / SAMPLE_RATE + LOOK_MAX_S + 1.0  # one phrase however long the voice runs
    ep = Endpointer(EndpointConfig(segment_gap_s=TALK_OVER_GAP_S, max_phrase_s=unsplit, hard_phrase_s=unsplit),
                    room_db=room_db(np.concatenate([backlog, look])))
    ep.feed(backlog)
    boundary = len(backlog)
    at_end = ep.last_voiced_end > 0 and boundary - ep.last_voiced_end <= AT_END_S * SAMPLE_RATE
    ep.feed(look)
    start = ep.phrase_started_at
    if at_end and start is not None and start < boundary and ep.last_voiced_end >= boundary + ACROSS_S * SAMPLE_RATE:
        return boundary - max(start - int(PREROLL_S * SAMPLE_RATE), 0)
    looked = len(look) / SAMPLE_RATE
    still_going = ep.last_voiced_end >= boundary + len(look) - AT_END_S * SAMPLE_RATE
    if final and at_end and start is not None and start < boundary and still_going:
        # Decided early (a drill's think time handed over) on voice that has not stopped since.
        return boundary - max(start - int(PREROLL_S * SAMPLE_RATE), 0)
    if final or looked >= LOOK_MAX_S or (not at_end and looked >= LOOK_S):
        return 0
    return None


ROOM_S = 0.1
"""The room's level is that of the quietest stretch this long (of frames with a signal at all:
louder than :data:`~simulator.audio.energy.NO_SIGNAL_DB`)."""


def room_db(samples: np.ndarray) -> float | None:
    """The level of the quietest :data:`ROOM_S` of ``samples``: the room, between the question and an
    answer talked over it. (The endpointer's own floor, a low percentile of the last seconds, is a
    level of speech when the candidate talked through the whole question.)"""
    levels = frame_levels_db(samples)
    levels = levels[levels > NO_SIGNAL_DB]  # a block of digital silence (a stream's start, a dropout) is no room
    n = max(1, int(ROOM_S / HOP_S))
    if len(levels) < n:
        return None
    return float(np.convolve(levels, np.ones(n) / n, mode="valid").min())


class TalkOver(Prerolled):
    """An :class:`~simulator.audio.capture.AudioSource` for the answer that starts as the question
    ends: the live source's first blocks (:data:`LOOK_S` to :data:`LOOK_MAX_S` of them) decide how
    much of ``backlog`` (the question, as the microphone heard it) goes ahead of them
    (:func:`spoken_over`; when none, still its last :data:`LEAD_S`), then its own blocks follow.
    :attr:`spoken_over_s` says how much was spoken over, once decided."""

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
            self._decide(spoken_over(self._backlog, np.concatenate(self._look), final=False))
        return super().read(timeout_s)

    def take_pending(self) -> list[np.ndarray]:
        """As :meth:`Prerolled.take_pending`; while still deciding, it decides on what it has heard."""
        if self._deciding:
            look = np.concatenate(self._look) if self._look else np.zeros(0, dtype=np.float32)
            self._decide(spoken_over(self._backlog, look))
        return super().take_pending()

    def _decide(self, kept: int | None) -> None:
        if kept is None:
            return
        self.spoken_over_s = kept / SAMPLE_RATE
        head = self._backlog[max(0, len(self._backlog) - (kept or int(LEAD_S * SAMPLE_RATE))):]
        self._pending = [head[i:i + self._block] for i in range(0, len(head), self._block)] + self._look
        self._backlog, self._look, self._deciding = self._backlog[:0], [], False
