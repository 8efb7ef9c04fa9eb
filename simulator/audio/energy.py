"""Where the voice is: speech and silence from short-time audio energy.

Pauses must be measured from the sound itself, not from punctuation or from Whisper's word times
alone (Whisper stretches words over hesitations). A 20 ms frame is silent when its level is far below
the clip's speech level; the threshold adapts to each recording's own loudness and noise floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.audio.clip import SAMPLE_RATE

FRAME_S = 0.02
HOP_S = 0.01
_FLOOR_DB = -100.0
NO_SIGNAL_DB = -90.0
"""A level at or under this is digital silence: a muted or dead input sends exact zeros (-100 dB
here), while a working microphone in a quiet room hears its own noise, about -75 to -50 dB."""
_BLOCK_FRAMES = 2048


@dataclass(frozen=True)
class Span:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def frame_levels_db(samples: np.ndarray) -> np.ndarray:
    """RMS level of each 20 ms frame (10 ms hop), in dB relative to full scale."""
    frame, hop = int(FRAME_S * SAMPLE_RATE), int(HOP_S * SAMPLE_RATE)
    if len(samples) < frame:
        return np.full(1 if len(samples) else 0, _FLOOR_DB)
    n = 1 + (len(samples) - frame) // hop
    rms = np.empty(n, np.float64)
    # In blocks of frames: one index of every frame's samples is n x 320 values (480 MB for 10
    # minutes); a block's is a few MB, whatever the recording's length.
    offsets = np.arange(frame)[None, :]
    for lo in range(0, n, _BLOCK_FRAMES):
        hi = min(n, lo + _BLOCK_FRAMES)
        idx = offsets + hop * np.arange(lo, hi)[:, None]
        rms[lo:hi] = np.sqrt(np.mean(np.square(samples[idx], dtype=np.float64), axis=1))
    return np.maximum(20 * np.log10(np.maximum(rms, 1e-10)), _FLOOR_DB)


def speech_and_floor_db(levels_db: np.ndarray) -> tuple[float, float]:
    """The clip's speech level (its loud frames) and noise floor (its quiet ones), in dBFS."""
    return float(np.percentile(levels_db, 95)), float(np.percentile(levels_db, 10))


def floor_db(samples: np.ndarray) -> float | None:
    """The noise floor of ``samples`` (as :func:`speech_and_floor_db`), ``None`` if too short to tell."""
    levels = frame_levels_db(samples)
    return speech_and_floor_db(levels)[1] if len(levels) else None


def voiced_mask(levels_db: np.ndarray, speech_floor: tuple[float, float] | None = None) -> np.ndarray:
    """True for frames loud enough to be speech, relative to this clip's own levels (``speech_floor``:
    their :func:`speech_and_floor_db`, if already known)."""
    if len(levels_db) == 0:
        return np.zeros(0, bool)
    speech, floor = speech_floor or speech_and_floor_db(levels_db)
    threshold = max(speech - 35.0, floor + 0.3 * (speech - floor))
    return levels_db > threshold


@dataclass(frozen=True)
class EnergyProfile:
    """The voiced/silent frame mask of one clip, computed once and queried many times."""

    mask: np.ndarray
    speech_db: float = 0.0
    floor_db: float = 0.0
    """The clip's speech level and noise floor (:func:`speech_and_floor_db`)."""

    @classmethod
    def of(cls, samples: np.ndarray) -> EnergyProfile:
        levels = frame_levels_db(samples)
        if len(levels) == 0:
            return cls(voiced_mask(levels))
        speech_floor = speech_and_floor_db(levels)
        return cls(voiced_mask(levels, speech_floor), *speech_floor)

    @property
    def speech_over_floor_db(self) -> float:
        """How far the clip's speech stands above its noise floor."""
        return self.speech_db - self.floor_db

    def silent_spans(self, min_duration_s: float) -> list[Span]:
        """Runs of silence at least ``min_duration_s`` long, in clip time."""
        return [s for s in _runs(~self.mask) if s.duration_s >= min_duration_s]

    def voiced_spans(self, min_duration_s: float = 0.05) -> list[Span]:
        return [s for s in _runs(self.mask) if s.duration_s >= min_duration_s]

    def voiced_fraction(self, start_s: float, end_s: float) -> float:
        """Share of frames between two times that carry voice (0 when the range is empty)."""
        lo, hi = max(int(start_s / HOP_S), 0), max(int(end_s / HOP_S), 0)
        part = self.mask[lo:hi]
        return float(part.mean()) if len(part) else 0.0


def _runs(mask: np.ndarray) -> list[Span]:
    """Contiguous True runs of a frame mask as time spans (frame centres spaced by the hop)."""
    if len(mask) == 0:
        return []
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    starts, ends = edges[0::2], edges[1::2]
    half = (FRAME_S - HOP_S) / 2
    return [
        Span(round(max(0.0, float(s) * HOP_S + half), 3), round(float(e) * HOP_S + half, 3))
        for s, e in zip(starts, ends)
    ]
