"""The headless interview in real time: phrases transcribed while the answer is spoken, early decodes
in the pauses, the stop button, batching behind a slow model, and the live preview.

The fake microphone plays its audio at the speed of speech (``ArraySource(realtime=True)``) and the
checks depend on what the transcription worker thread has done by a given moment, so these run in
real time; the interview's state and the report are checked in-process in tests/unit/test_interview.py.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from simulator.audio.buffer import AudioBuffer
from simulator.audio.capture import ArraySource
from simulator.audio.endpoint import EndpointConfig, EndReason, SpeechSegment
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Ended, Level, Partial, Reported
from simulator.speech.filler_recovery import FILLER_PROMPT
from simulator.speech.streaming import StreamingTranscriber
from tests.tui.fakes import ScriptedTranscriber, speech_like


def test_phrases_are_transcribed_while_speaking_and_merged_with_times():
    audio = speech_like([(0.5, 2.5), (3.5, 5.5), (6.5, 8.0)], 8.5)
    tr = ScriptedTranscriber(["I listened first,", "um then I fixed it,", "and followed up."])
    events = list(run_answer(ArraySource(audio, realtime=True), tr,
                             options=AnswerOptions(EndpointConfig(end_silence_s=1.5))))
    partials = [e.text for e in events if isinstance(e, Partial)]
    assert partials[0] == "I listened first,"  # known before the answer ended
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason is EndReason.SILENCE and ended.overflows == 0
    reported = events[-1]
    assert isinstance(reported, Reported)
    t = reported.report.transcript
    assert t.text == "I listened first, um then I fixed it, and followed up."
    starts = [w.start_s for w in t.words]
    assert starts == sorted(starts) and 0.2 < starts[0] < 0.6 and starts[-1] > 6.0  # shifted to clip time
    assert reported.report.delivery.fillers.count >= 1  # "um"
    assert reported.latency_s < 0.5  # every phrase was done before the silence ended the answer
    assert len(tr.calls) == 3


def test_queued_phrases_are_batched_into_one_call():
    """A slow model: phrases that wait are transcribed together, so the backlog never grows."""
    audio = AudioBuffer()
    audio.append(np.zeros(20 * 16000, np.float32))
    tr = ScriptedTranscriber(["one", "two three"], delay_s=0.3)
    st = StreamingTranscriber(tr, audio, recover=False)
    for i in range(6):
        st.submit(SpeechSegment(i * 32000, i * 32000 + 16000))
    transcript, _ = st.finish()
    assert len(tr.calls) <= 2  # without batching: six calls
    assert abs(tr.calls[-1] - (9.0 if len(tr.calls) == 2 else 11.0)) < 0.01  # ... up to 11 s in one stretch
    assert transcript.text.startswith("one")


def test_stop_event_ends_answer_and_only_the_tail_is_left():
    audio = speech_like([(0.0, 30.0)], 30.0)
    tr = ScriptedTranscriber(["a long answer"])
    stop = threading.Event()
    events = []
    for ev in run_answer(ArraySource(audio, realtime=True), tr, stop=stop):
        events.append(ev)
        if getattr(ev, "elapsed_s", 0) >= 1.0:
            stop.set()
    ended = next(e for e in events if isinstance(e, Ended))
    assert ended.reason is EndReason.STOPPED and ended.duration_s < 2.0
    assert events[-1].report.transcript.text == "a long answer"


class RecordingTranscriber(ScriptedTranscriber):
    """Also remembers which stretches (start, end in samples of the clip) it was asked for."""

    def __init__(self, phrases, audio: np.ndarray, delay_s: float = 0.0):
        super().__init__(phrases, delay_s)
        self.audio = audio
        self.stretches: list[int] = []

    def transcribe(self, samples, *, prompt=None):
        if prompt != FILLER_PROMPT:
            self.stretches.append(len(samples))
        return super().transcribe(samples, prompt=prompt)


def test_the_last_phrase_is_decoded_during_the_pause_so_stop_finds_it_done():
    # Two phrases; the candidate presses stop 0.5 s after the last word (before the 0.6 s gap closes it).
    audio = speech_like([(0.5, 3.0), (4.0, 6.0)], 12.0)
    tr = RecordingTranscriber(["first part", "and the end"], audio)
    stop = threading.Event()
    events = []
    for ev in run_answer(ArraySource(audio, realtime=True), tr, stop=stop):
        events.append(ev)
        if isinstance(ev, Level) and ev.elapsed_s >= 6.5:
            time.sleep(0.2)  # the worker (instant here) has had the pause to decode the open phrase
            stop.set()
    reported = events[-1]
    assert isinstance(reported, Reported)
    t = reported.report.transcript
    assert t.text == "first part and the end"
    # Both phrases were decoded at their first 0.25 s of quiet, and both guesses were right: the
    # first closed at its 0.6 s gap, the second at the stop; neither was decoded again.
    assert t.options["early_calls"] == 2 and t.options["early_used"] == 2
    assert len(tr.calls) == 2
    assert t.words[-1].start_s > 4.0


def test_an_early_guess_is_dropped_when_the_candidate_goes_on():
    # A 0.4 s pause inside a phrase (shorter than the 0.6 s gap) starts an early decode that turns out stale.
    audio = speech_like([(0.5, 2.0), (2.4, 4.0)], 7.0)
    tr = RecordingTranscriber(["stale guess", "the whole phrase"], audio, delay_s=0.05)
    events = list(run_answer(ArraySource(audio, realtime=True), tr,
                             options=AnswerOptions(EndpointConfig(end_silence_s=1.5))))
    t = events[-1].report.transcript
    assert t.text == "the whole phrase"  # the guess for the first half is not in the transcript
    assert t.options["early_calls"] >= 1 and t.options["early_used"] == 1  # the final pause's guess is
    assert tr.stretches[0] < tr.stretches[-1]  # the stale guess covered less audio than the phrase


def test_without_early_decoding_the_tail_waits_for_the_stop():
    audio = speech_like([(0.5, 3.0)], 8.0)
    tr = ScriptedTranscriber(["only phrase"])
    stop = threading.Event()
    events = []
    for ev in run_answer(ArraySource(audio, realtime=True), tr, stop=stop,
                         options=AnswerOptions(EndpointConfig(early_after_s=None))):
        events.append(ev)
        if isinstance(ev, Level) and ev.elapsed_s >= 3.5:
            time.sleep(0.2)
            stop.set()
    t = events[-1].report.transcript
    assert t.text == "only phrase" and t.options["early_calls"] == 0 and t.options["early_used"] == 0


def test_the_screen_shows_the_open_phrase_while_it_is_spoken_and_the_transcript_never_keeps_it():
    """A preview decode of the phrase being spoken is shown at once; once the phrase closes, only
    its own decode counts (the preview never reaches the transcript)."""
    audio = AudioBuffer()
    audio.append(np.zeros(10 * 16000, np.float32))
    tr = ScriptedTranscriber(["I listened to", "I listened to her and refunded it."])
    st = StreamingTranscriber(tr, audio, recover=False)
    st.preview(SpeechSegment(0, 2 * 16000))
    deadline = time.monotonic() + 5
    while st.live_text != "I listened to" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert st.live_text == "I listened to" and st.text == ""
    st.submit(SpeechSegment(0, 4 * 16000))
    transcript, _ = st.finish()
    assert transcript.text == "I listened to her and refunded it."
    assert st.live_text == "I listened to her and refunded it."
    assert transcript.options["preview_calls"] == 1


def test_the_screen_never_shows_the_echo_the_transcript_drops():
    """The live text on the screen, as the answer is spoken, already leaves out the question's last
    words heard again (until stop 37 they showed until the answer ended)."""
    class SpokenOver(ArraySource):
        spoken_over_s = 1.0  # as a TalkOver source that kept 1 s of the question's end

    audio = speech_like([(0.1, 2.5)], 4.5)
    tr = ScriptedTranscriber(["customer. Sure, last year I"])
    question = "Tell me about a time you calmed down an angry customer."
    events = list(run_answer(SpokenOver(audio, realtime=True), tr,
                             options=AnswerOptions(EndpointConfig(end_silence_s=1.2), question=question)))
    shown = [e.text for e in events if isinstance(e, Partial)]
    report = next(e for e in events if isinstance(e, Reported)).report
    assert report.transcript.text == "Sure, last year I"
    assert shown and all(not t.lower().startswith("customer") for t in shown), shown
    assert shown[-1] == "Sure, last year I"
