#!/usr/bin/env python3
"""How far the speech of each live-loop phrase stands above its noise floor: the hesitation listener's
gate (``hesitation_probe.MIN_SPEECH_OVER_NOISE_DB``) is judged per decoded clip, and in the live loop a
clip is one phrase. Two figures: against the phrase's own floor (its quietest tenth), and against the
floor the live loop uses since stop 37, the lower of that and the room's over the answer's last 30 s
(``streaming.ROOM_S``).

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/phrase_noise_floor.py [--sets heldout10,...] [--rooms -70,-60,-50]

Renders each answer of the spent voice sets named (render.py), adds a room's white noise at each level,
cuts it into phrases with the app's endpointer as the live loop does, and prints the spread of
the speech's height over both floors; first, the whole answers' as rendered and the recorded human
speech's (tests/data/human/). Never the blind set.
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
from simulator.audio.clip import SAMPLE_RATE  # noqa: E402
from simulator.audio.energy import EnergyProfile, floor_db  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.hesitation_probe import MIN_SPEECH_OVER_NOISE_DB  # noqa: E402
from simulator.speech.streaming import ROOM_S  # noqa: E402


def phrases(samples: np.ndarray) -> list[tuple[float, float]]:
    """(speech over the phrase's own floor, over the live loop's floor) of each phrase, in dB."""
    ep = Endpointer(EndpointConfig())
    segs = []
    for i in range(0, len(samples), 1600):
        segs += ep.feed(samples[i:i + 1600]).closed
    out = []
    for s in segs:
        own = EnergyProfile.of(samples[s.start:s.end])
        room = floor_db(samples[max(0, s.end - int(ROOM_S * SAMPLE_RATE)):s.end])
        out.append((own.speech_over_floor_db, own.speech_db - min(own.floor_db, room)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="heldout10,heldout11,heldout12,heldout13")
    ap.add_argument("--rooms", default="-70,-60,-50", help="white-noise levels in dBFS")
    args = ap.parse_args()
    sets = args.sets.split(",")
    if any(s == BLIND or s in WAITING for s in sets):
        print(f"refused: {', '.join(s for s in (BLIND, *WAITING) if s)} are blind", file=sys.stderr)
        return 2
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        clips = []
        for name in sets:
            spec = render.load_spec(ROOT / "tests" / "data" / "voices" / f"{name}.json")
            clips += [read_audio(p).samples.astype(np.float32) for _, p, _ in render.render_spec(spec, Path(tmp), "wav")]
    whole = np.array([EnergyProfile.of(x).speech_over_floor_db for x in clips])
    print(f"whole answers as rendered (no noise added): {len(whole)}; speech over floor: lowest {whole.min():.1f} dB, "
          f"median {np.median(whole):.1f}")
    for p in sorted((ROOT / "tests" / "data" / "human").glob("*.wav")):
        print(f"{p.relative_to(ROOT)}: speech over floor {EnergyProfile.of(read_audio(p).samples).speech_over_floor_db:.1f} dB")
    print("| room noise | phrases | floor | lowest | 5th percentile | median | under the gate | under 25 dB |")
    print("|---|---|---|---|---|---|---|---|")
    for room in (float(r) for r in args.rooms.split(",")):
        both = np.array([v for x in clips for v in phrases(x + rng.normal(0, 10 ** (room / 20), len(x)).astype(np.float32))])
        for col, name in ((0, "the phrase's own"), (1, "the live loop's")):
            v = both[:, col]
            print(f"| {room:.0f} dBFS | {len(v)} | {name} | {v.min():.1f} dB | {np.percentile(v, 5):.1f} | "
                  f"{np.median(v):.1f} | {(v < MIN_SPEECH_OVER_NOISE_DB).sum()} | {(v < 25).sum()} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
