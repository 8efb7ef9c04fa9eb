#!/usr/bin/env python3
"""How often Whisper leaves out the last word of a live phrase, and how many the second reading restores.

    PYTHONPATH=. .venv/bin/python bench/dropped_endings.py --set dev [--set heldout16 ...] [--write PATH]

Each answer of a spent voice set (tests/data/voices/, rendered with espeak-ng as
bench/fillers_voices.py does) is cut into phrases by the live loop's endpointer, as the app cuts
them while the candidate speaks. Each phrase is decoded once with the default model (the first
reading), and then put through :func:`simulator.speech.dropped_ending.hear_dropped_ending`. Printed:
how many phrases the guard read again, how many second readings it kept, the words they added, and
the word error rate of the answers' joined phrases against the words spoken, before and after
(tests/wer.py: hesitations are not counted, so a restored "um" changes nothing here).

The voice sets' texts were written for the filler counts, not for this; no threshold of the guard
was chosen on them (it was chosen on the 18 phrases of the stop-40 tmux run). A blind or waiting
set is refused (bench/fillers_voices.py says which those are).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "voices"))

import render  # noqa: E402 - tests/data/voices/render.py
from fillers_voices import BLIND, SPENT, WAITING  # noqa: E402 - beside this script

from simulator.audio.endpoint import Endpointer  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.dropped_ending import UNHEARD_VOICE_S, hear_dropped_ending, unheard_voice_s  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402
from simulator.speech.transcript import text_of  # noqa: E402
from tests.wer import word_edits  # noqa: E402

VOICES = ROOT / "tests" / "data" / "voices"


def phrases(samples):
    """The phrases the live loop's endpointer closes on this audio (and the tail at its end)."""
    ep = Endpointer()
    out = []
    for i in range(0, len(samples), 3200):  # 0.2 s blocks, as the microphone delivers them
        out += ep.feed(samples[i:i + 3200]).closed
    tail = ep.finish()
    return out + ([tail] if tail is not None else [])


def measure(set_name: str, transcriber) -> tuple[dict, list[str]]:
    spec = render.load_spec(VOICES / f"{set_name}.json")
    totals = {"answers": 0, "phrases": 0, "read_again": 0, "kept": 0, "words_added": 0,
              "edits_before": 0, "edits_after": 0, "words": 0, "unheard": []}
    changes = []
    with tempfile.TemporaryDirectory() as tmp:
        for answer, path, _ in render.render_spec(spec, Path(tmp)):
            samples = read_audio(path).samples
            first_texts, after_texts = [], []
            for seg in phrases(samples):
                part = samples[seg.start:seg.end]
                first = transcriber.transcribe(part)
                totals["phrases"] += 1
                unheard = unheard_voice_s(part, first)
                if unheard >= UNHEARD_VOICE_S:
                    totals["read_again"] += 1
                    totals["unheard"].append(unheard)
                after = hear_dropped_ending(transcriber, part, first, None)
                if after is not first:
                    totals["kept"] += 1
                    added = len(after.words) - len(first.words)
                    totals["words_added"] += added
                    changes.append(f"{answer['id']} at {seg.start_s:.1f} s: ...{first.text[-40:]!r} + "
                                   f"{' '.join(w.text for w in after.words[-added:])!r}")
                first_texts.append(first.text)
                after_texts.append(text_of(after.segments))
            said = render.spoken_words(answer["text"])
            before_edits, n = word_edits(said, " ".join(first_texts))
            after_edits, _ = word_edits(said, " ".join(after_texts))
            totals["answers"] += 1
            totals["words"] += n
            totals["edits_before"] += before_edits
            totals["edits_after"] += after_edits
    return totals, changes


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", required=True, help="a spent voice set (repeatable)")
    ap.add_argument("--write", metavar="PATH", help="also write the Markdown report to PATH")
    args = ap.parse_args(argv)
    for name in args.set:
        if name == BLIND or name in WAITING:
            print(f"error: {name} is a blind voice set: bench/fillers_voices.py --once measures it", file=sys.stderr)
            return 2
        if name not in SPENT:
            print(f"error: unknown voice set {name!r}: one of {', '.join(SPENT)}", file=sys.stderr)
            return 2
    transcriber = make_transcriber()
    rows = ["| set | answers | phrases | read again | unheard voice of those, median / max s | second reading kept "
            "| words added | WER before | WER after |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|"]
    notes = []
    for name in args.set:
        t, changes = measure(name, transcriber)
        spread = (f"{np.median(t['unheard']):.2f} / {max(t['unheard']):.2f}" if t["unheard"] else "-")
        rows.append(f"| {name} | {t['answers']} | {t['phrases']} | {t['read_again']} | {spread} | {t['kept']} | "
                    f"{t['words_added']} | {t['edits_before'] / t['words']:.2%} | {t['edits_after'] / t['words']:.2%} |")
        notes += changes
    report = "\n".join(rows + ["", "Second readings kept:", *(f"- {c}" for c in notes or ["none"])])
    print(report)
    if args.write:
        Path(args.write).write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
