"""Level analysis of a long recording works in blocks: its memory does not grow with the length."""

from __future__ import annotations

import tracemalloc

import numpy as np

from simulator.audio.energy import FRAME_S, HOP_S, SAMPLE_RATE, frame_levels_db


def _reference(samples: np.ndarray) -> np.ndarray:
    frame, hop = int(FRAME_S * SAMPLE_RATE), int(HOP_S * SAMPLE_RATE)
    n = 1 + (len(samples) - frame) // hop
    idx = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    rms = np.sqrt(np.mean(np.square(samples[idx], dtype=np.float64), axis=1))
    return np.maximum(20 * np.log10(np.maximum(rms, 1e-10)), -100.0)


def test_levels_are_unchanged():
    rng = np.random.default_rng(3)
    for n in (320, 321, 5000, 16000 * 7 + 123):
        x = (rng.standard_normal(n) * 0.1).astype(np.float32)
        assert np.allclose(frame_levels_db(x), _reference(x))


def test_levels_of_ten_minutes_use_bounded_memory():
    x = np.full(16000 * 600, 0.1, np.float32)  # 38 MB of samples
    tracemalloc.start()
    try:
        frame_levels_db(x)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000, peak  # the per-frame index alone was 480 MB
