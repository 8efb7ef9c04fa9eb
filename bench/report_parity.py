"""Reports before and after a refactor: ``score --json`` on every spoken fixture (with its question),
written to a folder; run it on two commits and compare the folders.

    .venv/bin/python bench/report_parity.py OUT_DIR
    diff -r BEFORE_DIR AFTER_DIR      # nothing printed: the same reports, byte for byte

Used for the skeleton redesign (issue 14): the eight fixtures' reports were byte-identical before
(53b9581) and after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((ROOT / "audio_fixtures" / "fixtures.json").read_text())
    cli = [sys.executable, "-m", "simulator"]
    for fixture in manifest["fixtures"]:
        args = [*cli, "score", f"audio_fixtures/{fixture['id']}.flac", "--json"]  # relative: checkouts compare
        if fixture.get("question"):
            args += ["--question", fixture["question"]]
        r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
        (out / f"{fixture['id']}.json").write_text(r.stdout)
        (out / f"{fixture['id']}.err").write_text(r.stderr)
        print(f"{fixture['id']}: exit {r.returncode}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report_parity.py OUT_DIR")
    sys.exit(main(Path(sys.argv[1])))
