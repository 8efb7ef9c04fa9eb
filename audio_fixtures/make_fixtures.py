#!/usr/bin/env python3
"""Regenerate the spoken test answers in this folder from fixtures.json.

Each fixture is rendered with ``espeak-ng -w`` (deterministic for a given espeak-ng version), parts
joined with exact silences by sox, and saved as 16-bit FLAC at espeak's native 22050 Hz so that the
tests also exercise resampling. Needs the Debian packages espeak-ng and sox.

    python3 audio_fixtures/make_fixtures.py            # all
    python3 audio_fixtures/make_fixtures.py star_clean # one
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATE = 22050


def render(fixture: dict, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if "silence_only_s" in fixture:
            _sox(["-n", "-r", str(RATE), "-c", "1", "-b", "16", str(out), "trim", "0", str(fixture["silence_only_s"])])
            return
        if "noise_s" in fixture:
            _sox(["-n", "-r", str(RATE), "-c", "1", "-b", "16", str(out), "synth", str(fixture["noise_s"]),
                  fixture["noise_type"], "gain", str(fixture["noise_gain_db"])])
            return
        pieces: list[str] = []
        silence = tmpdir / "silence.wav"
        _sox(["-n", "-r", str(RATE), "-c", "1", "-b", "16", str(silence), "trim", "0", str(fixture.get("silence_s", 0.5))])
        for i, text in enumerate(fixture["parts"]):
            wav = tmpdir / f"part{i}.wav"
            subprocess.run(["espeak-ng", "-v", fixture["voice"], "-s", str(fixture["rate"]), "-w", str(wav), text],
                           check=True)
            if pieces:
                pieces.append(str(silence))
            pieces.append(str(wav))
        _sox([*pieces, "-b", "16", str(out)])


def _sox(args: list[str]) -> None:
    subprocess.run(["sox", *args], check=True)


def main(argv: list[str]) -> int:
    manifest = json.loads((HERE / "fixtures.json").read_text())
    for fixture in manifest["fixtures"]:
        if argv and fixture["id"] not in argv:
            continue
        out = HERE / f"{fixture['id']}.flac"
        render(fixture, out)
        print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
