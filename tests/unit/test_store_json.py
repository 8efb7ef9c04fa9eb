"""The store's JSON columns through pydantic: byte-for-byte what earlier releases stored, and read back
exactly (old shapes included)."""

from __future__ import annotations

import json

import pytest

from simulator.answer.build import typed_report
from simulator.rubric import score_content
from simulator.store import models as m
from tests.unit.test_store_fakes import question, scored_answer


def _reports():
    q = question()
    spoken, _ = scored_answer()
    typed = typed_report("I called three partner hotels and booked her a room.",
                         lambda t: score_content(t, question=q, prompt=q.text), tuple(q.target_s))
    return [spoken, typed, typed_report("", None)]


@pytest.mark.parametrize("kind", ["transcript", "delivery", "content"])
def test_stored_json_reads_back_to_the_same_record_and_bytes(kind):
    to_json, from_json = getattr(m, f"{kind}_to_json"), getattr(m, f"{kind}_from_json")
    for report in _reports():
        value = getattr(report, kind)
        if value is None:
            continue
        stored = json.dumps(to_json(value))
        back = from_json(json.loads(stored))
        assert back == value
        assert json.dumps(to_json(back)) == stored  # ints stay ints: a bank's 90 s target is not 90.0


def test_a_whole_second_target_reads_back_as_stored():
    delivery = _reports()[1].delivery
    assert delivery.target_length_s == (90, 150)
    back = m.delivery_from_json(json.loads(json.dumps(m.delivery_to_json(delivery))))
    assert [type(x) for x in back.target_length_s] == [int, int]


def test_the_stored_shapes_are_the_dataclasses_own():
    report, _ = scored_answer()
    from dataclasses import asdict

    assert json.dumps(m.transcript_to_json(report.transcript)) == json.dumps(asdict(report.transcript))
    assert json.dumps(m.content_to_json(report.content)) == json.dumps(asdict(report.content))
    assert m.feedback_to_json(report.content.feedback) == [{"kind": f.kind, "text": f.text}
                                                          for f in report.content.feedback]
    assert json.dumps(m.delivery_to_json(report.delivery)) == json.dumps(report.delivery.to_dict())


def test_delivery_stored_before_tone_wording_and_counts_still_loads():
    report, _ = scored_answer()
    d = json.loads(json.dumps(m.delivery_to_json(report.delivery)))
    for key in ("tone", "language", "pace_series"):
        del d[key]
    del d["fillers"]["counts"]
    old = m.delivery_from_json(d)
    assert old.tone is None and old.language is None and old.pace_series == () and old.fillers.counts == {}
    assert old.fillers.items == report.delivery.fillers.items and old.pauses == report.delivery.pauses


@pytest.mark.parametrize("damage", [{}, {"segments": "x"}, {"text": "a", "segments": [{"text": 1}]}])
def test_a_damaged_value_is_a_value_error(damage):
    with pytest.raises(ValueError):
        m.transcript_from_json(damage)
