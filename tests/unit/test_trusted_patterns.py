"""The bundled scenario files' cue patterns are checked here, in full, so that the app need not
check them again each time it loads them (launch compiled 254 patterns it did not need yet); a
user's files are still checked in full on every load."""

from __future__ import annotations

from simulator.rubric import bank as bank_module
from simulator.rubric import load_bank, models
from simulator.scenarios import read_scenarios


def test_every_bundled_pattern_passes_the_full_checks():
    bank = load_bank(files=read_scenarios(trust_bundled=False))
    assert bank.errors == []
    assert len(bank.rubrics) >= 12


def test_loading_the_bundled_bank_compiles_no_pattern(monkeypatch):
    calls = []
    monkeypatch.setattr(models, "_compile", lambda *a, **k: calls.append(a))
    bank = load_bank()
    assert bank.errors == [] and calls == []
    assert bank_module.load_bank is load_bank


def test_a_users_bad_pattern_is_still_refused_on_load(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "kind: rubric\nrubric:\n  id: mine\n  label: Mine\n  criteria:\n"
        "    - id: one\n      label: One\n      cues: ['(a|aa)+$']\n      praise: Good.\n      advice: Do it.\n",
        encoding="utf-8")
    bank = load_bank([tmp_path])
    assert any("unbounded time" in e.message for e in bank.errors), bank.errors
