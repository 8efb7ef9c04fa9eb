#!/usr/bin/env python3
"""Tone analysis cost: a 2-minute answer, one 5 s phrase, the first call; and what pyworld costs.

The answer is espeak-ng speech (the flat and the lively render of tests/integration/espeak_speech.py,
repeated to two minutes). With ``--compare-pyin`` (needs librosa importable) the same table is made
for ``librosa.pyin``, the tracker pyworld was chosen over.

    .venv/bin/python bench/tone.py [--repeats 5] [--compare-pyin]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.analysis.pitch import _pyworld, track_phrase, track_recording  # noqa: E402
from simulator.analysis.tone import analyse_tone, summarise_tone  # noqa: E402
from simulator.audio.clip import SAMPLE_RATE  # noqa: E402
from simulator.speech.transcript import Word  # noqa: E402
from tests.integration.espeak_speech import SENTENCES, render, speak  # noqa: E402

LEVELS = ("x-low", "x-high", "low", "high", "x-low", "x-high", "low", "high")


def answer(lively: bool, seconds: float = 120.0) -> tuple[np.ndarray, list[Word]]:
    parts = [(s, render(s, pitch_range="x-high" if lively else "x-low", pitch=lv if lively else "medium"))
             for s, lv in zip(SENTENCES, LEVELS)]
    one, transcript = speak(parts)
    reps = int(np.ceil(seconds * SAMPLE_RATE / len(one)))
    period = len(one) / SAMPLE_RATE
    words = [Word(w.text, round(w.start_s + k * period, 3), round(w.end_s + k * period, 3), w.probability)
             for k in range(reps) for w in transcript.words]
    audio = np.tile(one, reps)[: int(seconds * SAMPLE_RATE)]
    return audio, [w for w in words if w.end_s <= seconds]


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fresh(code: str, *args: str) -> str:
    """Run ``code`` in a new interpreter (first-call and import costs) and return its output."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                          env=env, cwd=ROOT).stdout.strip()


def peak_memory_mb(audio: np.ndarray, words: list[Word]) -> float:
    """Peak RSS of a process that analyses the answer, less one that only loads it."""
    import pickle  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    with tempfile.NamedTemporaryFile(suffix=".pkl") as f:
        pickle.dump((audio, words), f)
        f.flush()
        base = int(fresh(MEMORY, f.name, "load"))
        used = int(fresh(MEMORY, f.name, "analyse"))
    return (used - base) / 1024


FIRST_CALL = """
import time, resource, numpy as np
from simulator.analysis import pitch
t0 = time.perf_counter()
pitch._pyworld()
t1 = time.perf_counter()
x = (0.1 * np.sin(2 * np.pi * 150 * np.arange(5 * 16000) / 16000)).astype(np.float32)
pitch.track_phrase(x)
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f}")
"""

MEMORY = """
import pickle, resource, sys
from simulator.analysis.tone import analyse_tone
audio, words = pickle.load(open(sys.argv[1], "rb"))
if sys.argv[2] == "analyse":
    analyse_tone(audio, words)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

PYIN_FIRST = """
import time, numpy as np
t0 = time.perf_counter()
import librosa
t1 = time.perf_counter()
x = (0.1 * np.sin(2 * np.pi * 150 * np.arange(5 * 16000) / 16000)).astype(np.float32)
librosa.pyin(x, fmin=60, fmax=400, sr=16000, frame_length=1024, hop_length=160)
t2 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f}")
"""


def spread(f0: np.ndarray) -> float:
    v = f0[np.isfinite(f0) & (f0 > 0)]
    st = 12 * np.log2(v / np.median(v))
    return float(np.std(st))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--compare-pyin", action="store_true")
    args = ap.parse_args()

    lively, words = answer(True)
    flat, flat_words = answer(False)
    phrase = lively[: 5 * SAMPLE_RATE]
    track_phrase(phrase)  # warm
    track = track_recording(lively)
    # Interleaved, so a busy neighbour slows all of them alike.
    runs = [(timed(lambda: analyse_tone(lively, words), 1), timed(lambda: track_recording(lively), 1),
             timed(lambda: summarise_tone(track, words), 1), timed(lambda: track_phrase(phrase, 0.0), 3))
            for _ in range(args.repeats)]
    whole, tracking, summary, per_phrase = (statistics.median(r[i] for r in runs) for i in range(4))
    import_s, first_s = (float(x) for x in fresh(FIRST_CALL).split())
    memory_mb = peak_memory_mb(lively, words)
    pw_dir = Path(_pyworld().__file__).parent
    disk_mb = sum(p.stat().st_size for p in pw_dir.rglob("*") if p.is_file()) / 1e6
    m_flat, m_lively = analyse_tone(flat, flat_words), analyse_tone(lively, words)

    load = os.getloadavg()[0]
    print(f"pyworld DIO + StoneMask, 16 kHz, 10 ms frames; {os.cpu_count()} cores (load {load:.1f}); "
          f"median of {args.repeats} runs\n")
    print("| measure | value |")
    print("|---|---:|")
    print(f"| 2-minute answer, whole tone analysis | {whole * 1000:.0f} ms ({whole / 120 * 100:.2f}% of real time) |")
    print(f"| of which pitch/level tracking | {tracking * 1000:.0f} ms |")
    print(f"| of which summary (verdicts, moments) | {summary * 1000:.0f} ms |")
    print(f"| one 5 s phrase, tracking (the live per-phrase step) | {per_phrase * 1000:.1f} ms |")
    print(f"| first call in a new process: load pyworld (numpy already loaded) | {import_s * 1000:.0f} ms |")
    print(f"| first call in a new process: first 5 s phrase | {first_s * 1000:.0f} ms |")
    memory = f"{memory_mb:.0f} MB" if memory_mb >= 2 else "under 2 MB (10 s chunks)"
    print(f"| peak memory added by a 2-minute analysis | {memory} |")
    print(f"| pyworld on disk | {disk_mb:.1f} MB |")
    print(f"| pitch SD flat / lively render (robust, st) | {m_flat.pitch_sd_st:.2f} / {m_lively.pitch_sd_st:.2f} |")

    if args.compare_pyin:
        import librosa  # noqa: PLC0415

        import_p, first_p = (float(x) for x in fresh(PYIN_FIRST).split())
        pyin = lambda x: librosa.pyin(x, fmin=60, fmax=400, sr=SAMPLE_RATE, frame_length=1024, hop_length=160)[0]  # noqa: E731
        t_phrase = timed(lambda: pyin(phrase), max(args.repeats, 3))
        t_whole = timed(lambda: pyin(lively), 1)
        print("\nlibrosa.pyin (fmin 60, fmax 400, 10 ms hop), the same audio\n")
        print("| measure | value |")
        print("|---|---:|")
        print(f"| 2-minute answer, pitch tracking only | {t_whole * 1000:.0f} ms ({t_whole / 120 * 100:.1f}% of real time) |")
        print(f"| one 5 s phrase | {t_phrase * 1000:.0f} ms |")
        print(f"| first call in a new process: import librosa | {import_p * 1000:.0f} ms |")
        print(f"| first call in a new process: first 5 s phrase (numba compiles) | {first_p * 1000:.0f} ms |")
        print(f"| plain pitch SD flat / lively render (st) | {spread(pyin(flat)):.2f} / {spread(pyin(lively)):.2f} |")
    print(f"\nmax RSS of this run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
