"""Synthetic audio and hand-built transcripts for unit tests: no model, fully known answers."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Segment, Transcript, Word


def tone_track(events: list[tuple[float, float]], duration_s: float, *, noise_db: float | None = None) -> np.ndarray:
    """Silence with a voice-like tone (200 Hz + harmonics) between each (start, end) in seconds."""
    t = np.arange(int(duration_s * SAMPLE_RATE)) / SAMPLE_RATE
    voice = 0.3 * np.sin(2 * np.pi * 200 * t) + 0.1 * np.sin(2 * np.pi * 600 * t)
    out = np.zeros_like(t)
    for start, end in events:
        mask = (t >= start) & (t < end)
        out[mask] = voice[mask]
    if noise_db is not None:
        rng = np.random.default_rng(0)
        out = out + rng.normal(0, 10 ** (noise_db / 20), len(out))
    return out.astype(np.float32)


def transcript_of(words: list[tuple[str, float, float]]) -> Transcript:
    ws = tuple(Word(text, start, end, 0.9) for text, start, end in words)
    text = " ".join(w.text for w in ws)
    segments = (Segment(text, ws[0].start_s, ws[-1].end_s, ws),) if ws else ()
    return Transcript(text=text, segments=segments, engine="fake", model="none")


def evenly_spoken(text: str, start_s: float, word_s: float = 0.4) -> list[tuple[str, float, float]]:
    """Words of ``text`` one after another, each ``word_s`` long (0.3 s of voice, 0.1 s gap)."""
    return [(w, round(start_s + i * word_s, 3), round(start_s + i * word_s + 0.3, 3)) for i, w in enumerate(text.split())]
