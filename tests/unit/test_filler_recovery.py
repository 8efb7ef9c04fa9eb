"""The second look for dropped hesitations, with a scripted engine: what is kept, the same whether
the passes run together or in turn. That the prompted pass really runs beside the main one when the
engine can decode twice at once is timed in tests/integration/test_filler_recovery_parallel.py."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from simulator.audio.energy import EnergyProfile
from simulator.speech.filler_recovery import FILLER_PROMPT, confirm_candidates, transcribe_and_recover
from simulator.speech.transcript import Word
from tests.unit.synth import tone_track, transcript_of


class TwoPassEngine:
    """The main pass hears 'i called the hotel'; the prompted pass also hears an 'um' at 1.5 s."""

    engine, model_name = "scripted", "scripted"

    def __init__(self, parallel_decodes: int, delay_s: float = 0.0) -> None:
        self.parallel_decodes = parallel_decodes
        self.delay_s = delay_s
        self.calls: list[tuple[str | None, float, float]] = []
        self._lock = threading.Lock()

    def transcribe(self, samples, *, prompt=None):  # noqa: ANN001, ANN201
        start = time.monotonic()
        if self.delay_s:
            time.sleep(self.delay_s)  # a decode takes time; overlapping calls show up in ``calls``
        words = [("i", 0.2, 0.4), ("called", 0.5, 0.9), ("the", 1.0, 1.1), ("hotel", 1.9, 2.4)]
        if prompt == FILLER_PROMPT:
            words.insert(3, ("um", 1.3, 1.7))
        with self._lock:
            self.calls.append((prompt, start, time.monotonic()))
        return transcript_of(words)


def _voiced_audio() -> np.ndarray:
    return tone_track([(0.2, 2.4)], 3.0)  # voice all the way through, the 'um' included


def _overlapped(calls) -> bool:
    (_, a0, a1), (_, b0, b1) = calls
    return a0 < b1 and b0 < a1


@pytest.mark.parametrize("parallel", [1, 2])
def test_same_result_whether_the_passes_run_together_or_in_turn(parallel):
    engine = TwoPassEngine(parallel)
    transcript, fillers = transcribe_and_recover(engine, _voiced_audio(), "Tell me about a time")
    assert transcript.text.split() == ["i", "called", "the", "hotel"]  # the main text is never replaced
    assert [(f.text, f.recovered) for f in fillers] == [("um", True)]
    assert {p for p, *_ in engine.calls} == {"Tell me about a time", FILLER_PROMPT}
    # Whether the two passes overlapped in time: tests/integration/test_filler_recovery_parallel.py.


def test_nothing_is_recovered_in_silence_or_when_switched_off():
    engine = TwoPassEngine(2)
    _, fillers = transcribe_and_recover(engine, np.zeros(48_000, np.float32))
    assert fillers == []  # the candidate 'um' has no voice under it
    engine = TwoPassEngine(2)
    _, fillers = transcribe_and_recover(engine, _voiced_audio(), recover=False)
    assert fillers == [] and [p for p, *_ in engine.calls] == [None]


def test_the_apps_lazy_model_passes_on_that_it_can_decode_twice_at_once():
    from simulator.tui.backends import LazyTranscriber

    lazy = LazyTranscriber(lambda: TwoPassEngine(2))
    threading.Thread(target=lazy.load, daemon=True).start()
    transcript, fillers = transcribe_and_recover(lazy, _voiced_audio())  # waits for the model
    assert lazy.parallel_decodes == 2 and [f.text for f in fillers] == ["um"]


# The article "a" and a held "uh" sound alike: the prompted pass hears "uh" over either.

def _candidates(words):
    return list(transcript_of(words).words)


def test_an_uh_heard_over_an_article_said_into_its_noun_is_refused():
    # "a weakness of mine": the voice runs from the article straight into the noun.
    audio = tone_track([(0.3, 0.5), (0.55, 1.4)], 2.0)
    known = _candidates([("A", 0.0, 0.6), ("weakness", 0.6, 1.0), ("of", 1.0, 1.2), ("mine", 1.2, 1.4)])
    kept = confirm_candidates(_candidates([("Uh,", 0.0, 0.52)]), known, EnergyProfile.of(audio))
    assert kept == []


def test_an_uh_held_between_pauses_where_the_main_pass_wrote_a_is_kept():
    # "she was, uh, surprised" written "she was a surprise": the "a" is the held vowel, a pause after it.
    audio = tone_track([(0.2, 0.9), (1.1, 1.45), (1.65, 2.3)], 3.0)
    known = _candidates([("she", 0.2, 0.5), ("was", 0.5, 1.2), ("a", 1.2, 1.66), ("surprise", 1.66, 2.3)])
    kept = confirm_candidates(_candidates([("uh,", 1.06, 1.66)]), known, EnergyProfile.of(audio))
    assert [(f.text, f.recovered) for f in kept] == [("uh", True)]


def test_an_uh_over_any_other_word_is_not_judged_by_the_article_rule():
    # "and, or, I stay calm": the main pass wrote "or" for the "uh", said between two pauses.
    audio = tone_track([(0.2, 0.6), (0.6, 0.9), (1.2, 1.6)], 2.0)
    known = _candidates([("and,", 0.2, 0.6), ("or,", 0.6, 1.2), ("I", 1.2, 1.3), ("stay", 1.3, 1.6)])
    kept = confirm_candidates(_candidates([("uh,", 0.7, 0.9)]), known, EnergyProfile.of(audio))
    assert [f.text for f in kept] == ["uh"]


def test_the_prompt_primes_both_hesitations():
    assert "uh" in FILLER_PROMPT.lower().replace(",", " ").split()
    assert "um" in FILLER_PROMPT.lower().replace(",", " ").split()


def test_a_hesitation_the_prompted_decode_barely_wrote_is_refused():
    audio = tone_track([(0.2, 2.4)], 3.0)  # voice under every candidate
    known = _candidates([("at", 0.2, 0.5), ("the", 0.5, 0.64), ("gym", 0.64, 1.0)])
    guess = Word("um,", 0.54, 0.64, 0.0006)
    heard = Word("um,", 1.5, 1.8, 0.05)
    kept = confirm_candidates([guess, heard], known, EnergyProfile.of(audio))
    assert [(f.text, f.start_s) for f in kept] == [("um", 1.5)]
