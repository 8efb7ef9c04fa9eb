"""Pitch tracks: F0 and level every 10 ms, phrase by phrase, on the clip's time axis.

Pitch comes from WORLD's DIO tracker refined by StoneMask (``pyworld``, MIT/modified-BSD): on two cores
it takes about 1-2% of real time and has no first-call compilation, where ``librosa.pyin`` took about
40% of real time and 9 s (up to a minute on a fresh install) to compile on its first call
(``bench/tone.py``, README "Tone of voice").

:func:`track_phrase` turns one phrase's samples into a :class:`ToneTrack`; it is the only step of the
tone analysis that touches the samples, so the live recorder runs it while the candidate speaks
(:class:`PhraseToneTracker`). :func:`merge_tracks` joins the tracks of consecutive phrases and
:func:`track_recording` tracks a whole recording at once.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from simulator.analysis.loudness import FLOOR_DB, HOP_S, clipped_samples, frame_levels
from simulator.audio.clip import SAMPLE_RATE

F0_FLOOR_HZ = 60.0
F0_CEIL_HZ = 400.0
_CHUNK_S = 10.0  # the whole-recording path tracks at most this much at a time (memory stays flat)


@cache
def _pyworld() -> Any:
    """The compiled WORLD module.

    pyworld 0.3.5 (the newest on PyPI for Python 3.11) imports ``pkg_resources`` only to read its own
    version, and setuptools 81 removed that module. When the package cannot be imported for that
    reason, its compiled extension is loaded directly: it needs nothing from the package.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pkg_resources' deprecation warning on older setuptools
            import pyworld  # noqa: PLC0415 - imported inside the warnings filter, with the fallback below

        return pyworld
    except ModuleNotFoundError as e:
        if e.name != "pkg_resources":
            raise
    spec = importlib.util.find_spec("pyworld")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyworld is not installed", name="pyworld")
    folder = Path(next(iter(spec.submodule_search_locations)))
    ext = next(folder.glob("pyworld*.so"), None) or next(folder.glob("pyworld*.pyd"))
    ext_spec = importlib.util.spec_from_file_location("pyworld.pyworld", ext)
    assert ext_spec is not None and ext_spec.loader is not None
    module = importlib.util.module_from_spec(ext_spec)
    ext_spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ToneTrack:
    """F0 (Hz, 0 where unvoiced) and level (dBFS) every 10 ms, frame ``i`` at ``start_s + i * 0.01``."""

    start_s: float
    f0_hz: np.ndarray
    level_db: np.ndarray
    clipped_samples: int = 0

    @property
    def end_s(self) -> float:
        return self.start_s + len(self.f0_hz) * HOP_S


def track_phrase(samples: np.ndarray, start_s: float = 0.0) -> ToneTrack:
    """Pitch and loudness of one stretch of 16 kHz mono audio that starts at ``start_s`` in the clip.

    A phrase of a few seconds costs a few milliseconds; call it as each phrase ends and keep the tracks.
    ``start_s`` should be a multiple of 10 ms so the tracks of neighbouring phrases line up.
    """
    x = np.ascontiguousarray(samples, dtype=np.float64)
    hop = int(HOP_S * SAMPLE_RATE)
    if len(x) < 2 * hop:
        return ToneTrack(start_s, np.zeros(0), np.zeros(0), 0)
    pw = _pyworld()
    f0, t = pw.dio(x, SAMPLE_RATE, f0_floor=F0_FLOOR_HZ, f0_ceil=F0_CEIL_HZ, frame_period=HOP_S * 1000,
                   speed=2)  # DIO works at 8 kHz: half the time, the same F0 (bench/tone.py)
    f0 = pw.stonemask(x, f0, t, SAMPLE_RATE)
    levels = frame_levels(x, len(f0))
    return ToneTrack(round(start_s, 3), np.asarray(f0, np.float64), levels, clipped_samples(x))


def merge_tracks(tracks: Iterable[ToneTrack]) -> ToneTrack:
    """One track on the clip's time axis from the tracks of several phrases (gaps are unvoiced)."""
    tracks = [t for t in tracks if len(t.f0_hz)]
    if not tracks:
        return ToneTrack(0.0, np.zeros(0), np.zeros(0), 0)
    n = max(int(round(t.start_s / HOP_S)) + len(t.f0_hz) for t in tracks)
    f0 = np.zeros(n)
    level = np.full(n, FLOOR_DB)
    for t in sorted(tracks, key=lambda t: t.start_s):
        i = int(round(t.start_s / HOP_S))
        f0[i : i + len(t.f0_hz)] = t.f0_hz
        level[i : i + len(t.level_db)] = t.level_db
    return ToneTrack(0.0, f0, level, sum(t.clipped_samples for t in tracks))


class PhraseToneTracker:
    """Collects phrase tracks while the candidate speaks, so the answer's wait holds only the summary.

    Call :meth:`add_phrase` with each phrase's samples as the phrase ends (off the audio thread: a 5 s
    phrase costs about 50 ms), then pass :meth:`track` to ``analyse_delivery(..., tone_track=...)``.
    """

    def __init__(self) -> None:
        self._tracks: list[ToneTrack] = []

    def add_phrase(self, samples: np.ndarray, start_s: float) -> None:
        self._tracks.append(track_phrase(samples, round(start_s / HOP_S) * HOP_S))

    def track(self) -> ToneTrack:
        return merge_tracks(self._tracks)


def track_recording(samples: np.ndarray) -> ToneTrack:
    """The track of a whole recording, tracked in chunks of at most 10 s cut at the quietest moment."""
    hop = int(HOP_S * SAMPLE_RATE)
    chunk = int(_CHUNK_S * SAMPLE_RATE)
    tracks, start = [], 0
    while start < len(samples):
        end = len(samples)
        if end - start > chunk:
            lo, hi = start + chunk * 3 // 4, start + chunk
            frames = samples[lo:hi][: (hi - lo) // hop * hop].reshape(-1, hop)
            quietest = int(np.argmin(np.mean(np.square(frames, dtype=np.float64), axis=1)))
            end = lo + quietest * hop
        tracks.append(track_phrase(samples[start:end], start / SAMPLE_RATE))
        start = end
    return merge_tracks(tracks)
