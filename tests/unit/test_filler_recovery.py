"""The second look for dropped hesitations, with a scripted engine: what is kept, the same whether
the passes run together or in turn. That the prompted pass really runs beside the main one when the
engine can decode twice at once is timed in tests/integration/test_filler_recovery_parallel.py."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from simulator.speech.filler_recovery import FILLER_PROMPT, transcribe_and_recover
from tests.unit.synth import evenly_spoken, tone_track, transcript_of


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


def _after_the_last_word(candidates, voice=((0.2, 3.2),)):
    from simulator.audio.energy import EnergyProfile
    from simulator.speech.filler_recovery import confirm_candidates

    audio = tone_track(list(voice), 4.0)
    known = transcript_of([("i", 0.2, 0.4), ("called", 0.5, 0.9), ("the", 1.0, 1.1), ("hotel", 1.9, 2.4)]).words
    kept = confirm_candidates(transcript_of(candidates).words, known, EnergyProfile.of(audio))
    return [(f.text, f.start_s) for f in kept]


def test_the_prompted_pass_s_own_ending_is_not_kept():
    """It sometimes ends on a "hmm" laid over the last word, or on an "uh" of a few hundredths of a
    second after it; neither is a hesitation, even with voice under it."""
    assert _after_the_last_word([("um", 1.3, 1.7), ("hotel", 1.9, 2.2), ("hmm", 2.2, 2.6)]) == [("um", 1.3)]
    assert _after_the_last_word([("um", 1.3, 1.7), ("hotel", 1.9, 2.4), ("uh", 2.5, 2.58)]) == [("um", 1.3)]
    assert _after_the_last_word([("um", 1.3, 1.7), ("hotel", 1.9, 2.4), ("uh", 2.5, 2.5)]) == [("um", 1.3)]


def test_a_hesitation_in_the_last_word_s_own_sound_is_not_kept():
    """Whisper ended "time" at 24.78 s where its sound ran on to 25.3 s, and the prompted pass put a
    "hmm" at 24.78-25.0 (v3-13 under noise): after the word's time, but inside its sound."""
    assert _after_the_last_word([("hotel", 1.9, 2.4), ("hmm", 2.4, 2.7)], voice=[(0.2, 2.9)]) == []


def test_a_held_hesitation_after_the_last_word_is_kept():
    """In the live loop each phrase before a thinking pause is decoded on its own, so "and the, uh..."
    ends a phrase: an "uh" said as a sound of its own after the last word is a real one."""
    voice = [(0.2, 1.1), (1.9, 2.45), (2.65, 3.0)]  # "... hotel", a short silence, "uh", then quiet
    assert _after_the_last_word([("hotel", 1.9, 2.4), ("uh", 2.6, 3.0)], voice) == [("uh", 2.6)]


def _mid_answer(candidate, voice):
    from simulator.audio.energy import EnergyProfile
    from simulator.speech.filler_recovery import confirm_candidates

    audio = tone_track(list(voice), 6.0)
    known = transcript_of([("because", 0.2, 0.6), ("the", 0.7, 0.9), ("firm", 0.9, 1.3),
                           ("the", 2.9, 3.1), ("annual", 3.1, 3.4), ("fundraiser", 3.4, 3.8)]).words
    kept = confirm_candidates(transcript_of([candidate]).words, known, EnergyProfile.of(audio))
    return [(f.text, f.start_s, round(f.end_s, 2)) for f in kept]


def test_a_hesitation_stretched_over_the_pause_after_it_is_kept():
    """"because the, um, <1.2 s> the annual": the main pass wrote the "um" as "firm", the prompted pass
    as "erm..." from inside its sound to the end of the pause. Judged over its first half second, the
    voice of the "um" counts, not the silence it was stretched over."""
    voice = [(0.2, 1.35), (2.9, 3.8)]
    assert _mid_answer(("erm...", 1.0, 2.8), voice) == [("erm", 1.0, 1.5)]


def test_a_hesitation_placed_in_a_silence_is_still_not_kept():
    voice = [(0.2, 1.35), (2.9, 3.8)]
    assert _mid_answer(("erm...", 1.6, 2.8), voice) == []


def test_a_hesitation_the_main_pass_wrote_is_not_recovered_again_when_stretched():
    """The main pass wrote "erm," at 19.90-20.12 s and the prompted pass "erm..." at 19.90-21.38 s: their
    centres lie 0.6 s apart, but it is one hesitation, counted once (heldout14, v14-05)."""
    from simulator.audio.energy import EnergyProfile
    from simulator.speech.filler_recovery import confirm_candidates

    audio = tone_track([(0.2, 1.35), (2.9, 3.8)], 6.0)
    known = transcript_of([("because", 0.2, 0.6), ("the,", 0.7, 0.9), ("erm,", 1.0, 1.22),
                           ("the", 2.9, 3.1), ("annual", 3.1, 3.4)]).words
    kept = confirm_candidates(transcript_of([("erm...", 1.0, 2.48)]).words, known, EnergyProfile.of(audio))
    assert kept == []


def test_a_hesitation_inside_the_prompt_written_back_is_not_kept():
    """heldout20, v20-08, an answer with no filler: the prompted pass wrote its prompt back over "by
    ten o'clock every table" ("Okay, here's what I'm, like, thinking like, hmm... Okay, here's what"),
    and its "hmm..." lay over the word "every", in voice. The prompt's "hmm" is not the speaker's."""
    from simulator.audio.energy import EnergyProfile
    from simulator.speech.filler_recovery import confirm_candidates

    audio = tone_track([(0.2, 4.0)], 5.0)
    known = transcript_of(evenly_spoken("put in a clock every table at a time", 0.2)).words
    echoed = [("own,", 0.2, 0.5), ("Okay,", 0.6, 1.0), ("here's", 1.0, 1.1), ("what", 1.1, 1.1), ("I'm,", 1.1, 1.1),
              ("like,", 1.1, 1.1), ("thinking", 1.1, 1.1), ("like,", 1.1, 1.5), ("hmm...", 1.5, 1.8),
              ("Okay,", 1.8, 1.8), ("here's", 1.8, 2.6), ("what", 2.6, 3.9)]
    assert confirm_candidates(transcript_of(echoed).words, known, EnergyProfile.of(audio)) == []
    said = [("it", 0.2, 0.4), ("was", 0.4, 0.6), ("like,", 0.6, 0.9), ("hmm,", 1.5, 1.8), ("a", 1.9, 2.0),
            ("puzzle", 2.0, 2.4)]
    assert [f.text for f in confirm_candidates(transcript_of(said).words, known, EnergyProfile.of(audio))] == ["hmm"]
