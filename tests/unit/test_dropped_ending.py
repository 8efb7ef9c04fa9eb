"""The second reading of a phrase whose last word Whisper left out (simulator/speech/dropped_ending.py)."""

from __future__ import annotations

import numpy as np

from simulator.speech.dropped_ending import LEAD_IN_S, hear_dropped_ending, unheard_voice_s
from simulator.speech.loops import transcribe_without_loops
from simulator.speech.transcript import Segment, Transcript, Word
from tests.unit.synth import tone_track

# "the customer service desk": four words of voice, then a pause.
SPEECH = [(0.25, 0.6), (0.65, 1.2), (1.25, 1.8), (1.85, 2.2)]
AUDIO = tone_track(SPEECH, 3.0)


def of_words(*words: tuple[str, float, float]) -> Transcript:
    ws = tuple(Word(t, a, b, 0.9) for t, a, b in words)
    text = " ".join(w.text for w in ws)
    return Transcript(text, (Segment(text, ws[0].start_s, ws[-1].end_s, ws),), engine="fake", model="fake")


WITHOUT_DESK = [("the", 0.25, 0.6), ("customer", 0.65, 1.2), ("service", 1.25, 1.8)]


class Rereader:
    """Leaves the last word out of the phrase as given; the phrase with a lead-in before it says
    ``again`` (times on the padded clock, as an engine gives them)."""

    engine, model_name = "fake", "fake"

    def __init__(self, again: list[tuple[str, float, float]]):
        self.again = again
        self.calls: list[float] = []

    def transcribe(self, samples, *, prompt=None):
        self.calls.append(len(samples) / 16000)
        if len(samples) == len(AUDIO):
            return of_words(*WITHOUT_DESK)
        return of_words(*[(t, a + LEAD_IN_S, b + LEAD_IN_S) for t, a, b in self.again])


def test_voice_after_the_last_word_is_measured_from_the_sound():
    assert 0.3 < unheard_voice_s(AUDIO, of_words(*WITHOUT_DESK)) < 0.4
    assert unheard_voice_s(AUDIO, of_words(*WITHOUT_DESK, ("desk.", 1.85, 2.2))) < 0.02  # a frame's edge
    assert unheard_voice_s(AUDIO, Transcript("", (), "fake", "fake")) == 0.0


def test_a_word_left_off_the_end_is_read_again_and_kept_on_the_phrase_clock():
    fake = Rereader([*WITHOUT_DESK, ("desk.", 1.85, 2.2)])
    t = transcribe_without_loops(fake, AUDIO, None)
    assert t.text == "the customer service desk."
    assert [w.start_s for w in t.words] == [0.25, 0.65, 1.25, 1.85]
    assert t.options["ending_heard_again"] is True
    assert fake.calls == [3.0, 3.0 + LEAD_IN_S]  # the second reading has the silence before it


def test_a_second_reading_that_changes_an_earlier_word_is_not_taken():
    fake = Rereader([("the", 0.25, 0.6), ("custom", 0.65, 1.2), ("service", 1.25, 1.8), ("desk.", 1.85, 2.2)])
    t = hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None)
    assert t.text == "the customer service" and "ending_heard_again" not in t.options


def test_a_second_reading_that_runs_on_past_what_the_voice_can_hold_is_not_taken():
    fake = Rereader([*WITHOUT_DESK] + [("desk", 1.85 + i * 0.01, 1.86 + i * 0.01) for i in range(8)])
    assert hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None).text == "the customer service"


def test_no_second_reading_when_the_words_reach_the_end_of_the_voice():
    fake = Rereader([])
    whole = of_words(*WITHOUT_DESK, ("desk.", 1.85, 2.15))  # Whisper's word ends a little early
    assert hear_dropped_ending(fake, AUDIO, whole, None) is whole and fake.calls == []


def test_a_lead_in_word_is_not_given_a_time_before_the_phrase():
    fake = Rereader([("the", -0.15, 0.6), *WITHOUT_DESK[1:], ("desk.", 1.85, 2.2)])
    t = hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None)
    assert t.words[0].start_s == 0.0 and t.segments[0].start_s == 0.0
    assert np.isclose(t.words[-1].end_s, 2.2)
