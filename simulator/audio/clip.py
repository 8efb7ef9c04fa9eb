"""The one audio type the pipeline passes around: 16 kHz mono float32 samples.

Whisper works at 16 kHz mono; everything is converted to that once, at the edge (file reading,
capture), so later stages never have to ask what rate or layout they were given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class AudioClip:
    """Mono float32 samples in [-1, 1] at :data:`SAMPLE_RATE`."""

    samples: np.ndarray
    source: str = ""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def slice_s(self, start_s: float, end_s: float) -> np.ndarray:
        lo = max(0, int(start_s * SAMPLE_RATE))
        hi = min(len(self.samples), int(end_s * SAMPLE_RATE))
        return self.samples[lo:hi]


def to_mono_16k(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mix down to mono and resample to 16 kHz with soxr (high quality, no aliasing)."""
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1, dtype=np.float32)
    if sample_rate != SAMPLE_RATE and len(x):
        import soxr  # noqa: PLC0415 - only needed when rates differ

        x = soxr.resample(x, sample_rate, SAMPLE_RATE).astype(np.float32, copy=False)
    return np.ascontiguousarray(x, dtype=np.float32)
