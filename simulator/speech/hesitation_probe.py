"""Hesitations Whisper heard but did not write, read from its own encoder.

Whisper drops most "um"s and "uh"s from its text, yet its encoder still hears them: a linear read-out
of the encoder's 20 ms frames marks them (the "hesitation listener", fitted by
``bench/fit_hesitation_probe.py`` on the spent voice sets and shipped as ``data/hesitation_probe.npz``).
It runs in two stages:

1. a ridge regression scores every frame for [hesitation, uh, um]; the runs where the smoothed
   hesitation score passes :data:`CANDIDATE_LEVEL` are candidates (about two or three per answer);
2. a second ridge regression judges each candidate from the frames inside it and around it
   (:func:`window_features`); it is a hesitation when its score passes the fitted threshold, an "um"
   or an "uh" by the larger of the two frame scores summed over it.

The frames are the ones the main decode already computed (``phrase_decoder.decode_phrase`` hands
them over), so the listener costs a few milliseconds per minute of speech, not a second encoder pass.
The weights fit one encoder only (:data:`ENCODER`: faster-whisper base with int8 weights, the
default); any other model, or a damaged weights file, leaves the listener out and the rest of the
filler analysis as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parent / "data" / "hesitation_probe.npz"

ENCODER = {"engine": "faster-whisper", "model": "base", "compute_type": "int8", "width": 512}
"""The encoder the weights were fitted on: its frames are what they read."""

MIN_SPEECH_OVER_NOISE_DB = 20.0
"""The listener is used only on a clip whose speech stands at least this far above its noise floor
(:attr:`simulator.audio.energy.EnergyProfile.speech_over_floor_db`). It was fitted on clean speech;
under loud white noise, leaving each spent set out, it heard an "um" in one voice's "every" (stop 36,
37); with the gate no noisy answer it listens to draws an event (``bench/fit_hesitation_probe.py
--loso``). The spent sets' renders stand 35.6 dB or more above their floor, the one recorded human
sentence (``tests/data/human/``) 34.4 dB (``bench/phrase_noise_floor.py``). Below it, the rest of the
second look still runs."""

CANDIDATE_LEVEL = 0.15
"""Smoothed frame score over which a run is a candidate. Chosen on the spent sets, leaving each out
(``bench/fit_hesitation_probe.py --loso --candidate-level L``): on the 15 sets of stop 38, 0.15 gave
13.7% count error, 0.2 15.0% (``bench/results/hesitation_listener_stop38.md``); lower levels bring in
more candidates than the window model can turn down (0.12: 16.2% over the 11 sets it finished, where
0.15 gave 13.5%; in probe round 2, on fewer sets, 0.1 gave 18.8% against 15.1% for 0.2)."""
SMOOTH_FRAMES = 3
MIN_FRAMES = 2  # 40 ms: a single frame over the level is a flicker
MERGE_S = 0.2  # runs this close are one sound split by a dip
CONTEXT_FRAMES = 10  # 0.2 s either side, the window classifier's view around a candidate
FRAME_S = 0.02  # Whisper's encoder frame


@dataclass(frozen=True)
class EncodedSpeech:
    """The encoder's frames of one decode and each frame's centre in the clip's time (seconds)."""

    frames: np.ndarray  # [T, width], float16 or float32
    times: np.ndarray  # [T]
    encoder: dict[str, Any]


@dataclass(frozen=True)
class ProbeModel:
    frame_w: np.ndarray  # [width, 3]: hesitation, uh, um
    frame_b: np.ndarray  # [3]
    window_w: np.ndarray  # [4 * width + 8]
    window_b: float
    threshold: float
    meta: dict[str, Any]


@dataclass(frozen=True)
class Candidate:
    start_s: float
    end_s: float
    kind: str  # "um" or "uh"
    features: np.ndarray


@dataclass(frozen=True)
class HeardHesitation:
    start_s: float
    end_s: float
    kind: str
    score: float


def window_features(x: np.ndarray, p: np.ndarray, h: np.ndarray, i: int, j: int) -> np.ndarray:
    """A candidate run of frames ``i:j`` as the window classifier sees it: the mean and the max frame
    inside, the mean of the :data:`CONTEXT_FRAMES` frames before and after, then its length (frames
    and their log), its peak and mean smoothed score, its summed uh and um scores, and the mean
    smoothed score before and after."""
    n, ctx = len(x), CONTEXT_FRAMES
    zero = np.zeros(x.shape[1], np.float32)
    before = x[max(0, i - ctx):i].mean(0) if i > 0 else zero
    after = x[j:min(n, j + ctx)].mean(0) if j < n else zero
    inside = h[i:j]
    scalars = np.array([j - i, np.log(j - i), inside.max(), inside.mean(), p[i:j, 1].sum(), p[i:j, 2].sum(),
                        h[max(0, i - ctx):i].mean() if i > 0 else 0.0,
                        h[j:min(n, j + ctx)].mean() if j < n else 0.0], np.float32)
    return np.concatenate([x[i:j].mean(0), x[i:j].max(0), before, after, scalars])


def candidates(frames: np.ndarray, times: np.ndarray, frame_w: np.ndarray, frame_b: np.ndarray) -> list[Candidate]:
    """The runs of frames the frame model marks, with their window features."""
    x = np.asarray(frames, np.float32)
    if len(x) == 0:
        return []
    p = x @ frame_w + frame_b
    h = np.convolve(p[:, 0], np.ones(SMOOTH_FRAMES) / SMOOTH_FRAMES, mode="same")
    edges = np.diff(np.concatenate([[0], (h > CANDIDATE_LEVEL).astype(np.int8), [0]]))
    runs: list[tuple[int, int]] = []
    for i, j in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]):
        if j - i < MIN_FRAMES:
            continue
        if runs and times[i] - times[runs[-1][1] - 1] < MERGE_S:
            i = runs.pop()[0]
        runs.append((int(i), int(j)))
    half = FRAME_S / 2  # times are frame centres; a candidate spans its frames' edges
    return [Candidate(float(times[i]) - half, float(times[j - 1]) + half, "um" if p[i:j, 2].sum() > p[i:j, 1].sum() else "uh",
                      window_features(x, p, h, i, j)) for i, j in runs]


def heard(encoded: EncodedSpeech, model: ProbeModel | None = None) -> list[HeardHesitation]:
    """The hesitations the listener hears in ``encoded`` (none when its encoder is not the fitted one)."""
    model = model or load_model()
    if model is None or not fits(encoded):
        return []
    out = []
    for c in candidates(encoded.frames, encoded.times, model.frame_w, model.frame_b):
        score = float(c.features @ model.window_w + model.window_b)
        if score > model.threshold:
            out.append(HeardHesitation(round(c.start_s, 3), round(c.end_s, 3), c.kind, round(score, 3)))
    return out


def is_new(span: tuple[float, float], known: list[tuple[float, float]], near_s: float) -> bool:
    """Whether ``span`` is a hesitation apart from every ``known`` one: more than ``near_s`` from
    each (the gap between the two spans, so a hesitation Whisper wrote with a time a little early
    is not counted again)."""
    return all(max(span[0] - b, a - span[1]) > near_s for a, b in known)


def fits(encoded: EncodedSpeech) -> bool:
    return all(encoded.encoder.get(k) == v for k, v in ENCODER.items() if k != "width") \
        and encoded.frames.ndim == 2 and encoded.frames.shape[1] == ENCODER["width"]


def write_model(path: Path, model: ProbeModel) -> None:
    buf = io.BytesIO()
    np.savez(buf, frame_w=model.frame_w, frame_b=model.frame_b, window_w=model.window_w,
             window_b=np.float32(model.window_b), threshold=np.float32(model.threshold),
             meta=np.array(json.dumps(model.meta)))
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.with_suffix(".sha256").write_text(hashlib.sha256(data).hexdigest() + "\n")


def read_model(path: Path | None = None) -> ProbeModel:
    """The fitted listener (default: the shipped one, :data:`MODEL_FILE`); ``ValueError`` if the file
    is missing, damaged or not what was fitted."""
    path = path or MODEL_FILE
    try:
        data = path.read_bytes()
        digest = path.with_suffix(".sha256").read_text().split()[0]
    except (OSError, IndexError) as e:
        raise ValueError(f"hesitation listener weights unreadable: {e}") from e
    if hashlib.sha256(data).hexdigest() != digest:
        raise ValueError(f"hesitation listener weights damaged: {path} does not match its sha256")
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        model = ProbeModel(z["frame_w"], z["frame_b"], z["window_w"], float(z["window_b"]), float(z["threshold"]),
                           json.loads(str(z["meta"])))
    width = ENCODER["width"]
    if model.frame_w.shape != (width, 3) or model.window_w.shape != (4 * width + 8,):
        raise ValueError("hesitation listener weights have the wrong shape")
    return model


@lru_cache(maxsize=1)
def load_model() -> ProbeModel | None:
    """The shipped listener, read once; ``None`` (and a warning in the log) if it cannot be used."""
    try:
        return read_model()
    except ValueError as e:
        log.warning("%s: hidden hesitations are not listened for", e)
        return None
