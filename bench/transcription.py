#!/usr/bin/env python3
"""Speech-engine benchmark: model load time, real-time factor and peak memory on the fixtures.

Each configuration runs in its own process (so peak RSS is its own), loads the model, then
transcribes every spoken fixture ``--repeats`` times. Reported: median load time, median real-time
factor (transcription seconds / audio seconds), and the process's peak RSS. Also the whole ``score``
pipeline (transcription + filler recovery + delivery analysis) for the default engine.

    .venv/bin/python bench/transcription.py [--repeats 3] [--quick]

Never part of the tests: machines are noisy; compare medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from simulator.speech.bundle import resolve_ct2_model

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ["star_clean", "star_fillers", "deescalation_slow", "definition_fast"]

# (engine, compute type, beam, whole score pipeline?, threads per decode, decodes at once)
CONFIGS = [
    ("faster-whisper", "int8", 5, False, 1, 2),  # the default
    ("faster-whisper", "int8", 5, False, 2, 1),  # two threads in one decode instead
    ("faster-whisper", "float32", 5, False, 1, 2),
    ("faster-whisper", "int8", 1, False, 1, 2),
    ("openai-whisper", "float32", 5, False, 2, 1),
    ("openai-whisper", "float32", 1, False, 2, 1),
    # The whole score pipeline, filler recovery included: its second pass runs beside the main one
    # when the engine takes two decodes at once, after it otherwise.
    ("faster-whisper", "int8", 5, True, 1, 2),
    ("faster-whisper", "int8", 5, True, 2, 1),
]

CHILD = r"""
import json, resource, sys, time
root, fixtures, model, engine, compute, beam, pipeline, threads, workers, repeats = json.loads(sys.argv[1])
sys.path.insert(0, root)
from simulator.speech.engines import make_transcriber
from simulator.audio.files import read_audio
from simulator.answer.build import analyse_clip
t0 = time.perf_counter()
if engine == "faster-whisper":
    from simulator.speech.bundle import resolve_ct2_model
    from simulator.speech.faster_engine import FasterWhisperTranscriber
    path, label = resolve_ct2_model(model)
    tr = FasterWhisperTranscriber(path, model_name=label, compute_type=compute, beam_size=beam,
                                  cpu_threads=threads, workers=workers)
else:
    tr = make_transcriber(engine, model, compute_type=compute, beam_size=beam, threads=threads)
load_s = time.perf_counter() - t0
clips = [read_audio(f"{root}/audio_fixtures/{f}.flac") for f in fixtures]
audio_s = sum(c.duration_s for c in clips)
tr.transcribe(clips[0].samples[: 16000 * 5])  # warm-up
rtfs = []
for _ in range(repeats):
    t0 = time.perf_counter()
    for c in clips:
        analyse_clip(c, tr) if pipeline else tr.transcribe(c.samples)
    rtfs.append((time.perf_counter() - t0) / audio_s)
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": load_s, "rtfs": rtfs, "peak_mb": peak_mb, "audio_s": audio_s}))
"""


def run_config(model: str | None, engine: str, compute: str, beam: int, pipeline: bool, threads: int, workers: int,
               repeats: int) -> dict | None:
    """One configuration in a fresh process; None (with the reason on stderr) if it cannot run."""
    spec = json.dumps([str(ROOT), FIXTURES, model, engine, compute, beam, pipeline, threads, workers, repeats])
    out = subprocess.run([sys.executable, "-c", CHILD, spec], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"  {engine} {compute}: failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one repeat, default engine only")
    ap.add_argument("--model", default=None, help="a bundled model name or a model folder (default: the default model)")
    args = ap.parse_args()
    configs = CONFIGS[:1] if args.quick else CONFIGS
    load_before = os.getloadavg()
    repeats = 1 if args.quick else args.repeats
    rows = []
    for engine, compute, beam, pipeline, threads, workers in configs:
        loads, rtfs, peaks = [], [], []
        for _ in range(1 if pipeline else 2):
            r = run_config(args.model, engine, compute, beam, pipeline, threads, workers, repeats)
            if r is None:
                break
            loads.append(r["load_s"])
            rtfs.extend(r["rtfs"])
            peaks.append(r["peak_mb"])
            audio_s = r["audio_s"]
        if not rtfs:
            continue
        what = "score pipeline (with filler recovery)" if pipeline else f"beam {beam}" if beam > 1 else "greedy"
        cpu = f"{threads} thread{'s' if threads > 1 else ''}" + (f", {workers} decodes at once" if workers > 1 else "")
        rows.append((engine, compute, what, cpu, statistics.median(loads), statistics.median(rtfs), max(peaks)))
    load_after = os.getloadavg()
    label = args.model or resolve_ct2_model(None)[1]
    print(f"{label}, {len(FIXTURES)} fixtures ({audio_s:.0f} s of speech), {os.cpu_count()} CPUs, median of "
          f"{repeats} runs per process, two processes per row (one for the pipeline rows); load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after\n")
    print("| engine | compute | decoding | CPU | model load s | RTF | peak RSS MB |")
    print("|---|---|---|---|---:|---:|---:|")
    for engine, compute, what, cpu, load, rtf, peak in rows:
        print(f"| {engine} | {compute} | {what} | {cpu} | {load:.2f} | {rtf:.3f} | {peak:.0f} |")
    model_flag = f" --model {args.model}" if args.model else ""
    print(f"\nCommand: `.venv/bin/python bench/transcription.py{' --quick' if args.quick else f' --repeats {repeats}'}{model_flag}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
