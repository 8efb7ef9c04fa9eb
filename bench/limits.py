#!/usr/bin/env python3
"""Time and peak memory of the whole ``interview-sim score`` command on long inputs.

- typed answers of 10 KB, 100 KB and 1 MB (``score --text FILE --rubric star``): scoring must grow
  linearly with the answer's length;
- recordings of 1, 5 and 14 minutes (``score FILE``, the default engine with filler recovery),
  made by repeating the spoken fixtures: the memory the README promises.

Each run is its own ``python -m simulator`` process; its peak RSS comes from ``wait4`` (the
child's own ``ru_maxrss``), its time from the wall clock, and with ``--repeats N`` each row is the
median of N runs (the load average is printed before and after). ``--checkout DIR`` measures the code
of another checkout (the same inputs), for a before/after comparison.

    .venv/bin/python bench/limits.py [--typed-only | --audio-only] [--repeats N] [--checkout DIR]
        [--out bench/results/limits.md]

Never part of the tests: machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
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


CODE = ROOT
"""The checkout whose code is measured (``--checkout``)."""
REPEATS = 1


def run_once(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one CLI run."""
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "simulator", *argv], cwd=CODE, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run(argv: list[str]) -> tuple[float, float, int]:
    """Medians of :data:`REPEATS` runs (each run's peak printed as it ends)."""
    runs = []
    for _ in range(REPEATS):
        runs.append(run_once(argv))
        seconds, rss, _ = runs[-1]
        print(f"  {argv[-1]}: {seconds:.0f} s, {rss:.0f} MB", file=sys.stderr, flush=True)
    code = max(r[2] for r in runs)
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), code


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
    ap.add_argument("--repeats", type=int, default=1, help="runs per row; the row shows their medians")
    ap.add_argument("--checkout", type=Path, default=ROOT,
                    help="measure this checkout's code (default: this one)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    global CODE, REPEATS  # noqa: PLW0603 - a script's settings
    CODE, REPEATS = args.checkout.resolve(), max(1, args.repeats)
    load_before = os.getloadavg()[0]
    lines = []
    with tempfile.TemporaryDirectory() as d:
        if not args.audio_only:
            lines += typed(Path(d)) + [""]
        if not args.typed_only:
            lines += audio(Path(d)) + [""]
    note = (f"Median of {REPEATS} run{'s' if REPEATS > 1 else ''} per row; load average {load_before:.1f} "
            f"before, {os.getloadavg()[0]:.1f} after; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    print(note)
    if args.out:
        title = "# `score` on long inputs (bench/limits.py)"
        args.out.write_text("\n\n".join([title, note, "\n".join(lines)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
