"""``interview-sim roleplay`` through a real child process (``python -m simulator``): the JSON on
stdout parses as one object and an error is one line. The other role-play CLI checks run in-process
in tests/unit/test_roleplay_cli.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.unit.test_roleplay_cli import GOOD, one_line_error

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", "roleplay", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_json_run_prints_only_one_json_object():
    r = cli("--scenario", "refund-outside-policy", "--text", "--json", stdin=GOOD + "one line too many\n")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["outcome"] == "resolved" and data["ignored_lines"] == 1
    assert [t["speaker"] for t in data["turns"]][:2] == ["customer", "candidate"]
    assert all({"speaker", "text", "cues", "mood"} <= set(t) for t in data["turns"])
    assert data["turns"][1]["cues"] == ["acknowledgement", "apology", "question"]
    assert isinstance(data["score"]["overall"], int) and data["debrief"]


def test_unknown_scenario():
    one_line_error(cli("--scenario", "nope", "--text", stdin="hi\n"), "no role-play with id 'nope'")
