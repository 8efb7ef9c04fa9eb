"""Criteria hear a clause whatever its tense: verbs to their base form (simulator/rubric/tense.py)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from simulator.rubric import load_bank, semantic
from simulator.rubric.tense import TABLE, base_form, tenseless
from simulator.rubric.text import clauses, normalise
from tests.conftest import ROOT


@pytest.mark.parametrize(("said", "base"), [
    ("so i rang the surgery and chased them twice", "so i ring the surgery and chase them twice"),
    ("so i ring the surgery and chase them twice", "so i ring the surgery and chase them twice"),
    ("he calls back and she was happy", "he call back and she be happy"),
    ("and she's flying in four days", "and she be fly in four days"),
    ("she'd been told it's been scanned", "she have be tell it have be scan"),
    ("i'm on the desk and they've gone", "i be on the desk and they have go"),
])
def test_verbs_and_pronoun_contractions_go_to_their_base_form(said, base):
    assert tenseless(said) == base


def test_other_words_and_contractions_are_left_as_said():
    assert tenseless("his daughter's passport and the customers") == "his daughter's passport and the customers"
    assert tenseless("i didn't know") == "i didn't know"
    assert tenseless("") == ""
    assert base_form("refunded") == "refund" and base_form("refund") == "refund"
    assert base_form("rebooked") == "rebooked"  # not in the dictionary: left as said


def test_the_shipped_verb_table_is_what_lemminflect_gives():
    """scripts/verb_forms.py made it; after a lemminflect upgrade, run it again."""
    spec = importlib.util.spec_from_file_location("verb_forms", ROOT / "scripts" / "verb_forms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.loads(TABLE.read_text(encoding="utf-8")) == module.verb_forms()


def _clause_set(text):
    norm = normalise(text)
    return semantic.embed_clauses(norm, clauses(text, norm))


def test_criteria_hear_the_past_and_the_historic_present_closer_than_the_encoder_alone():
    past = _clause_set("so i rang the depot manager and asked him to pull it off the shelf")
    present = _clause_set("so i ring the depot manager and ask him to pull it off the shelf")
    assert float(past.tenseless[0] @ present.tenseless[0]) > float(past.vectors[0] @ present.vectors[0]) + 0.01
    assert abs(float((past.tenseless[0] ** 2).sum()) - 1) < 1e-4


def test_red_flags_hear_the_clause_as_said_and_criteria_tenseless():
    bank = load_bank()
    cs = _clause_set("honestly i only applied because the pay was better")
    flag = next(iter(bank.red_flags.values()))
    criterion = bank.get_rubric("star").criteria[0]
    assert semantic.heard_as(cs, flag) is cs
    assert (semantic.heard_as(cs, criterion).vectors == cs.tenseless).all()
