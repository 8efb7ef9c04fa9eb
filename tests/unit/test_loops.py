"""The repetition-loop guard: loops are caught, ordinary answers are left alone."""

import numpy as np

from simulator.speech.loops import compression_ratio, drop_repeated_segments, is_loop, transcribe_without_loops
from simulator.speech.transcript import Segment, Transcript

ANSWER = ("In my last job I worked the front desk at a busy hotel. A guest arrived late and her room had been "
          "given away, so I called three partner hotels and booked her a room two blocks away.")
LOOP = "See you in the next video. " * 30


def transcript(*texts: str) -> Transcript:
    segs = tuple(Segment(t, i * 2.0, i * 2.0 + 2.0) for i, t in enumerate(texts))
    return Transcript(" ".join(texts), segs, engine="fake", model="fake")


def test_ordinary_speech_is_not_a_loop():
    assert compression_ratio(ANSWER) < 2.0
    assert not is_loop(ANSWER)
    assert not is_loop("um um um")  # too short to judge


def test_a_repeated_phrase_is_a_loop():
    assert is_loop(LOOP)


def test_repeated_segments_are_cut_back_to_the_first():
    t = drop_repeated_segments(transcript("I called the manager.", "See you in the next video.",
                                          "See you in the next video.", "see you in the  next video."))
    assert t.text == "I called the manager. See you in the next video."
    assert t.options["repetition_loop_removed"] is True


class ScriptedTranscriber:
    """Returns a loop when primed with a prompt, real text without one."""

    engine, model_name = "fake", "fake"

    def __init__(self):
        self.prompts = []

    def transcribe(self, samples, *, prompt=None):
        self.prompts.append(prompt)
        return transcript(*(["See you in the next video."] * 20 if prompt else [ANSWER]))


def test_a_looping_decode_is_retried_without_the_prompt():
    fake = ScriptedTranscriber()
    t = transcribe_without_loops(fake, np.zeros(16000, np.float32), "Tell me about a time...")
    assert t.text == ANSWER
    assert fake.prompts == ["Tell me about a time...", None]


def test_no_retry_when_there_is_no_loop():
    fake = ScriptedTranscriber()
    assert transcribe_without_loops(fake, np.zeros(16000, np.float32), None).text == ANSWER
    assert fake.prompts == [None]



def test_token_cap_scales_with_short_audio_and_leaves_room_for_any_prompt():
    from simulator.speech.loops import MAX_TOKENS_CAP, max_new_tokens

    five_s, ten_s, thirty_s, two_min = (max_new_tokens(16_000 * s) for s in (5, 10, 30, 120))
    assert five_s < ten_s < thirty_s == two_min == MAX_TOKENS_CAP  # per window, whatever the length
    # Room for the fastest fixture (226 wpm, about 5 tokens a second with timestamps) twice over.
    assert five_s >= 5 * 5 * 2
    assert thirty_s >= 30 * 7
    # faster-whisper keeps at most 223 prompt tokens plus 3 special ones; both must fit in 448.
    assert MAX_TOKENS_CAP + 226 <= 448
