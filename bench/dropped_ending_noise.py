#!/usr/bin/env python3
"""How often a live phrase loses its last word under noise too small to hear, and how often the
second reading gives it back.

    PYTHONPATH=. .venv/bin/python bench/dropped_ending_noise.py [--phrase FLAC] [--word desk] [--runs 120]

The phrase (default ``audio_fixtures/recorded/dropped_ending_3_years.flac``: stop 41's live phrase, as
the endpointer cut it) is read ``--runs`` times by the default model, each time with its own white noise
of 3e-5 RMS added (about -90 dBFS: the difference between the live float samples and the int16
recording is of this size). Counted: first readings without ``--word``, and of those, how many
:func:`simulator.speech.dropped_ending.hear_dropped_ending` gives it back. The seeds are fixed, so a
run repeats on one machine; another CPU's arithmetic may flip other readings.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.dropped_ending import hear_dropped_ending  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402

NOISE_RMS = 3e-5


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phrase", type=Path, default=ROOT / "audio_fixtures" / "recorded" / "dropped_ending_3_years.flac")
    ap.add_argument("--word", default="desk", help="the phrase's last word")
    ap.add_argument("--runs", type=int, default=120)
    args = ap.parse_args(argv)
    samples = read_audio(args.phrase).samples.astype(np.float32)
    transcriber = make_transcriber()
    lost = restored = 0
    for seed in range(args.runs):
        noisy = samples + np.random.default_rng(seed).normal(0, NOISE_RMS, len(samples)).astype(np.float32)
        first = transcriber.transcribe(noisy)
        if args.word in first.text.lower():
            continue
        lost += 1
        again = hear_dropped_ending(transcriber, noisy, first, None)
        restored += args.word in again.text.lower()
        print(f"seed {seed}: ...{first.text[-40:]!r} -> ...{again.text[-40:]!r}", flush=True)
    print(f"\n| phrase | readings | first reading without {args.word!r} | given back by the second reading |")
    print("|---|---:|---:|---:|")
    print(f"| {args.phrase.name} | {args.runs} | {lost} | {restored} of {lost} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
