#!/usr/bin/env python3
"""Time and peak memory of the whole ``interview-sim score`` command on long inputs.

- typed answers of 10 KB, 100 KB and 1 MB (``score --text FILE --rubric star``): scoring must grow
  linearly with the answer's length;
- recordings of 1, 5 and 14 minutes (``score FILE``, the default engine with filler recovery),
  made by repeating the spoken fixtures: the memory the README promises.

Each run is its own ``python -m simulator`` process; its peak RSS comes from ``wait4`` (the
child's own ``ru_maxrss``), its time from the wall clock.

    .venv/bin/python bench/limits.py [--typed-only | --audio-only] [--out bench/results/limits.md]

Never part of the tests: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
ANSWER = (
    "So um in my last job at a busy hotel a guest arrived late and her reservation was cancelled by "
    "mistake. My task was to find her a room. I apologised, uh, listened, and I called three partner "
    "hotels and booked her a room and paid for the taxi. The result was a five star review. "
)
FIXTURES = ["star_clean", "star_fillers", "deescalation_slow", "definition_fast"]


def run(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one CLI run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", *argv], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def typed(tmp: Path) -> list[str]:
    rows = ["| typed answer | seconds | peak RSS MB |", "|---|---|---|"]
    for size in (10_000, 100_000, 1_000_000):
        path = tmp / f"answer-{size}.txt"
        path.write_text((ANSWER * (size // len(ANSWER) + 1))[:size])
        seconds, rss, code = run(["score", "--text", str(path), "--rubric", "star"])
        assert code == 0, code
        rows.append(f"| {size // 1000} KB | {seconds:.1f} | {rss:.0f} |")
        print(rows[-1], flush=True)
    return rows


def audio(tmp: Path) -> list[str]:
    parts = [sf.read(ROOT / "audio_fixtures" / f"{f}.flac", dtype="float32")[0] for f in FIXTURES]
    speech = np.concatenate(parts)
    rows = ["| recording | seconds | peak RSS MB |", "|---|---|---|"]
    for minutes in (1, 5, 14):
        n = int(minutes * 60 * 16000)
        samples = np.resize(speech, n)
        path = tmp / f"answer-{minutes}min.flac"
        sf.write(path, samples, 16000, subtype="PCM_16")
        seconds, rss, code = run(["score", str(path)])
        assert code == 0, code
        rows.append(f"| {minutes} min | {seconds:.0f} | {rss:.0f} |")
        print(rows[-1], flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--typed-only", action="store_true")
    ap.add_argument("--audio-only", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as d:
        if not args.audio_only:
            lines += typed(Path(d)) + [""]
        if not args.typed_only:
            lines += audio(Path(d)) + [""]
    if args.out:
        args.out.write_text("# `score` on long inputs (bench/limits.py)\n\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
