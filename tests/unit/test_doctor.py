"""`interview-sim doctor`'s closing line matches what the checks found."""

from __future__ import annotations

import argparse

import simulator.cli.devices as devices
from simulator.cli.devices import Check


def _run(monkeypatch, capsys, checks):  # noqa: ANN001, ANN202
    monkeypatch.setattr(devices, "doctor_checks", lambda: checks)
    code = devices.run_doctor(argparse.Namespace())
    return code, capsys.readouterr().out.strip().splitlines()[-1]


def test_all_set_only_when_every_check_passed(monkeypatch, capsys):
    assert _run(monkeypatch, capsys, [Check("model", True, "ok")]) == (0, "All set.")


def test_warnings_are_not_all_set(monkeypatch, capsys):
    checks = [Check("model", True, "ok"), Check("microphone", False, "none found", essential=False),
              Check("speaker", False, "none found", essential=False)]
    assert _run(monkeypatch, capsys, checks) == (0, "Ready, with 2 warning(s) above.")


def test_essential_failures_still_fail(monkeypatch, capsys):
    checks = [Check("model", False, "missing"), Check("microphone", False, "none", essential=False)]
    code, last = _run(monkeypatch, capsys, checks)
    assert code == 1 and "1 essential problem(s)" in last
