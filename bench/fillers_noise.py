#!/usr/bin/env python3
"""Hesitations invented under noise: the spent voice sets' answers that hold no "um" or "uh", with white
noise added, through the same analysis as `score` (both decodes, the second look, the sound checks).

    PYTHONPATH=. .venv/bin/python bench/fillers_noise.py [--levels -40,-30,-25] [--write PATH]

Every hesitation the report counts on these answers is invented (their texts hold none). The answers
come from tests/data/voices/{dev,heldout,...,heldout5}.json (the spent sets) (tuning data; never the blind set). The noise
is Gaussian, its level the RMS in dBFS; the speech peaks near -3 dBFS, so -25 dBFS sits about 10 dB
under the speech, a loud fan or a busy room. One seed, so a run repeats exactly.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data" / "voices"))

import render  # noqa: E402  (tests/data/voices/render.py)
from simulator.answer.build import analyse_clip  # noqa: E402
from simulator.audio.clip import AudioClip  # noqa: E402
from simulator.audio.files import read_audio  # noqa: E402
from simulator.speech.engines import make_transcriber  # noqa: E402
from simulator.speech.hesitations import is_hesitation  # noqa: E402

SETS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")  # spent sets only: never the blind one
SEED = 7


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", default="-40,-30,-25", help="noise levels in dBFS, comma-separated")
    ap.add_argument("--write", metavar="PATH", help="also write the Markdown table to PATH")
    ap.add_argument("--model", default=None, help="a bundled model name or a model folder (default: the default model)")
    ap.add_argument("--only", default="", help="comma list of answer ids to analyse (the noise of the others is still "
                    "drawn, so each answer gets the same noise as in a full run)")
    ap.add_argument("--no-listener", action="store_true", help="without the hesitation listener (to tell its events apart)")
    args = ap.parse_args(argv)
    if args.no_listener:
        from simulator.speech import hesitation_probe  # noqa: PLC0415
        hesitation_probe.load_model = lambda: None
    levels = [float(x) for x in args.levels.split(",")]
    transcriber = make_transcriber("faster-whisper", args.model)
    rng = np.random.default_rng(SEED)
    found = {lv: 0 for lv in [None, *levels]}
    where: list[str] = []
    answers = 0
    with tempfile.TemporaryDirectory(prefix="fillers-noise-") as tmp:
        for name in SETS:
            spec = render.load_spec(ROOT / "tests" / "data" / "voices" / f"{name}.json")
            quiet = [a for a in spec["answers"] if a["labels"]["um"] + a["labels"]["uh"] == 0]
            ids = {a["id"] for a in quiet}
            for answer, path, _ in render.render_spec(spec, Path(tmp), "wav", ids):
                answers += 1
                clean = read_audio(path).samples
                for level in found:
                    noisy = clean if level is None else clean + rng.normal(0, 10 ** (level / 20), len(clean))
                    if args.only and answer["id"] not in args.only.split(","):
                        continue
                    report = analyse_clip(AudioClip(noisy.astype(np.float32)), transcriber, recover=True)
                    invented = [f for f in report.delivery.fillers.items if is_hesitation(f.text)]
                    found[level] += len(invented)
                    where += [f"{answer['id']} at {level} dBFS: {f.text} at {f.start_s:.2f} s" for f in invented]
                print(f"{answer['id']} done", file=sys.stderr)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cols = ["clean", *(f"{lv:g} dBFS" for lv in levels)]
    lines = [f"# Hesitations invented under noise ({answers} answers with no um or uh)", "",
             f"- measured {dt.datetime.now():%Y-%m-%d %H:%M} on commit `{commit}`; faster-whisper {transcriber.model_name} int8, "
             "filler recovery on", f"- command: `PYTHONPATH=. python bench/fillers_noise.py{' --model ' + args.model if args.model else ''}`", "",
             "| noise | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols),
             "| hesitations invented | " + " | ".join(str(n) for n in found.values()) + " |", ""]
    lines += [f"- {w}" for w in where]
    md = "\n".join(lines) + "\n"
    print(md)
    if args.write:
        Path(args.write).write_text(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
