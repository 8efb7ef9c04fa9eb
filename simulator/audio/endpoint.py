"""Voice-activity endpointing on live audio: when did speech start, when did a phrase close, is the
answer over?

Pure and block-driven: feed it blocks of 16 kHz float32 samples and it returns what happened. The
threshold adapts to the room: a frame is voiced when it is louder than an absolute floor *and* well
above the quietest recent level (the noise floor). A pause of ``segment_gap_s`` closes a phrase
(a unit that can be transcribed while the candidate keeps talking); ``max_s`` ends the answer. How long
a pause may last before the answer is over is not decided here but by the end-of-turn judge
(:mod:`simulator.session.end_of_turn`), which knows what was said; a fixed ``end_silence_s`` is
still available for callers that want silence alone to decide.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from simulator.audio.clip import SAMPLE_RATE

FRAME_S = 0.02
FLOOR_WINDOW_S = 3.0
FLOOR_PERCENTILE = 10
FLOOR_WARMUP_FRAMES = 25
QUIET_VOICE_MIN_DB = -70.0
"""Frames louder than this and than the room by ``above_floor_db`` count as a voice, however quiet
(:attr:`Endpointer.voice_above_room_s`)."""


class EndReason(str, Enum):
    SILENCE = "silence"
    """A pause after an answer that sounded complete (or ``end_silence_s`` of silence)."""
    LONG_PAUSE = "long pause"
    """A pause longer than the end-of-turn judge waits for an unfinished answer."""
    TIME_LIMIT = "time limit"
    STOPPED = "stopped"
    NO_SPEECH = "no speech"
    DEVICE_LOST = "device lost"


@dataclass(frozen=True)
class EndpointConfig:
    end_silence_s: float | None = None
    """Silence after speech that ends the answer by itself; ``None``: the caller decides (the
    end-of-turn judge in :func:`simulator.session.answer_loop.run_answer`)."""
    segment_gap_s: float = 0.6
    max_s: float | None = None
    no_speech_timeout_s: float | None = None
    min_level_db: float = -48.0
    above_floor_db: float = 12.0
    min_speech_s: float = 0.15
    """Voiced time needed before we believe speech started (ignores clicks and coughs)."""
    pad_s: float = 0.25
    """Audio kept either side of a phrase when it is handed to the recogniser."""
    max_phrase_s: float = 5.0
    """A phrase this long closes at the next short gap, so fluent speech is transcribed as it goes."""
    short_gap_s: float = 0.2
    hard_phrase_s: float = 20.0
    """A phrase this long closes even without a gap."""
    early_after_s: float | None = 0.25
    """A pause this long in an open phrase starts decoding it early, in case it is the last (at least
    ``pad_s``, so that its bounds are final); ``None``: never. See ``StreamingTranscriber.speculate``."""


@dataclass(frozen=True)
class SpeechSegment:
    """A closed phrase, in samples from the start of the recording."""

    start: int
    end: int

    @property
    def start_s(self) -> float:
        return self.start / SAMPLE_RATE

    @property
    def end_s(self) -> float:
        return self.end / SAMPLE_RATE


@dataclass
class EndpointUpdate:
    level_db: float
    speaking: bool
    closed: list[SpeechSegment] = field(default_factory=list)
    ended: EndReason | None = None


class Endpointer:
    """Tracks one answer. Call :meth:`feed` with each block, :meth:`finish` when the answer ends."""

    def __init__(self, config: EndpointConfig | None = None, *, room_db: float | None = None):
        self.config = config or EndpointConfig()
        self.room_db = room_db
        """The room's level, when measured before: the noise floor never rises above it, so a stretch
        of talk with no pause in it does not make its own quieter words silence."""
        self._frame = int(FRAME_S * SAMPLE_RATE)
        self._pending = np.zeros(0, dtype=np.float32)
        self.samples_seen = 0  # samples fully processed into frames
        self._above_room_run = 0
        self._above_room_frames = 0
        self._recent: deque[float] = deque(maxlen=int(FLOOR_WINDOW_S / FRAME_S))
        self._voiced_run = 0
        self._silent_run = 0
        self._voiced_since_resume = True
        self._time_limit = True
        self._first_voiced: int | None = None
        """Where the current stretch of voice began, bridging short gaps: before the noise floor is
        known (the first half second) a phrase cannot open, and a candidate who starts talking at
        once pauses between words in that time; the phrase must still start at the first word."""
        self.speech_started_at: int | None = None  # sample index
        self._phrase_start: int | None = None
        self._last_voiced_end = 0
        self._closed_until = 0
        self.ended: EndReason | None = None
        self.last_level_db = -100.0

    @property
    def elapsed_s(self) -> float:
        return self.samples_seen / SAMPLE_RATE

    @property
    def in_phrase(self) -> bool:
        return self._phrase_start is not None

    @property
    def phrase_started_at(self) -> int | None:
        """The first voiced sample of the phrase still open (no padding), or None between phrases."""
        return self._phrase_start

    @property
    def last_voiced_end(self) -> int:
        """The sample after the last voiced frame (0 before any voice)."""
        return self._last_voiced_end

    @property
    def silent_s(self) -> float:
        """How long it has been quiet (0 while voiced)."""
        return self._silent_run * FRAME_S

    def open_phrase(self) -> SpeechSegment | None:
        """The phrase still open, with the bounds it will have if no more voice comes.

        Once the quiet after the last voiced frame covers ``pad_s``, these are exactly the bounds
        the phrase closes with at the next gap or at :meth:`finish`, so it can be transcribed early.
        """
        if self._phrase_start is None:
            return None
        return SpeechSegment(*self._bounds(self._last_voiced_end))

    def feed(self, block: np.ndarray) -> EndpointUpdate:
        x = np.concatenate([self._pending, np.asarray(block, dtype=np.float32).reshape(-1)])
        update = EndpointUpdate(level_db=self.last_level_db, speaking=self.in_phrase)
        if self.ended:
            self._pending = x  # counted if the answer resumes
            return update
        n = len(x) // self._frame
        self._pending = x[n * self._frame:]
        if n == 0:
            return update
        frames = x[: n * self._frame].reshape(n, self._frame)
        levels = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-10)
        for i, level in enumerate(levels):
            self._step(float(level), update)
            if update.ended:
                # The frames after the end are kept for :meth:`resume`: every sample is counted once,
                # so phrase bounds stay indices into the recording.
                self._pending = x[(i + 1) * self._frame:]
                levels = levels[: i + 1]
                break
        self.last_level_db = float(levels.max())
        update.level_db = self.last_level_db
        update.speaking = self.in_phrase
        return update

    def _step(self, level: float, update: EndpointUpdate) -> None:
        cfg = self.config
        start = self.samples_seen
        self.samples_seen += self._frame
        floor = self._noise_floor(level)  # every frame goes into the history, quiet ones above all
        voiced = level > cfg.min_level_db and level > floor + cfg.above_floor_db
        frames_needed = max(1, int(cfg.min_speech_s / FRAME_S))
        self._count_voice(level > QUIET_VOICE_MIN_DB and level > floor + cfg.above_floor_db, frames_needed)
        if voiced:
            if self._first_voiced is None or self._silent_run * FRAME_S >= cfg.segment_gap_s:
                self._first_voiced = start
            self._voiced_run += 1
            self._silent_run = 0
            self._last_voiced_end = self.samples_seen
            self._voiced_since_resume = True
            warmed_up = len(self._recent) >= FLOOR_WARMUP_FRAMES  # a fan from the first frame is not speech
            if self._phrase_start is None and self._voiced_run >= frames_needed and warmed_up:
                self._phrase_start = max(0, self.samples_seen - self._voiced_run * self._frame)
                if self.speech_started_at is None:
                    # The first phrase reaches back over short gaps to the first voiced frame.
                    self._phrase_start = min(self._phrase_start, self._first_voiced)
                    self.speech_started_at = self._phrase_start
        else:
            self._voiced_run = 0
            self._silent_run += 1
        silent_s = self._silent_run * FRAME_S
        if self._phrase_start is not None:
            phrase_s = (self.samples_seen - self._phrase_start) / SAMPLE_RATE
            if (silent_s >= cfg.segment_gap_s or (phrase_s >= cfg.max_phrase_s and silent_s >= cfg.short_gap_s)
                    or phrase_s >= cfg.hard_phrase_s):
                update.closed.append(self._close(self._last_voiced_end))
        elapsed = self.samples_seen / SAMPLE_RATE
        if (self.speech_started_at is not None and cfg.end_silence_s is not None
                and silent_s >= cfg.end_silence_s and self._voiced_since_resume):
            self.ended = update.ended = EndReason.SILENCE
        elif cfg.max_s is not None and elapsed >= cfg.max_s and self._time_limit:
            self.ended = update.ended = EndReason.TIME_LIMIT
        elif (self.speech_started_at is None and cfg.no_speech_timeout_s is not None
              and elapsed >= cfg.no_speech_timeout_s):
            self.ended = update.ended = EndReason.NO_SPEECH

    def _count_voice(self, above_room: bool, frames_needed: int) -> None:
        """Count the frames of runs above the room, whatever their level, as long as a phrase needs
        (a click or a knock is shorter)."""
        if not above_room:
            self._above_room_run = 0
            return
        self._above_room_run += 1
        if self._above_room_run == frames_needed:
            self._above_room_frames += frames_needed
        elif self._above_room_run > frames_needed:
            self._above_room_frames += 1

    @property
    def voice_above_room_s(self) -> float:
        """How long a voice was heard above the room, at any level. A microphone whose input level
        is set very low gives a voice under ``min_level_db``: no phrase opens on it, so nothing of
        it is transcribed live, but it is counted here."""
        return self._above_room_frames * FRAME_S

    def _noise_floor(self, level: float) -> float:
        """A low percentile of the last few seconds: speech has gaps between syllables and words that
        pull it down, a fan or hum does not. Until there is history, assume a quiet room."""
        self._recent.append(level)
        floor = float(np.percentile(self._recent, FLOOR_PERCENTILE))
        if self.room_db is not None:
            floor = min(floor, self.room_db)
        return floor if len(self._recent) >= FLOOR_WARMUP_FRAMES else min(floor, -60.0)

    def _bounds(self, end: int) -> tuple[int, int]:
        pad = int(self.config.pad_s * SAMPLE_RATE)
        # Never overlap the previous phrase (its words would be heard twice), never reach into the future.
        start = max(self._closed_until, self._phrase_start - pad)  # type: ignore[operator]
        return start, max(start + 1, min(end + pad, self.samples_seen))

    def _close(self, end: int) -> SpeechSegment:
        seg = SpeechSegment(*self._bounds(end))
        self._closed_until = seg.end
        self._phrase_start = None
        self._voiced_run = 0
        return seg

    def end(self, reason: EndReason) -> None:
        """Mark the answer over (the end-of-turn judge decided); :meth:`finish` hands back the tail."""
        self.ended = self.ended or reason

    def resume(self, *, time_limit: bool = True) -> None:
        """Listen on after the answer ended (it may resume). The pause so far is forgotten, and a
        fixed ``end_silence_s`` applies again only after new voice; ``time_limit=False`` stops
        ``max_s`` from ending it again (recording past the limit until the candidate is quiet)."""
        self.ended = None
        self._silent_run = 0
        self._voiced_since_resume = False
        self._time_limit = time_limit

    def finish(self, reason: EndReason = EndReason.STOPPED) -> SpeechSegment | None:
        """End the answer; returns the phrase still open (the tail), if any."""
        self.ended = self.ended or reason
        if self._phrase_start is None and self._voiced_run * FRAME_S >= self.config.min_speech_s:
            self._phrase_start = self.samples_seen - self._voiced_run * self._frame  # stopped during warm-up
            if self.speech_started_at is None and self._first_voiced is not None:
                self._phrase_start = min(self._phrase_start, self._first_voiced)
        if self._phrase_start is None:
            return None
        # Like any phrase: up to the last voiced frame plus the pad (all of it if voice is still going).
        return self._close(self._last_voiced_end)
