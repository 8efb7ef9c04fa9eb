#!/usr/bin/env python3
"""Hesitations counted phrase by phrase, as the live loop decodes an answer, with the hesitation
listener on and off: does what it learned on whole answers hold when the encoder sees one phrase?

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python bench/fillers_phrases.py --set heldout12

Renders a spent voice set (tests/data/voices/SET.json; never the blind one), cuts each answer into
phrases with the app's own endpointer (end of answer disabled) and gives each phrase the live loop's
decode and second look (``transcribe_and_recover``, no prompt). Counts um/uh only (Whisper's own and
recovered) against the labels: the per-answer count error over answers with one or more, and the
hesitations found on answers with none.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "data" / "voices"))
import render  # noqa: E402
from simulator.audio.endpoint import EndpointConfig, Endpointer  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech import hesitation_probe  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402
from simulator.speech.filler_recovery import transcribe_and_recover  # noqa: E402
from simulator.speech.hesitations import is_hesitation  # noqa: E402
from fillers_voices import BLIND  # noqa: E402  (bench/: the blind set is measured there, once)



def phrases(samples: np.ndarray) -> list[tuple[int, int]]:
    ep = Endpointer(EndpointConfig(end_silence_s=1e9))
    found = []
    for i in range(0, len(samples), 1600):
        found += ep.feed(samples[i:i + 1600]).closed
    tail = ep.finish()
    return [(s.start, s.end) for s in found + ([tail] if tail else [])]


def count(transcriber, samples: np.ndarray) -> tuple[int, int, list[str]]:
    """(hesitations found, phrases, each found one as "text at time (source)")"""
    cuts = phrases(samples)
    found = []
    for a, b in cuts:
        transcript, recovered = transcribe_and_recover(transcriber, samples[a:b])
        at = a / 16000
        found += [f"{w.text} at {w.start_s + at:.2f} s (Whisper)" for w in transcript.words if is_hesitation(w.text)]
        found += [f"{f.text} at {f.start_s + at:.2f} s (second look)" for f in recovered if is_hesitation(f.text)]
    return len(found), len(cuts), found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", required=True)
    ap.add_argument("--weights", type=Path, default=None,
                    help="a listener fitted without the set (bench/fit_hesitation_probe.py --without SET --out PATH); "
                         "default: the shipped one, which was fitted on every spent set (memory, not skill)")
    args = ap.parse_args()
    if args.set == BLIND:
        print("refused: a blind set is measured once, by bench/fillers_voices.py --once", file=sys.stderr)
        return 2
    spec = render.load_spec(ROOT / "tests" / "data" / "voices" / f"{args.set}.json")
    transcriber = make_transcriber("faster-whisper", None)
    listener = hesitation_probe.read_model(args.weights)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for a in spec["answers"]:
            render.render_answer(a, Path(tmp), "wav")
            samples = read_audio(Path(tmp) / f"{a['id']}.wav").samples
            hesitation_probe.load_model = lambda: listener  # noqa: E731
            on, n_phrases, found_on = count(transcriber, samples)
            hesitation_probe.load_model = lambda: None  # noqa: E731
            off, _, found_off = count(transcriber, samples)
            true = a["labels"]["um"] + a["labels"]["uh"]
            rows.append((a["id"], true, on, off, n_phrases))
            print(f"{a['id']}: true {true}, listener on {on}, off {off}, {n_phrases} phrases", flush=True)
            if on > true or off > true:  # name what was counted over the true count
                print(f"    on: {found_on}\n    off: {found_off}", flush=True)
    for name, k in (("listener on", 2), ("listener off", 3)):
        errs = [abs(r[k] - r[1]) / r[1] for r in rows if r[1]]
        made_up = sum(r[k] for r in rows if not r[1])
        over = sum(max(0, r[k] - r[1]) for r in rows)
        print(f"{args.set}, {name}: hesitation count error {np.mean(errs):.1%} over {len(errs)} answers; "
              f"found {sum(min(r[k], r[1]) for r in rows)}/{sum(r[1] for r in rows)}; "
              f"on answers without: {made_up}; over the true count: {over}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
