"""The end of an answer: decided from what was said, never cut at a thinking pause, resumed if it goes on.

The judge alone (pure), then the answer loop driven by a fake microphone and a scripted transcriber
(early decoding off, so each script line is one closed phrase).
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer, EndReason
from simulator.session.end_of_turn import Cue, TurnJudge, Verdict, last_phrase_complete
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Ended, Pause, Reported, Resumed
from tests.tui.fakes import ScriptedTranscriber, speech_like


@pytest.mark.parametrize("text, complete", [
    ("I booked her a room and she wrote a five star review.", True),
    ("What I learned is that it matters more than whose mistake it was.", True),
    ("She has stayed with us twice since.", True),
    ("Did that answer your question?", True),
    ("So I called three hotels and", False),
    ("So I called three hotels and.", False),  # Whisper ends a phrase cut at a pause with a stop
    ("and then, um.", False),
    ("The first thing I did was,", False),
    ("I went to the", False),
    ("because the", False),
    ("I listened to her story", False),  # no sentence end at all
    ("", False),
])
def test_the_last_phrase_reads_as_finished_or_not(text, complete):
    assert last_phrase_complete(text)[0] is complete


def test_a_complete_answer_ends_quickly_an_unfinished_one_waits():
    judge = TurnJudge(mode="drill", target_s=(45, 90))
    done = "I called three hotels and booked her a room. She left us a five star review."
    assert judge.decide(text=done, answer_s=30, silent_s=0.5).cue is Cue.FINISHING
    assert not judge.decide(text=done, answer_s=30, silent_s=0.5).end
    assert judge.decide(text=done, answer_s=30, silent_s=0.9).end
    # The same words, eight seconds in: a 45-90 s story has only begun.
    assert judge.decide(text=done, answer_s=8, silent_s=9.0).verdict is Verdict.INCOMPLETE
    assert not judge.decide(text=done, answer_s=8, silent_s=9.0).end
    trailing = "I called three hotels and"
    assert judge.decide(text=trailing, answer_s=30, silent_s=3.5).cue is Cue.TAKE_YOUR_TIME
    assert not judge.decide(text=trailing, answer_s=30, silent_s=9.5).end  # a 9 s thinking pause
    assert judge.decide(text=trailing, answer_s=30, silent_s=12.0).end  # a drill does end, later


def test_nothing_is_decided_while_the_last_phrase_is_being_transcribed():
    judge = TurnJudge()
    d = judge.decide(text=None, answer_s=30, silent_s=1.5)
    assert d.verdict is Verdict.UNKNOWN and not d.end
    assert judge.decide(text=None, answer_s=30, silent_s=3.5).verdict is Verdict.INCOMPLETE


def test_rehearsal_asks_instead_of_ending_on_a_pause():
    judge = TurnJudge(mode="rehearsal")
    d = judge.decide(text="and then I", answer_s=20, silent_s=11.0)
    assert d.cue is Cue.ASK_DONE and not d.end
    assert judge.decide(text="and then I", answer_s=20, silent_s=31.0).end  # nobody there


# -- the answer loop ---------------------------------------------------------------------------------
def _loop(spans, duration_s, script, *, mode="drill", resume_window_s=3.0, target=(20.0, 60.0),
          trailing_silence_s=40.0):
    audio = speech_like(spans, duration_s)
    options = AnswerOptions(EndpointConfig(early_after_s=None), mode=mode, target_length_s=target,
                            resume_window_s=resume_window_s, recover_fillers=False)
    source = ArraySource(audio, realtime=False, trailing_silence_s=trailing_silence_s)
    return list(run_answer(source, ScriptedTranscriber(script), options=options))


def _reports(events):
    return [e for e in events if isinstance(e, Reported)]


def test_a_complete_answer_ends_about_a_second_after_the_last_word():
    events = _loop([(0.5, 6.0), (6.8, 12.0)], 12.0, ["I worked on a help desk for two years.",
                                                   "A caller lost her files and I restored them that day."])
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason is EndReason.SILENCE
    assert 12.6 <= ended.duration_s <= 13.3  # 0.9 s of quiet after the last word, then the block
    assert any(isinstance(e, Pause) and e.cue is Cue.FINISHING for e in events)
    [report] = _reports(events)
    assert report.live.ended_by == "silence" and report.live.report_after_last_word_s < 1.5


@pytest.mark.parametrize("pause_s", [3.0, 6.0, 9.0])
def test_a_thinking_pause_mid_sentence_never_loses_the_rest(pause_s):
    """Drill mode, the strictest: the answer trails off on "and", the candidate thinks, goes on."""
    first_end = 8.0
    rest = first_end + pause_s
    events = _loop([(0.5, first_end), (rest, rest + 6.0)], rest + 6.0,
                   ["In my last job a guest's booking was lost and", "I found her a room two streets away."])
    reports = _reports(events)
    assert len(reports) == 1 and not any(isinstance(e, Resumed) for e in events)
    text = reports[0].report.transcript.text
    assert text.endswith("I found her a room two streets away.") and text.startswith("In my last job")
    if pause_s >= 3.0:
        assert any(isinstance(e, Pause) and e.cue is Cue.TAKE_YOUR_TIME for e in events)


def test_a_pause_after_a_short_complete_sentence_is_waited_through():
    events = _loop([(0.5, 4.0), (13.0, 20.0)], 20.0,
                   ["I have worked in retail for three years.",
                    "One day a customer's order went missing and I tracked it down."])
    [report] = _reports(events)
    assert "tracked it down" in report.report.transcript.text


def test_speaking_again_after_the_end_resumes_the_answer():
    # Complete-sounding and long enough: it ends after 0.9 s of quiet; 2 s later the candidate goes on.
    events = _loop([(0.5, 12.0), (14.5, 18.0)], 18.0,
                   ["I refunded the double charge on the call and she thanked me.", "And she is still a customer."])
    resumed = [e for e in events if isinstance(e, Resumed)]
    assert len(resumed) == 1 and 1.0 <= resumed[0].after_s <= 2.0
    first, final = _reports(events)
    assert first.resumable and first.report.transcript.text.startswith("I refunded")
    assert final.report.transcript.text.endswith("And she is still a customer.")
    assert final.report.options["resumed"] == 1 and final.live.resumed == 1
    assert len(final.samples) >= 18 * SAMPLE_RATE  # the recording holds all of it


def test_a_quiet_resume_window_closes_the_answer():
    events = _loop([(0.5, 12.0)], 12.0, ["I refunded the double charge on the call and she thanked me."],
                   resume_window_s=3.0)
    [report] = _reports(events)
    assert report.resumable and events[-1] is report


def _limited(spans, duration_s, script, max_s):
    """A drill answer with a time limit, from a microphone that keeps hearing the room after it."""
    source = ArraySource(speech_like(spans, duration_s), realtime=False, trailing_silence_s=30.0)
    options = AnswerOptions(EndpointConfig(early_after_s=None, max_s=max_s), mode="drill", target_length_s=(10.0, 60.0),
                            resume_window_s=4.0, recover_fillers=False)
    return source, list(run_answer(source, ScriptedTranscriber(script), options=options))


def test_an_answer_ended_just_before_the_time_limit_still_closes():
    """Ended on a pause 1 s before the limit, inside the 4 s window to go on: the window used to stop
    counting at the limit, so a live microphone kept the screen on "wait for the next question" for
    good (stop 43's tmux run). Here the fake microphone's room noise would have run on for 30 s."""
    source, events = _limited([(0.5, 12.0)], 12.0, ["I refunded the double charge on the call and she thanked me."],
                              max_s=14.0)
    [report] = _reports(events)
    assert report.resumable and events[-1] is report
    assert source._pos / SAMPLE_RATE <= 12.0 + 1.0 + 4.0 + 0.5  # the window closed 4 s after the end


def test_speaking_again_in_the_window_past_the_time_limit_is_kept():
    """The candidate goes on 1.5 s after the end, past the limit: the answer resumes and, time being
    up, is recorded until they are quiet (before, that sentence was never recorded)."""
    _, events = _limited([(0.5, 12.0), (14.5, 18.0)], 18.0,
                         ["I refunded the double charge on the call and she thanked me.", "And she is still a customer."],
                         max_s=14.0)
    assert len([e for e in events if isinstance(e, Resumed)]) == 1
    final = _reports(events)[-1]
    assert final.report.transcript.text.endswith("And she is still a customer.")
    assert len(final.samples) >= 18 * SAMPLE_RATE and not final.resumable


def test_the_time_limit_keeps_the_words_said_past_it():
    audio_s = 14.0
    events = list(run_answer(
        ArraySource(speech_like([(0.5, audio_s)], audio_s), realtime=False),
        ScriptedTranscriber(["one two three four", "five six seven eight", "nine ten"]),
        options=AnswerOptions(EndpointConfig(early_after_s=None, max_s=10.0), mode="drill", recover_fillers=False)))
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason is EndReason.TIME_LIMIT and "kept" in ended.note
    assert ended.duration_s >= audio_s  # recorded until the candidate was quiet
    [report] = _reports(events)
    assert not report.resumable


def test_the_time_limit_on_a_silent_answer_says_only_that_time_is_up():
    """Nobody spoke: the note said "the words you said after the limit are kept" (hands-on review)."""
    events = list(run_answer(
        ArraySource(speech_like([], 12.0), realtime=False),
        ScriptedTranscriber([]),
        options=AnswerOptions(EndpointConfig(early_after_s=None, max_s=10.0), mode="drill", recover_fillers=False)))
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason is EndReason.TIME_LIMIT and ended.note == "time is up"


def test_a_quick_start_keeps_the_first_word():
    """Speech from the very first sample: the endpointer cannot know the room yet, and the
    candidate pauses between words in that time; the first phrase still starts at sample 0."""
    words = [(0.0, 0.25), (0.33, 0.6), (0.7, 1.2), (1.3, 3.0)]
    audio = speech_like(words, 4.5) + np.random.default_rng(3).normal(0, 0.0005, int(4.5 * SAMPLE_RATE)).astype(np.float32)
    e = Endpointer(EndpointConfig())
    closed = []
    for i in range(0, len(audio), 1600):
        closed += e.feed(audio[i:i + 1600]).closed
    assert e.speech_started_at == 0
    assert closed and closed[0].start == 0


def _no_signal_loop(noise: float):
    audio = speech_like([(7.0, 12.0)], 12.0)
    options = AnswerOptions(EndpointConfig(early_after_s=None), mode="drill", target_length_s=(3.0, 20.0),
                            recover_fillers=False)
    source = ArraySource(audio, realtime=False, trailing_silence_s=20.0, noise=noise)
    return list(run_answer(source, ScriptedTranscriber(["I have worked on a help desk for two years."]),
                           options=options))


def test_a_muted_microphone_is_asked_about_before_the_first_word():
    """Digital silence (a muted input sends zeros) for 5 s: the screen asks whether the microphone is
    muted (hands-on review: 40 s of a dead microphone went by without a word). The answer goes on."""
    events = _no_signal_loop(noise=0.0)
    cues = [e.cue for e in events if isinstance(e, Pause)]
    assert cues[:2] == [Cue.NO_SIGNAL, Cue.NONE]  # asked, then withdrawn once the candidate speaks
    [report] = _reports(events)
    assert "help desk" in report.report.transcript.text


def test_a_quiet_room_is_not_a_muted_microphone():
    events = _no_signal_loop(noise=0.0005)  # a working microphone's own noise, about -66 dB
    assert Cue.NO_SIGNAL not in [e.cue for e in events if isinstance(e, Pause)]
