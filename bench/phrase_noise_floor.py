#!/usr/bin/env python3
"""How far the speech of each live-loop phrase stands above its noise floor: the hesitation listener's
gate (``hesitation_probe.MIN_SPEECH_OVER_NOISE_DB``) is judged per decoded clip, and in the live loop a
clip is one phrase, whose floor is its own quietest tenth.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/phrase_noise_floor.py [--sets heldout10,...] [--rooms -70,-60,-50]

Renders each answer of the spent voice sets named (render.py), adds a room's white noise at each level,
cuts it into phrases with the app's endpointer as the live loop does, and prints the spread of
``EnergyProfile.speech_over_floor_db`` over the phrases, and the phrases under 25 dB. Never the blind set.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "data" / "voices")); sys.path.insert(0, str(ROOT / "bench"))
import render  # noqa: E402
from fillers_voices import BLIND, WAITING  # noqa: E402
from simulator.audio.endpoint import Endpointer, EndpointConfig  # noqa: E402
from simulator.audio.energy import EnergyProfile  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.hesitation_probe import MIN_SPEECH_OVER_NOISE_DB  # noqa: E402


def phrases(samples: np.ndarray) -> list[np.ndarray]:
    ep = Endpointer(EndpointConfig())
    segs = []
    for i in range(0, len(samples), 1600):
        segs += ep.feed(samples[i:i + 1600]).closed
    return [samples[s.start:s.end] for s in segs]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="heldout10,heldout11,heldout12,heldout13")
    ap.add_argument("--rooms", default="-70,-60,-50", help="white-noise levels in dBFS")
    args = ap.parse_args()
    sets = args.sets.split(",")
    if any(s == BLIND or s in WAITING for s in sets):
        print(f"refused: {BLIND} and {', '.join(WAITING)} are blind", file=sys.stderr)
        return 2
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        clips = []
        for name in sets:
            spec = render.load_spec(ROOT / "tests" / "data" / "voices" / f"{name}.json")
            clips += [read_audio(p).samples.astype(np.float32) for _, p, _ in render.render_spec(spec, Path(tmp), "wav")]
    for room in (float(r) for r in args.rooms.split(",")):
        values = np.array([EnergyProfile.of(ph).speech_over_floor_db
                           for x in clips for ph in phrases(x + rng.normal(0, 10 ** (room / 20), len(x)).astype(np.float32))])
        print(f"room noise {room:.0f} dBFS: {len(values)} phrases; speech over floor: min {values.min():.1f}, "
              f"5th percentile {np.percentile(values, 5):.1f}, median {np.median(values):.1f} dB; "
              f"under the gate ({MIN_SPEECH_OVER_NOISE_DB:.0f} dB): {(values < MIN_SPEECH_OVER_NOISE_DB).sum()}; "
              f"under 25 dB: {(values < 25).sum()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
