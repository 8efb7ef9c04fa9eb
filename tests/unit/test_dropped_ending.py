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


def test_a_number_written_in_words_the_second_time_is_the_same_word():
    """Stop 41's live run lost "desk": its first reading wrote "for 3 years", the second "for three
    years ... desk", and a word-for-word comparison took the two for different readings."""
    first = of_words(("for", 0.25, 0.6), ("3", 0.65, 1.2), ("years", 1.25, 1.8))
    fake = Rereader([("for", 0.25, 0.6), ("three", 0.65, 1.2), ("years", 1.25, 1.8), ("desk.", 1.85, 2.2)])
    t = hear_dropped_ending(fake, AUDIO, first, None)
    assert t.text == "for 3 years desk." and t.options["ending_heard_again"] is True  # the first reading stands
    first = of_words(("cut", 0.25, 0.6), ("by", 0.65, 1.2), ("twenty-five", 1.25, 1.8))
    fake = Rereader([("cut", 0.25, 0.6), ("by", 0.65, 1.2), ("25", 1.25, 1.8), ("percent.", 1.85, 2.2)])
    assert hear_dropped_ending(fake, AUDIO, first, None).text == "cut by twenty-five percent."


def test_an_earlier_word_read_differently_the_second_time_is_left_as_first_read():
    """Under tiny noise the same live phrase came back "a business supermarket ... customer service
    desk" the second time, "a busy supermarket ... customer service" the first (stop 42)."""
    first = of_words(("busy", 0.25, 0.4), ("the", 0.45, 0.6), *WITHOUT_DESK[1:])
    fake = Rereader([("business", 0.25, 0.4), ("the", 0.45, 0.6), *WITHOUT_DESK[1:], ("desk.", 1.85, 2.2)])
    t = hear_dropped_ending(fake, AUDIO, first, None)
    assert t.text == "busy the customer service desk."


def test_a_second_reading_that_does_not_end_as_the_first_did_is_not_taken():
    first = of_words(("for", 0.25, 0.6), ("3", 0.65, 1.2), ("years", 1.25, 1.8))
    fake = Rereader([("for", 0.25, 0.6), ("four", 0.65, 1.2), ("years", 1.25, 1.8), ("desk.", 1.85, 2.2)])
    assert hear_dropped_ending(fake, AUDIO, first, None) is first
    fake = Rereader([("the", 0.25, 0.6), ("customer", 0.65, 1.2), ("desk.", 1.85, 2.2)])
    assert hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None).text == "the customer service"


def test_the_first_readings_last_words_must_be_said_at_about_the_same_time():
    """A phrase said twice ("the customer service ... the customer service desk") is not matched on
    its first saying."""
    fake = Rereader([("customer", 0.1, 0.2), ("service", 0.2, 0.3), ("desk", 0.35, 0.5), ("the", 0.5, 0.6),
                     ("customer", 0.65, 1.2)])
    assert hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None).text == "the customer service"


def test_a_second_reading_that_runs_on_past_what_the_voice_can_hold_is_not_taken():
    fake = Rereader([*WITHOUT_DESK] + [("desk", 1.85 + i * 0.01, 1.86 + i * 0.01) for i in range(8)])
    assert hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None).text == "the customer service"


def test_no_second_reading_when_the_words_reach_the_end_of_the_voice():
    fake = Rereader([])
    whole = of_words(*WITHOUT_DESK, ("desk.", 1.85, 2.15))  # Whisper's word ends a little early
    assert hear_dropped_ending(fake, AUDIO, whole, None) is whole and fake.calls == []


def test_the_added_words_are_on_the_phrase_clock_and_the_first_readings_times_stand():
    fake = Rereader([("the", -0.15, 0.6), *WITHOUT_DESK[1:], ("desk.", 1.85, 2.2)])
    t = hear_dropped_ending(fake, AUDIO, of_words(*WITHOUT_DESK), None)
    assert [w.start_s for w in t.words] == [0.25, 0.65, 1.25, 1.85]
    assert t.segments[0].start_s == 0.25 and np.isclose(t.words[-1].end_s, 2.2) and np.isclose(t.segments[-1].end_s, 2.2)
