"""``interview-sim roleplay``: list, validate, text and JSON runs.

Every test calls ``simulator.cli.main`` in-process; the two that go through a real child process
(``python -m simulator``) to prove the JSON on stdout parses and errors are one line are in
tests/integration/test_roleplay_cli_process.py.
"""

from __future__ import annotations

import io
import json
import sys
from typing import NamedTuple

GOOD = "\n".join([
    "I'm so sorry, that sounds really frustrating. Can you tell me what happened?",
    "Thank you for explaining. I can offer you a replacement or store credit, which would you prefer?",
    "I'll put a replacement aside for you now and text you the confirmation within the hour",
]) + "\n"


class Result(NamedTuple):
    """The fields of a finished child process, for checks shared with the child-process tests."""

    args: tuple
    returncode: int
    stdout: str
    stderr: str


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> Result:
    """``interview-sim roleplay ARGS`` in-process, with ``stdin`` as standard input."""
    from simulator.cli import main  # noqa: PLC0415

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["roleplay", *args])
    out, err = capsys.readouterr()
    return Result(args, code, out, err)


def one_line_error(r: Result, needle: str) -> None:
    assert r.returncode != 0 and "Traceback" not in r.stderr and r.stdout == ""
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], r.stderr


def test_list(monkeypatch, capsys):
    r = run(monkeypatch, capsys, "--list")
    assert r.returncode == 0
    ids = [line.split()[0] for line in r.stdout.splitlines()]
    assert "refund-outside-policy" in ids and "outage-admin" in ids and len(ids) >= 6


def test_text_run_prints_replies_and_debrief(monkeypatch, capsys):
    r = run(monkeypatch, capsys, "--scenario", "refund-outside-policy", "--text", stdin="That's our policy\n" + GOOD)
    assert r.returncode == 0, r.stderr
    assert "You're not even listening to me!" in r.stdout
    assert "Customer [mood" in r.stdout and "Outcome: resolved" in r.stdout
    assert "Turn 1: Escalated the customer" in r.stdout


def test_json_unfinished_when_input_ends_early(monkeypatch, capsys):
    r = run(monkeypatch, capsys, "--scenario", "outage-admin", "--text", "--json", stdin="Is every user affected\n")
    assert json.loads(r.stdout)["outcome"] == "unfinished"


def test_empty_stdin(monkeypatch, capsys):
    one_line_error(run(monkeypatch, capsys, "--scenario", "outage-admin", "--text", stdin="\n  \n"), "no turns on standard input")


def test_without_text_opens_the_spoken_roleplay_in_the_app(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr("simulator.tui.roleplay_app.run_roleplay", lambda rid, opts, dirs: calls.append((rid, opts)) or 0)
    assert run(monkeypatch, capsys, "--scenario", "outage-admin", "--silence", "1.5").returncode == 0
    assert calls[0][0] == "outage-admin" and calls[0][1].silence_s == 1.5
    one_line_error(run(monkeypatch, capsys, "--scenario", "nope"), "no role-play with id 'nope'")
    one_line_error(run(monkeypatch, capsys, "--scenario", "outage-admin", "--json"), "--text")


def test_validate_all_and_a_broken_file(tmp_path, monkeypatch, capsys):
    ok = run(monkeypatch, capsys, "--validate")
    assert ok.returncode == 0 and ok.stdout.startswith("ok: ")
    bad = tmp_path / "broken.yaml"
    bad.write_text("kind: roleplay\nroleplay:\n  id: broken\n  title: Broken drill\n  role: retail\n"
                   "  persona: angry-customer\n  brief: x x x\n  opening: Hi\n  start: a\n  states:\n"
                   "    a: {lines: [Hi], transitions: [{to: nowhere}]}\n    b: {lines: [Bye], outcome: resolved}\n")
    r = run(monkeypatch, capsys, "--validate", str(bad))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "broken.yaml" in r.stdout and "unknown state 'nowhere'" in r.stdout
    assert "unreachable" in r.stdout
    assert "1 of 1 persona/role-play files are invalid" in r.stderr


def run_bytes(monkeypatch, capsys, data: bytes, *args: str) -> Result:
    """Like :func:`run`, with a byte stream on stdin (``sys.stdin.buffer``), as a pipe gives."""
    from simulator.cli import main  # noqa: PLC0415

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(["roleplay", *args])
    out, err = capsys.readouterr()
    return Result(args, code, out, err)


def test_bad_stdin_is_one_line_and_a_non_zero_exit(monkeypatch, capsys):
    text = ("--scenario", "outage-admin", "--text")
    huge = ("sorry " * 3000 + "\n").encode()
    one_line_error(run_bytes(monkeypatch, capsys, huge, *text, "--json"), "turn 1 is 17,999 characters long")
    one_line_error(run_bytes(monkeypatch, capsys, b"x" * 1_000_001, *text), "over 1 MB")
    garbage = bytes(range(256)) * 20
    one_line_error(run_bytes(monkeypatch, capsys, garbage, *text), "not UTF-8 text")
    nul = run_bytes(monkeypatch, capsys, b"hello\x00world\n", *text, "--json")
    one_line_error(nul, "binary or control characters")
    escapes = run_bytes(monkeypatch, capsys, b"I'm sorry\n\x1b[A\x07\n", *text)
    one_line_error(escapes, "turn 2 contains binary")


def test_utf8_bom_and_crlf_are_fine(monkeypatch, capsys):
    r = run_bytes(monkeypatch, capsys, b"\xef\xbb\xbfI'm sorry, is every user affected?\r\nok\r\n",
                  "--scenario", "outage-admin", "--text", "--json")
    assert r.returncode == 0, r.stderr
    said = [t["text"] for t in json.loads(r.stdout)["turns"] if t["speaker"] == "candidate"]
    assert said == ["I'm sorry, is every user affected?", "ok"]


def test_unknown_scenario_points_at_broken_files(tmp_path, monkeypatch, capsys):
    (tmp_path / "mine.yaml").write_text("kind: roleplay\nroleplay:\n  id: mine\n  title: Mine\n")
    r = run(monkeypatch, capsys, "--scenarios", str(tmp_path), "--scenario", "mine", "--text", stdin="hi\n")
    one_line_error(r, "no role-play with id 'mine'")
    assert "1 persona/role-play file did not load" in r.stderr and "--validate" in r.stderr
