"""The prompted filler pass runs beside the main pass when the engine can decode twice at once, and
after it when it cannot: each scripted decode takes 0.15 s of real time, and the two calls' times
show whether they overlapped."""

from __future__ import annotations

import pytest

from simulator.speech.filler_recovery import transcribe_and_recover
from tests.unit.test_filler_recovery import TwoPassEngine, _overlapped, _voiced_audio


@pytest.mark.parametrize("parallel", [1, 2])
def test_the_passes_overlap_only_when_the_engine_can_decode_twice_at_once(parallel):
    engine = TwoPassEngine(parallel, delay_s=0.15)
    transcript, fillers = transcribe_and_recover(engine, _voiced_audio(), "Tell me about a time")
    assert [(f.text, f.recovered) for f in fillers] == [("um", True)]
    assert _overlapped(engine.calls) is (parallel == 2)
