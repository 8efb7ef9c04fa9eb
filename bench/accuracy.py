#!/usr/bin/env python3
"""Recognition and delivery accuracy on the spoken fixtures, as a Markdown table.

For each fixture: word error rate against the text espeak-ng spoke, WPM against the reference
(reference words over the voiced span measured from the samples), and hesitations found / spoken.

    .venv/bin/python bench/accuracy.py [--engine faster-whisper] [--compute-type int8]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.analysis.fillers import HESITATIONS  # noqa: E402
from tests.wer import normalise_words, word_error_rate  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.answer.build import analyse_clip  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="faster-whisper")
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--model", default=None, help="a bundled model name or a model folder (default: the default model)")
    ap.add_argument("--no-filler-recovery", action="store_true", help="measure Whisper's own fillers only")
    args = ap.parse_args()
    transcriber = make_transcriber(args.engine, args.model, compute_type=args.compute_type)
    manifest = json.loads((ROOT / "audio_fixtures" / "fixtures.json").read_text())["fixtures"]
    recovery = "off" if args.no_filler_recovery else "on"
    print(f"{args.engine} {args.compute_type}, {transcriber.model_name}, filler recovery {recovery}\n")
    print("| fixture | voice, rate | WER | WPM | reference WPM | hesitations found / spoken | invented |")
    print("|---|---|---:|---:|---:|---:|---:|")
    found_total = spoken_total = invented_total = 0
    wers = []
    for fx in manifest:
        if "parts" not in fx:
            continue
        clip = read_audio(ROOT / "audio_fixtures" / f"{fx['id']}.flac")
        report = analyse_clip(clip, transcriber, recover=not args.no_filler_recovery)
        ref = " ".join(fx["parts"])
        spoken = sum(w.strip(",.").lower() in HESITATIONS for w in ref.split())
        found = sum(f.text in HESITATIONS for f in report.delivery.fillers.items)
        voiced = np.flatnonzero(np.abs(clip.samples) > 0.01)
        ref_wpm = (len(normalise_words(ref)) + spoken) / ((voiced[-1] - voiced[0]) / 16_000) * 60
        wer = word_error_rate(ref, report.transcript.text)
        wers.append(wer)
        found_total += min(found, spoken)
        spoken_total += spoken
        invented_total += max(0, found - spoken)
        print(f"| {fx['id']} | {fx['voice']} {fx['rate']} | {wer:.3f} | {report.delivery.wpm:.0f} | {ref_wpm:.0f} "
              f"| {found} / {spoken} | {max(0, found - spoken)} |")
    print(f"\nmean WER {np.mean(wers):.3f}; hesitation recall {found_total}/{spoken_total}; invented {invented_total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
