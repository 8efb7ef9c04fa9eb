"""Words said over the end of the question are the answer's (simulator.audio.onset.TalkOver), and
the question's own words the microphone heard from the speaker are not (simulator.speech.echo)."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.onset import LEAD_S, PREROLL_S, TALK_OVER_GAP_S, TalkOver, spoken_over
from simulator.speech.echo import drop_question_echo
from simulator.speech.transcript import Segment, Transcript, Word
from tests.tui.fakes import speech_like

BLOCK = 1600
ROOM = np.random.default_rng(5).normal(0, 0.0005, 20 * SAMPLE_RATE).astype(np.float32)


def heard(spans: list[tuple[float, float]], duration_s: float, *, gain: float = 1.0) -> np.ndarray:
    """What the microphone hears: voice (or echo) at ``spans`` over a quiet room."""
    return gain * speech_like(spans, duration_s) + ROOM[: int(duration_s * SAMPLE_RATE)]


class Blocks:
    """A live microphone that hands out an array 0.1 s at a time, then the room."""

    def __init__(self, samples: np.ndarray) -> None:
        self.samples = samples
        self.pos = 0
        self.overflows = 0

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        block = self.samples[self.pos:self.pos + BLOCK]
        self.pos += BLOCK
        return block if len(block) else ROOM[:BLOCK].copy()


def first_voice(samples: np.ndarray) -> float:
    frames = samples[: len(samples) // 320 * 320].reshape(-1, 320)
    loud = np.flatnonzero(np.abs(frames).max(axis=1) > 0.05)
    return loud[0] * 320 / SAMPLE_RATE if len(loud) else -1.0


def test_quiet_at_the_questions_end_keeps_none_of_it():
    backlog = heard([], 3.0)
    assert spoken_over(backlog, heard([(0.2, 2.0)], 0.4)) == 0  # started after the question: nothing lost


def test_voice_running_across_the_questions_end_keeps_it_from_its_first_word():
    # The candidate began 0.6 s before the question ended and went on talking.
    backlog, live = heard([(2.4, 5.0)], 5.0)[: 3 * SAMPLE_RATE], heard([(2.4, 5.0)], 5.0)[3 * SAMPLE_RATE:]
    kept = spoken_over(backlog, live[: int(0.4 * SAMPLE_RATE)])
    assert 0.6 * SAMPLE_RATE <= kept <= (0.6 + PREROLL_S + 0.05) * SAMPLE_RATE
    source = TalkOver(Blocks(live), backlog)
    out = np.concatenate([source.read() for _ in range(40)])
    assert np.array_equal(out[:kept], backlog[-kept:])  # the end of the question it ran across...
    assert np.array_equal(out[kept:kept + len(live)], live)  # ...then every live block, in order
    assert 0.0 < first_voice(out) <= PREROLL_S + 0.05  # the first word is in, just after a breath of room
    assert source.spoken_over_s == kept / SAMPLE_RATE


def test_an_answer_begun_long_before_the_end_is_kept_from_its_first_word():
    # A first sentence said over a short question, read on screen: 2.6 s before its end. The app
    # used to keep only the last 1.5 s ("My strength is staying calm" lost its first five words).
    backlog = heard([(1.4, 4.0)], 4.0)
    kept = spoken_over(backlog, heard([(0.0, 1.0)], 0.4))
    assert 2.6 * SAMPLE_RATE <= kept <= (2.6 + PREROLL_S + 0.05) * SAMPLE_RATE
    assert spoken_over(heard([(0.0, 4.0)], 4.0), heard([(0.0, 1.0)], 0.4)) == 4 * SAMPLE_RATE  # all it heard


def test_a_sentence_said_over_the_whole_question_and_ended_just_after_it_is_kept():
    # As the first question appeared on screen the candidate said "My strength is staying calm."
    # over all of it, ending 0.2 s after it (the sentence's quiet last word), took a 0.6 s breath and
    # went on. The microphone first heard them mid-word: there is no quiet in the backlog to judge the
    # room by. The app used to keep none of that sentence.
    t = np.arange(5 * SAMPLE_RATE) / SAMPLE_RATE
    steady = (0.2 * np.sin(2 * np.pi * 180 * t)).astype(np.float32)  # no gap between its syllables
    voice = heard([(2.2, 5.0)], 5.0) + np.where(t < 1.4, steady, np.where(t < 1.6, 0.05 * steady, 0))
    backlog, live = voice[: int(1.4 * SAMPLE_RATE)], voice[int(1.4 * SAMPLE_RATE):]
    assert spoken_over(backlog, live[: int(0.4 * SAMPLE_RATE)], final=False) is None  # a breath: it looks on
    source = TalkOver(Blocks(live), backlog)
    out = np.concatenate([source.read() for _ in range(60)])
    assert source.spoken_over_s == 1.4
    assert np.array_equal(out[: len(backlog)], backlog) and np.array_equal(out[len(backlog):len(voice)], live)


def test_a_breath_in_the_words_over_the_question_does_not_cut_them():
    # "Sure." (0.5 s), a 0.8 s breath, "So, my strength..." across the question's end.
    pause = 0.8
    assert pause < TALK_OVER_GAP_S
    backlog = heard([(1.0, 1.5), (1.5 + pause, 4.0)], 4.0)
    kept = spoken_over(backlog, heard([(0.0, 1.0)], 0.4))
    assert 3.0 * SAMPLE_RATE <= kept <= (3.0 + PREROLL_S + 0.05) * SAMPLE_RATE
    # A longer silence is not a breath: what came before it (a cough, the question's echo) is not kept.
    backlog = heard([(0.5, 1.0), (2.5, 4.0)], 4.0)
    assert spoken_over(backlog, heard([(0.0, 1.0)], 0.4)) <= (1.5 + PREROLL_S + 0.05) * SAMPLE_RATE


def test_the_speakers_echo_that_ends_with_the_question_is_not_kept():
    # The question's last words through a speaker, quieter than a voice near the microphone; nobody
    # talks after it (a candidate who starts a second later starts a new phrase anyway).
    backlog = heard([(0.5, 1.4), (1.6, 3.0)], 3.0, gain=0.2)
    assert spoken_over(backlog, heard([], 0.4)) == 0
    source = TalkOver(Blocks(heard([], 2.0)), backlog)
    source.read()
    assert source.spoken_over_s == 0.0


def test_a_short_word_over_the_end_is_not_lost():
    # "So" said in the last 0.2 s of the question, running into the answer.
    audio = heard([(2.8, 4.5)], 4.5)
    kept = spoken_over(audio[: 3 * SAMPLE_RATE], audio[3 * SAMPLE_RATE: int(3.4 * SAMPLE_RATE)])
    assert 0.2 * SAMPLE_RATE <= kept <= (0.2 + PREROLL_S + 0.05) * SAMPLE_RATE


def words_transcript(*timed: tuple[str, float, float]) -> Transcript:
    words = tuple(Word(t, a, b, 0.9) for t, a, b in timed)
    seg = Segment(" ".join(w.text for w in words), words[0].start_s, words[-1].end_s, words)
    return Transcript(seg.text, (seg,), "test", "test")


QUESTION = "Tell me about a time you calmed down an angry customer."


def test_the_questions_last_words_heard_again_are_dropped():
    t = words_transcript(("angry", 0.1, 0.4), ("customer,", 0.4, 0.9), ("sure,", 1.1, 1.3), ("last", 1.4, 1.6),
                         ("year", 1.6, 1.8))
    out = drop_question_echo(t, QUESTION, 0.9)
    assert out.text == "Sure, last year" and [w.text for w in out.words] == ["Sure,", "last", "year"]
    assert out.segments[0].start_s == 1.1 and out.options["question_echo_removed"] == 2


def test_the_candidate_saying_the_questions_words_later_keeps_them():
    # The same words, said after the question had ended: the candidate's own.
    t = words_transcript(("Angry", 1.5, 1.8), ("customer?", 1.8, 2.2), ("Yes,", 2.4, 2.6))
    assert drop_question_echo(t, QUESTION, 0.6) is t
    # ...and words said over the end that are not the question's are the candidate's too.
    t = words_transcript(("So", 0.2, 0.4), ("I", 0.5, 0.6), ("was", 0.6, 0.9), ("working", 0.9, 1.2))
    assert drop_question_echo(t, QUESTION, 0.9) is t


def test_an_echo_heard_through_a_speaker_is_dropped_even_misheard_and_cut():
    # "calmed" cut by the start of what was kept and misheard; the rest of the question's end.
    t = words_transcript(("come", 0.0, 0.2), ("down", 0.2, 0.5), ("an", 0.5, 0.6), ("angry", 0.6, 0.9),
                         ("customer.", 0.9, 1.3), ("Last", 1.6, 1.8), ("winter", 1.8, 2.1))
    assert drop_question_echo(t, QUESTION, 1.4).text == "Last winter"


def test_the_candidates_own_words_over_the_end_are_not_taken_for_the_question():
    # Said over the end with headphones (no echo at all): half of these words are the question's.
    question = "Tell me about a time you had to explain something complicated to a customer who was confused."
    said = "So one time I had to explain a new billing system to a client who was upset".split()
    t = words_transcript(*[(w, 0.3 * i, 0.3 * i + 0.25) for i, w in enumerate(said)])
    assert drop_question_echo(t, question, 4.5) is t


def test_an_echo_talked_over_loses_the_questions_words_it_still_opens_with():
    question = "Describe a tough customer situation you had and how you fixed it."
    t = words_transcript(("and", 0.1, 0.3), ("how", 0.3, 0.5), ("you're", 0.5, 0.8), ("sure,", 0.8, 1.1),
                         ("so", 1.3, 1.5))
    assert drop_question_echo(t, question, 1.2).text == "You're sure, so"


def test_an_answer_begun_as_soon_as_the_app_listens_keeps_none_of_the_echo():
    # The rendered question ends in a quarter second of its own silence, so through a speaker its
    # echo stops before playback does; the candidate starts 0.05 s after it. Their first words must
    # not be decoded glued to the question's last ones (an end-to-end run misheard them so).
    backlog = heard([(0.5, 1.4), (1.6, 2.75)], 3.0)
    assert spoken_over(backlog, heard([(0.05, 2.0)], 0.4)) == 0


def test_a_voice_begun_just_before_the_answer_starts_keeps_its_first_sound():
    # The candidate starts 5 ms before the app takes the answer over from the question: too little
    # to count as voice across its end. The answer still starts with the microphone's last 0.1 s
    # (stop 43: a quick start on the virtual card lost the first 4 ms of "When").
    voice = heard([(2.995, 5.0)], 5.0)
    backlog, live = voice[: 3 * SAMPLE_RATE], voice[3 * SAMPLE_RATE:]
    assert spoken_over(backlog, live[: int(0.4 * SAMPLE_RATE)]) == 0
    source = TalkOver(Blocks(live), backlog)
    recorded = np.concatenate([source.read() for _ in range(10)])
    assert source.spoken_over_s == 0.0  # not a voice spoken over the question: no echo to look for
    assert np.array_equal(recorded[: int(LEAD_S * SAMPLE_RATE)], backlog[-int(LEAD_S * SAMPLE_RATE):])
    assert np.array_equal(recorded[int(LEAD_S * SAMPLE_RATE):], live[: len(recorded) - int(LEAD_S * SAMPLE_RATE)])


def test_a_block_of_digital_silence_is_not_taken_for_a_quiet_room():
    # Noise at -45 dBFS, nobody speaking, and one block of exact zeros (a stream's start): the room
    # is the noise, so the noise is not voice running across the question's end.
    rng = np.random.default_rng(1)
    noise = (0.0056 * rng.standard_normal(7 * SAMPLE_RATE)).astype(np.float32)
    noise[: BLOCK] = 0.0
    backlog, look = noise[: 6 * SAMPLE_RATE], noise[6 * SAMPLE_RATE:]
    assert spoken_over(backlog, look) == 0


def test_voice_still_going_when_a_drills_think_time_hands_over_early_is_kept():
    # Space pressed 0.1 s after the question's end, mid-sentence: too soon to see the voice run on
    # 0.25 s, but it has not stopped.
    voice = heard([(1.0, 5.0)], 5.0)
    backlog, look = voice[: 3 * SAMPLE_RATE], voice[3 * SAMPLE_RATE: int(3.1 * SAMPLE_RATE)]
    kept = spoken_over(backlog, look)
    assert 2.0 * SAMPLE_RATE <= kept <= (2.0 + PREROLL_S + 0.05) * SAMPLE_RATE
    source = TalkOver(Blocks(look), backlog)
    assert sum(len(b) for b in source.take_pending()) == kept  # handed over decided, not dropped


def test_a_backlog_shorter_than_the_lead_is_handed_over_whole():
    # The review of stop 43: a 1000-sample backlog gave its last 600 samples (a negative slice start).
    backlog = heard([], 1000 / SAMPLE_RATE)
    source = TalkOver(Blocks(heard([], 2.0)), backlog)
    first = source.read()
    assert np.array_equal(first[: len(backlog)], backlog)
