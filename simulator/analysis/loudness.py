"""Loudness of a voice track: level in dBFS every 10 ms, how much of it is clipped, and the compact
loudness-over-time series the reports draw."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE

HOP_S = 0.01
FLOOR_DB = -100.0

SERIES_STEP_S = 0.5
"""The loudness series' finest step; long answers get a coarser one (a multiple of it)."""
SERIES_MAX_POINTS = 240
"""At most this many points per answer (a 14-minute answer is drawn every 3.5 s: about 3 KB of JSON)."""
_SERIES_MIN_VOICED = 0.2
"""A step is drawn when at least this share of it is voiced (100 ms in 0.5 s); else it is left out."""


def frame_levels(x: np.ndarray, n: int) -> np.ndarray:
    """RMS level of a 20 ms window centred on each of ``n`` 10 ms frames, in dBFS."""
    hop = int(HOP_S * SAMPLE_RATE)
    padded = np.pad(x, (hop, hop * 2))
    power = np.square(padded)
    csum = np.concatenate([[0.0], np.cumsum(power)])
    starts = np.arange(n) * hop  # window [k*hop - hop, k*hop + hop) in x == [k*hop, k*hop + 2hop) padded
    ms = (csum[starts + 2 * hop] - csum[starts]) / (2 * hop)
    return np.maximum(10 * np.log10(np.maximum(ms, 1e-20)), FLOOR_DB)


FULL_SCALE_NEAR = 0.98
"""A sample this close to full scale (1.0), in audio that reaches it, counts as clipped: a gain set
too high clips at full scale, and once the clipped audio has been resampled (a 48 kHz device read at
16 kHz) its flat tops ring instead of staying flat. A helper's clipped answer, resampled, had 11% of
its samples there and 0.4% in flat runs; speech peaking at 0.99 without clipping has about 0.01%."""


def clipped_samples(x: np.ndarray) -> int:
    """Samples in flat-topped runs (4+ samples within 0.05% of the peak), or near full scale in
    audio that reaches it (:data:`FULL_SCALE_NEAR`): the signs of clipping."""
    a = np.abs(x)
    peak = float(a.max()) if len(a) else 0.0
    if peak < 0.05:
        return 0
    at = np.concatenate([[False], a >= peak * 0.9995, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(at))
    starts, ends = edges[0::2], edges[1::2]
    long = ends - starts >= 4
    marks = np.zeros(len(a) + 1, dtype=np.int64)  # +1 where a flat run starts, -1 where it ends
    np.add.at(marks, starts[long], 1)
    np.add.at(marks, ends[long], -1)
    flat = np.cumsum(marks[:-1]) > 0
    if peak >= FULL_SCALE_NEAR:
        flat |= a >= FULL_SCALE_NEAR
    return int(flat.sum())


def level_series(
    level_db: np.ndarray, voiced: np.ndarray, *, max_points: int = SERIES_MAX_POINTS
) -> tuple[tuple[float, float], ...]:
    """Loudness over time: (step centre s, dB relative to the answer's usual level), rounded.

    ``level_db`` and ``voiced`` are frame levels and the voiced mask every 10 ms from the clip's
    start. Each step (0.5 s, or a multiple of it so there are at most ``max_points`` steps) gets the
    median level of its voiced frames; steps with too little voice (pauses) are left out, so a gap
    in the series is a silence. Values are relative to the median of the steps, so 0 is the answer's
    usual level and -10 is ten decibels quieter: the terms the quiet and trailing-off moments use.
    No voice at all gives an empty series.
    """
    n = min(len(level_db), len(voiced))
    if n == 0 or not voiced[:n].any():
        return ()
    base = int(round(SERIES_STEP_S / HOP_S))
    per = base * max(1, -(-n // (base * max_points)))  # frames per step, a multiple of 0.5 s
    steps = -(-n // per)
    lv = np.full(steps * per, np.nan)
    lv[:n] = np.where(voiced[:n], level_db[:n], np.nan)
    lv = lv.reshape(steps, per)
    keep = np.flatnonzero(np.sum(~np.isnan(lv), axis=1) >= max(1, int(per * _SERIES_MIN_VOICED)))
    if not len(keep):
        return ()
    med = np.nanmedian(lv[keep], axis=1)
    med -= np.median(med)
    # + 0.0: a step at the median is 0, not -0.0 (what the subtraction can leave).
    return tuple((round(float((k + 0.5) * per * HOP_S), 2), round(float(v), 1) + 0.0)
                 for k, v in zip(keep, med))
