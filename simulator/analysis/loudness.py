"""Loudness of a voice track: level in dBFS every 10 ms, and how much of it is clipped."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE

HOP_S = 0.01
FLOOR_DB = -100.0


def frame_levels(x: np.ndarray, n: int) -> np.ndarray:
    """RMS level of a 20 ms window centred on each of ``n`` 10 ms frames, in dBFS."""
    hop = int(HOP_S * SAMPLE_RATE)
    padded = np.pad(x, (hop, hop * 2))
    power = np.square(padded)
    csum = np.concatenate([[0.0], np.cumsum(power)])
    starts = np.arange(n) * hop  # window [k*hop - hop, k*hop + hop) in x == [k*hop, k*hop + 2hop) padded
    ms = (csum[starts + 2 * hop] - csum[starts]) / (2 * hop)
    return np.maximum(10 * np.log10(np.maximum(ms, 1e-20)), FLOOR_DB)


def clipped_samples(x: np.ndarray) -> int:
    """Samples in flat-topped runs (4+ samples within 0.05% of the peak): the sign of clipping."""
    a = np.abs(x)
    peak = float(a.max()) if len(a) else 0.0
    if peak < 0.05:
        return 0
    at = np.concatenate([[False], a >= peak * 0.9995, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(at))
    runs = edges[1::2] - edges[0::2]
    return int(runs[runs >= 4].sum())
