"""Tone with the real recogniser's word times: the spoken fixtures, silence and noise, and espeak-ng
renders of one answer spoken flat and lively."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.tone import NOT_ENOUGH
from simulator.audio.clip import SAMPLE_RATE, AudioClip
from simulator.answer.build import analyse_clip
from simulator.report.json_report import report_to_dict
from tests.integration.espeak_speech import HAVE_TOOLS, SENTENCES, render

pytestmark = pytest.mark.integration

SPOKEN = ["star_clean", "star_fillers", "motivation_fillers_gb", "definition_fast", "deescalation_slow", "long_pause"]
LEVELS = ("x-low", "x-high", "low", "high", "x-low", "x-high", "low", "high")


@pytest.mark.parametrize("fid", SPOKEN)
def test_spoken_fixtures_get_a_tone(fid, fixture_reports):
    tone = report_to_dict(fixture_reports[fid])["delivery"]["tone"]
    assert tone["status"] == "ok"
    assert 70 < tone["pitch_median_hz"] < 300
    assert tone["verdicts"]["variety"] in {"monotone", "varied", "very wide"}
    assert all(m["kind"] in {"monotone", "trailing_off", "uptalk", "quiet"} for m in tone["moments"])


@pytest.mark.parametrize("fid", ["silence", "noise"])
def test_silence_and_noise_are_not_judged(fid, fixture_reports):
    tone = fixture_reports[fid].delivery.tone
    assert tone.status == NOT_ENOUGH and tone.variety == "n/a" and tone.moments == ()


@pytest.mark.skipif(not HAVE_TOOLS, reason="needs espeak-ng and sox")
def test_flat_and_lively_renders_through_the_recogniser(faster_int8):
    gap = np.zeros(int(0.5 * SAMPLE_RATE), np.float32)

    def clip(lively: bool) -> AudioClip:
        parts = []
        for s, level in zip(SENTENCES, LEVELS):
            parts += [render(s, pitch_range="x-high" if lively else "x-low", pitch=level if lively else "medium"), gap]
        return AudioClip(np.concatenate([gap, *parts]), source="lively" if lively else "flat")

    flat = analyse_clip(clip(False), faster_int8, recover=False).delivery.tone
    lively = analyse_clip(clip(True), faster_int8, recover=False).delivery.tone
    assert lively.pitch_sd_st - flat.pitch_sd_st >= 1.0
    assert flat.variety == "monotone"
    assert lively.variety == "varied" and not [m for m in lively.moments if m.kind == "monotone"]
