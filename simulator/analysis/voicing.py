"""Which frames of a pitch track are the speaker's voice, in semitones from their own median.

Everything is relative to the speaker: pitch in semitones from their own median F0 (so men and women
compare, Traunmüller & Eriksson) and spreads taken from percentiles, so the odd octave error of the
tracker moves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.analysis.loudness import FLOOR_DB, HOP_S
from simulator.analysis.pitch import ToneTrack
from simulator.speech.transcript import Word

_MIN_RUN_FRAMES = 5  # voiced runs shorter than 50 ms are tracker noise, not syllables
_OCTAVE_GUARD_ST = 10.0  # frames this far from the median are octave errors (speech rarely goes there)


def robust_sd(x: np.ndarray) -> float:
    """SD with the outer 2.5% at each end pulled in to the 2.5th/97.5th percentile (winsorised).

    Close to the plain SD the published thresholds use, but a few octave errors or a stray frame
    cannot move it far.
    """
    if len(x) < 2:
        return 0.0
    lo, hi = np.percentile(x, [2.5, 97.5])
    return float(np.std(np.clip(x, lo, hi)))


@dataclass(frozen=True)
class VoicedFrames:
    """The track cleaned for judging: F0 smoothed, short runs and octave errors dropped, words only."""

    f0: np.ndarray
    st: np.ndarray  # semitones from the speaker's median (0 where unvoiced)
    level: np.ndarray
    voiced: np.ndarray

    @classmethod
    def of(cls, track: ToneTrack, words: Sequence[Word]) -> VoicedFrames:
        offset = int(round(track.start_s / HOP_S))
        last = max(int(np.ceil(words[-1].end_s / HOP_S)) + 20, offset + len(track.f0_hz))
        f0 = np.zeros(last)
        level = np.full(last, FLOOR_DB)
        f0[offset : offset + len(track.f0_hz)] = track.f0_hz
        level[offset : offset + len(track.level_db)] = track.level_db
        voiced = f0 > 0
        voiced &= _in_words(words, last)
        voiced = _drop_short_runs(voiced, _MIN_RUN_FRAMES)
        if voiced.any():
            # Frames far quieter than the voice are breath, hum or a tracker guess in background noise.
            voiced &= level > np.percentile(level[voiced], 95) - 35.0
        f0 = np.where(voiced, _median5(np.where(voiced, f0, np.nan)), 0.0)
        st = np.zeros(last)
        if voiced.any():
            st[voiced] = 12 * np.log2(f0[voiced] / np.median(f0[voiced]))
            voiced &= np.abs(st) <= _OCTAVE_GUARD_ST
            if voiced.any():
                st = np.where(voiced, 12 * np.log2(np.where(voiced, f0, 1.0) / np.median(f0[voiced])), 0.0)
        return cls(f0, st, level, voiced)

    def span(self, start_s: float, end_s: float) -> slice:
        return slice(max(int(round(start_s / HOP_S)), 0), max(int(round(end_s / HOP_S)), 0))

    def word_level(self, w: Word) -> float | None:
        """A word's loudness: the 90th percentile of its frame levels (robust to loose word times)."""
        lv = self.level[self.span(w.start_s, w.end_s)]
        return float(np.percentile(lv, 90)) if len(lv) >= 3 else None


def _in_words(words: Sequence[Word], n: int, pad_s: float = 0.1) -> np.ndarray:
    mask = np.zeros(n, bool)
    for w in words:
        mask[max(int((w.start_s - pad_s) / HOP_S), 0) : int(np.ceil((w.end_s + pad_s) / HOP_S))] = True
    return mask


def _drop_short_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    padded = np.concatenate([[0], mask.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    out = mask.copy()
    for s, e in zip(edges[0::2], edges[1::2]):
        if e - s < min_len:
            out[s:e] = False
    return out


def _median5(x: np.ndarray) -> np.ndarray:
    """Median over 5 frames, ignoring NaN (unvoiced) neighbours."""
    padded = np.pad(x, 2, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)
    # All-NaN windows (unvoiced) stay NaN. They are left out rather than silenced with
    # warnings.catch_warnings, which is not thread-safe (tone is tracked on a thread of its own).
    out = np.full(len(windows), np.nan)
    voiced = ~np.all(np.isnan(windows), axis=1)
    if voiced.any():
        out[voiced] = np.nanmedian(windows[voiced], axis=1)
    return out
