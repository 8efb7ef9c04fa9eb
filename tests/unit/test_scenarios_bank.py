"""The bundled question bank and its loader: completeness, validation errors, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.rubric import load_bank
from simulator.rubric.models import CATEGORIES, ROLE_FAMILIES

BANK = load_bank()


def test_bundled_bank_loads_cleanly():
    assert BANK.errors == []
    assert len(BANK.questions) >= 40
    for rid in ("star", "de-escalation", "motivation", "definition"):
        assert rid in BANK.rubrics
    assert [c.id for c in BANK.rubrics["star"].criteria] == ["situation", "task", "action", "result", "insight"]
    assert [c.id for c in BANK.rubrics["de-escalation"].criteria] == [
        "empathy", "clarify", "options", "escalation", "next_steps"]
    assert [c.id for c in BANK.rubrics["motivation"].criteria] == ["past", "present", "future"]
    assert [c.id for c in BANK.rubrics["definition"].criteria] == ["principle", "example", "business_impact"]
    assert {"extrinsic_motivation", "negativity", "vague", "blames_customer", "bluffing"} <= set(BANK.red_flags)


def test_seed_questions_present():
    texts = " | ".join(q.text.lower() for q in BANK.questions.values())
    for phrase in ("tell me about yourself", "confidential or sensitive", "questions for us",
                   "first-call resolution", "language barrier", "five years", "salary expectations",
                   "refund outside policy", "why should we hire you", "don't know the answer"):
        assert phrase in texts, phrase


def test_every_role_family_and_many_categories():
    roles = {r for q in BANK.questions.values() for r in q.roles}
    assert roles == set(ROLE_FAMILIES)
    cats = {q.category for q in BANK.questions.values()}
    assert cats == set(CATEGORIES) - {"opener"} | {"opener"} or len(cats) >= 9
    for role in ROLE_FAMILIES:
        assert BANK.questions_for(role)


def _write(dir: Path, name: str, text: str) -> Path:
    p = dir / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """kind: questions
role: retail
questions:
  - id: my-question
    text: What is your favourite product?
    category: culture-fit
    rubric: motivation
    target_s: [30, 60]
    tips: [Be specific]
    follow_ups: ["Why?"]
"""


def test_broken_file_reports_file_field_and_line_and_rest_loads(tmp_path):
    _write(tmp_path, "good.yaml", GOOD)
    _write(tmp_path, "bad.yaml", GOOD.replace("my-question", "other").replace("culture-fit", "nonsense"))
    bank = load_bank([tmp_path])
    assert "my-question" in bank.questions and "other" not in bank.questions
    assert "tell-me-about-yourself" in bank.questions
    (err,) = bank.errors
    assert err.path.name == "bad.yaml" and err.field == "questions[0].category" and err.line == 6
    assert "bad.yaml:6: questions[0].category" in str(err)


def test_unknown_rubric_and_bad_yaml_and_bad_regex(tmp_path):
    _write(tmp_path, "a.yaml", GOOD.replace("rubric: motivation", "rubric: nope"))
    _write(tmp_path, "b.yaml", "kind: questions\nrole: [unclosed\n")
    _write(tmp_path, "c.yaml", "kind: rubric\nrubric:\n  id: x\n  label: X\n  criteria:\n"
           "    - id: c\n      label: C\n      praise: p\n      advice: a\n      cues: ['(oops']\n")
    bank = load_bank([tmp_path], include_default=False)
    by_name = {}
    for e in bank.errors:
        by_name.setdefault(e.path.name, e)
    assert "unknown rubric 'nope'" in by_name["a.yaml"].message and by_name["a.yaml"].line == 7
    assert "not valid YAML" in by_name["b.yaml"].message and by_name["b.yaml"].line
    assert "bad cue pattern" in by_name["c.yaml"].message and by_name["c.yaml"].line == 10


def test_future_kinds_are_skipped(tmp_path):
    _write(tmp_path, "p.yaml", "kind: persona\nid: angry\n")
    assert load_bank([tmp_path], include_default=False).errors == []


def test_cli_validate_list_show(tmp_path, capsys):
    from simulator.cli import main

    assert main(["scenarios", "validate"]) == 0
    _write(tmp_path, "bad.yaml", GOOD.replace("target_s: [30, 60]", "target_s: [60, 30]"))
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out, err = capsys.readouterr()
    line = [l for l in out.splitlines() if "bad.yaml" in l]
    assert len(line) == 1 and "target_s" in line[0] and ":8:" in line[0]
    assert main(["scenarios", "list", "--role", "hospitality"]) == 0
    assert "room-not-ready" in capsys.readouterr().out
    assert main(["scenarios", "show", "star-nope"]) == 1
    assert main(["scenarios", "show", "refund-outside-policy"]) == 0
    assert "next_steps" in capsys.readouterr().out
