"""Whisper's features computed in blocks are faster-whisper's own, bit for bit, in bounded memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from simulator.speech.mel_features import BLOCK_FRAMES, BlockFeatureExtractor

SR = 16_000


def _signal(n: int, seed: int = 0) -> np.ndarray:
    """Speech-like enough: a gliding tone with bursts and noise (the Mel floor and max matter)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    voice = np.sin(2 * np.pi * (120 + 40 * np.sin(t)) * t) * (np.sin(2 * np.pi * 3 * t) > 0)
    return (0.3 * voice + 0.01 * rng.standard_normal(n)).astype(np.float32)


@pytest.mark.parametrize("n", [241, 400, SR, 30 * SR, 30 * SR + 123, 65 * SR + 7])
def test_the_same_features_as_faster_whisper(n):
    x = _signal(n)
    expected = FeatureExtractor()(x)
    got = BlockFeatureExtractor(FeatureExtractor())(x)
    assert n <= 30 * SR or got.shape[1] > BLOCK_FRAMES  # the long ones take several blocks
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_chunk_length_and_attributes_reach_the_wrapped_extractor():
    inner = FeatureExtractor()
    fe = BlockFeatureExtractor(inner)
    assert fe.sampling_rate == SR and fe.nb_max_frames == 3000 and fe.time_per_frame == 0.01
    fe(_signal(SR), chunk_length=20)
    assert inner.n_samples == 20 * SR and fe.nb_max_frames == 2000


def test_two_minutes_take_a_fraction_of_the_memory():
    x = _signal(120 * SR)
    peaks = []
    for extractor in (FeatureExtractor(), BlockFeatureExtractor(FeatureExtractor())):
        tracemalloc.start()
        try:
            extractor(x)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    whole, blocks = peaks
    # Measured: 123 MB whole, 37 MB in blocks (the padded audio and the power spectrum stay whole).
    assert blocks < 45_000_000 and blocks < whole / 2, peaks

