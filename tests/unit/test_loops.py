"""The repetition-loop guard: loops are caught, ordinary answers are left alone."""

import numpy as np

from simulator.speech.loops import (compression_ratio, drop_repeated_segments, is_loop, is_runaway,
                                    transcribe_without_loops)
from simulator.speech.transcript import Segment, Transcript, Word
from tests.unit.synth import tone_track

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



def of_words(*words: tuple[str, float, float]) -> Transcript:
    ws = tuple(Word(t, a, b, 0.9) for t, a, b in words)
    text = " ".join(w.text for w in ws)
    return Transcript(text, (Segment(text, ws[0].start_s, ws[-1].end_s, ws),), engine="fake", model="fake")


class StuckTranscriber:
    """Gets stuck on the held "um" of the whole answer; decodes the speech after the pause when given it."""

    engine, model_name = "fake", "fake"
    RUNAWAY = "u" + "m" * 200

    def __init__(self):
        self.lengths = []

    def transcribe(self, samples, *, prompt=None):
        self.lengths.append(len(samples) / 16000)
        if len(self.lengths) == 1:
            return of_words(("I", 0.3, 0.5), ("said", 0.5, 0.9), ("yes", 0.9, 1.1), ("to,", 1.1, 1.3),
                            (self.RUNAWAY, 1.4, 6.0))
        onset = float(np.argmax(np.abs(samples) > 0.01)) / 16000  # times in the part it was given
        return of_words(("every", onset, onset + 0.3), ("shift", onset + 0.3, onset + 0.6),
                        ("swap.", onset + 0.6, onset + 1.1))


def test_a_word_stuck_on_one_sound_is_a_runaway_and_a_long_word_is_not():
    assert is_runaway("u" + "m" * 30) and is_runaway("Hmmmmmmmmmmmmmmmm...")
    assert not is_runaway("responsibilities") and not is_runaway("ummm") and not is_runaway("Mississippi")


def test_the_speech_after_a_runaway_hesitation_is_decoded_again():
    """ "yes to, um, ... every shift swap": Whisper wrote one "word" of m's to the end of the window and
    nothing after it; the words after the pause must not be lost."""
    audio = tone_track([(0.3, 1.3), (1.4, 1.9), (4.0, 5.2)], 6.0)  # the pause: 1.9-4.0 s
    fake = StuckTranscriber()
    t = transcribe_without_loops(fake, audio, None)
    assert [w.text for w in t.words] == ["I", "said", "yes", "to,", "umm", "every", "shift", "swap."]
    um = t.words[4]
    assert um.start_s == 1.4 and 1.85 <= um.end_s <= 2.0  # the hesitation, up to the pause
    assert 3.9 < t.words[5].start_s < 4.1  # the rest, back in the clip's time
    assert t.options["resumed_after_runaway"] == 1 and len(fake.lengths) == 2


def test_a_runaway_with_no_pause_after_it_is_cut_back_and_nothing_is_decoded_again():
    audio = tone_track([(0.3, 1.3), (1.4, 5.9)], 6.0)
    fake = StuckTranscriber()
    t = transcribe_without_loops(fake, audio, None)
    assert [w.text for w in t.words] == ["I", "said", "yes", "to,", "umm"] and len(fake.lengths) == 1


def test_token_cap_scales_with_short_audio_and_leaves_room_for_any_prompt():
    from simulator.speech.loops import MAX_TOKENS_CAP, max_new_tokens

    five_s, ten_s, thirty_s, two_min = (max_new_tokens(16_000 * s) for s in (5, 10, 30, 120))
    assert five_s < ten_s < thirty_s == two_min == MAX_TOKENS_CAP  # per window, whatever the length
    # Room for the fastest fixture (226 wpm, about 5 tokens a second with timestamps) twice over.
    assert five_s >= 5 * 5 * 2
    assert thirty_s >= 30 * 7
    # faster-whisper keeps at most 223 prompt tokens plus 3 special ones; both must fit in 448.
    assert MAX_TOKENS_CAP + 226 <= 448


LOOPING = "and you know the next week came up " + "three, four, " * 20


class LoopsInASegment:
    """Loops inside its last segment (no prompt, so no retry without one); decoding the looping
    segment's audio again says ``again``."""

    engine, model_name = "fake", "fake"

    def __init__(self, again: str):
        self.again = again
        self.lengths: list[float] = []

    def transcribe(self, samples, *, prompt=None):
        self.lengths.append(len(samples) / 16000)
        if len(self.lengths) == 1:
            words = [("He", 0.2, 0.5), ("made", 0.5, 0.9), ("his", 0.9, 1.1), ("flight.", 1.1, 1.8)]
            loop = [(w, 2.0 + 0.1 * i, 2.1 + 0.1 * i) for i, w in enumerate(LOOPING.split())]
            first, second = of_words(*words), of_words(*loop)
            return Transcript(f"{first.text} {second.text}", (*first.segments, *second.segments), "fake", "fake")
        return of_words(*[(w, 0.1 + 0.2 * i, 0.3 + 0.2 * i) for i, w in enumerate(self.again.split())])


def test_a_loop_inside_one_segment_is_decoded_again_from_that_segments_start():
    audio = tone_track([(0.2, 1.8), (2.0, 4.0)], 4.0)
    fake = LoopsInASegment("and you know the next week he booked with us.")
    t = transcribe_without_loops(fake, audio, None)
    assert t.text == "He made his flight. and you know the next week he booked with us."
    assert fake.lengths[1] == 2.0  # the audio from the looping segment's start
    assert len(fake.lengths) == 2  # and no second reading of the end: the loop's cut left voice "unheard"
    assert t.words[4].start_s == 2.1 and t.options["loop_decoded_again"] is True


def test_a_loop_that_loops_again_is_cut_back_to_its_first_time():
    audio = tone_track([(0.2, 1.8), (2.0, 4.0)], 4.0)
    t = transcribe_without_loops(LoopsInASegment(LOOPING), audio, None)
    assert t.text == "He made his flight. and you know the next week came up three, four,"


def test_repeats_are_found_at_their_first_run_and_ordinary_speech_is_left_whole():
    from simulator.speech.loops import repeat_start  # noqa: PLC0415

    assert repeat_start("a b c c c c".split()) == 3
    assert repeat_start("so x y x y x y x y".split()) == 3
    assert repeat_start("I said no, no, I will not".split()) == 7  # said twice is speech, not a loop
