"""Spoken test answers made at test time with espeak-ng: parts with silences of a chosen length between.

The voices and texts here are not the audio fixtures the code was developed on, so tests built
from them check the live loop on speech it has not seen.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.files import read_audio


def render(text: str, *, voice: str = "en-us", rate: int = 165, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by espeak-ng, 16 kHz mono float32, with espeak's own edge silence trimmed."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "part.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(wav), text],
                       check=True, capture_output=True)
        samples = read_audio(wav).samples
    return trim(samples)


def trim(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Cut leading and trailing silence so that speech starts at the first sample."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if not len(loud):
        return samples[:0]
    return samples[loud[0]: loud[-1] + 1]


def answer(parts: list[str], pauses_s: list[float], *, lead_s: float = 0.5, tail_s: float = 0.0,
           **voice) -> np.ndarray:
    """The parts spoken in turn with ``pauses_s`` of silence between them (one fewer than parts)."""
    assert len(pauses_s) == len(parts) - 1
    chunks = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)]
    for i, part in enumerate(parts):
        chunks.append(render(part, **voice))
        if i < len(pauses_s):
            chunks.append(np.zeros(int(pauses_s[i] * SAMPLE_RATE), np.float32))
    chunks.append(np.zeros(int(tail_s * SAMPLE_RATE), np.float32))
    return np.concatenate(chunks)
