"""Fake backends for headless tests: a scripted transcriber and tone-speech audio."""

from __future__ import annotations

import threading
import time

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.filler_recovery import FILLER_PROMPT
from simulator.speech.transcript import Segment, Transcript, Word


class ScriptedTranscriber:
    """Returns the next phrase of a script for each call, words spread evenly over the audio.

    Calls primed with the filler-recovery prompt return nothing (no invented hesitations).
    """

    engine = "fake"
    model_name = "scripted"

    def __init__(self, phrases: list[str], delay_s: float = 0.0):
        self.phrases = list(phrases)
        self.delay_s = delay_s
        self.calls: list[float] = []  # durations of audio transcribed
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> Transcript:
        if self.delay_s:
            time.sleep(self.delay_s)
        dur = len(samples) / SAMPLE_RATE
        if prompt == FILLER_PROMPT:
            return Transcript("", (), self.engine, self.model_name)
        with self._lock:
            self.calls.append(dur)
            text = self.phrases.pop(0) if self.phrases else ""
        words = text.split()
        if not words:
            return Transcript("", (), self.engine, self.model_name)
        lo, hi = 0.25, max(0.3, dur - 0.25)
        step = (hi - lo) / len(words)
        ws = tuple(Word(w, round(lo + i * step, 3), round(lo + (i + 0.8) * step, 3), 0.9) for i, w in enumerate(words))
        return Transcript(text, (Segment(text, ws[0].start_s, ws[-1].end_s, ws),), self.engine, self.model_name)


def speech_like(spans: list[tuple[float, float]], duration_s: float) -> np.ndarray:
    """A voice-like tone during each (start, end), silence elsewhere; its loudness rises and falls
    four times a second, like syllables, so a noise-floor tracker sees the gaps real speech has."""
    t = np.arange(int(duration_s * SAMPLE_RATE)) / SAMPLE_RATE
    syllables = 0.5 * (1 - np.cos(2 * np.pi * 4 * t))
    voice = syllables * (0.3 * np.sin(2 * np.pi * 200 * t) + 0.1 * np.sin(2 * np.pi * 600 * t))
    out = np.zeros_like(t)
    for start, end in spans:
        mask = (t >= start) & (t < end)
        out[mask] = voice[mask]
    return out.astype(np.float32)


class GatedSource:
    """Wraps a fake microphone: silent (no blocks at all) until the test opens the gate, so a test
    can look at the recording screen before any audio moves it on."""

    def __init__(self, inner, gate: threading.Event):  # noqa: ANN001 - an AudioSource
        self.inner = inner
        self.gate_event = gate

    @staticmethod
    def gate() -> threading.Event:
        return threading.Event()

    @property
    def overflows(self) -> int:
        return self.inner.overflows

    def start(self) -> None:
        self.inner.start()

    def stop(self) -> None:
        self.inner.stop()

    def read(self, timeout_s: float = 0.5):  # noqa: ANN201
        if not self.gate_event.wait(timeout_s):
            return None
        return self.inner.read(timeout_s)


class PlayingPlayer:
    """A speaker that takes its time, as a real one does: ``play`` lasts the samples' duration (at
    least ``min_s``) unless stopped, and every playback is logged as ``(samples, played to the end)``."""

    def __init__(self, min_s: float = 0.8) -> None:
        self.min_s = min_s
        self.played: list[tuple[int, bool]] = []
        self._stop = threading.Event()

    def play(self, samples, sample_rate: int) -> bool:  # noqa: ANN001
        self._stop.clear()
        stopped = self._stop.wait(max(self.min_s, len(samples) / sample_rate))
        self.played.append((len(samples), not stopped))
        return not stopped

    def stop(self) -> None:
        self._stop.set()
