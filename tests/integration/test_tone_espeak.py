"""Tone on real synthetic speech: espeak-ng renders of one answer, flat or lively, fading or rising.

The lively render widens espeak's pitch range and moves each sentence's pitch level (as lively
speakers reset pitch between sentences); the flat one narrows the range. Fading ends come from sox's
``fade``; rising ends are espeak's question intonation put on statements (uptalk).
"""

from __future__ import annotations

import pytest

from simulator.analysis.tone import analyse_tone
from tests.integration.espeak_speech import HAVE_TOOLS, SENTENCES, render, speak

pytestmark = pytest.mark.skipif(not HAVE_TOOLS, reason="needs espeak-ng and sox")

LEVELS = ("x-low", "x-high", "low", "high", "x-low", "x-high", "low", "high")


def answer(**kw):
    lively = kw.pop("lively")
    parts = [(s, render(s, pitch_range="x-high" if lively else "x-low", pitch=level if lively else "medium", **kw))
             for s, level in zip(SENTENCES, LEVELS)]
    audio, transcript = speak(parts)
    return analyse_tone(audio, transcript.words)


@pytest.fixture(scope="module")
def renders():
    return {
        "flat": answer(lively=False),
        "lively": answer(lively=True),
        "fading": answer(lively=True, fade_s=1.0),
        "rising": answer(lively=True, rise=True),
    }


def kinds(m, kind):
    return [x for x in m.moments if x.kind == kind]


def test_flat_and_lively_differ_and_only_flat_is_monotone(renders):
    flat, lively = renders["flat"], renders["lively"]
    assert flat.ok and lively.ok
    assert lively.pitch_sd_st - flat.pitch_sd_st >= 1.0
    assert flat.variety == "monotone" and kinds(flat, "monotone")
    assert lively.variety == "varied" and not kinds(lively, "monotone")


def test_fading_sentence_ends_trail_off(renders):
    assert len(kinds(renders["fading"], "trailing_off")) >= len(SENTENCES) / 2
    assert len(kinds(renders["lively"], "trailing_off")) <= 1


def test_statements_that_rise_are_uptalk(renders):
    assert len(kinds(renders["rising"], "uptalk")) >= len(SENTENCES) / 2
    assert len(kinds(renders["lively"], "uptalk")) <= 1
