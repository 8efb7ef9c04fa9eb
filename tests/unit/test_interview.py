"""The headless interview: streaming transcription while speaking, the report, the state machine."""

from __future__ import annotations

import threading
import time

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.endpoint import EndpointConfig, EndReason
from simulator.rubric import load_bank
from simulator.audio.endpoint import SpeechSegment
from simulator.session.answer_loop import AnswerOptions, run_answer, warm_up_report
from simulator.session.events import Ended, Level, Partial, Reported
from simulator.session.interview import Interview, Plan
from simulator.answer.build import typed_report
from simulator.audio.buffer import AudioBuffer
from simulator.speech.streaming import StreamingTranscriber
from simulator.speech.filler_recovery import FILLER_PROMPT
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


def test_the_warm_up_compiles_every_cue_the_real_report_will_try():
    from simulator.rubric import score_content  # noqa: PLC0415

    bank = load_bank()  # a fresh bank: nothing compiled yet
    question = bank.get_question("proud-of-service")
    rubric = bank.get_rubric(question.rubric)
    cues = [cue for c in rubric.criteria for cue in c.cues]
    assert not any("regex" in cue.__dict__ for cue in cues)
    warm_up_report(AnswerOptions(), lambda text: score_content(text, question=question, bank=bank))
    assert all("regex" in cue.__dict__ for cue in cues)  # cached: the first real scoring compiles nothing
    from simulator.rubric.engine import _applicable_flags  # noqa: PLC0415

    flag_cues = [cue for f in _applicable_flags(rubric, bank) for cue in f.cues]
    assert flag_cues and all("regex" in cue.__dict__ for cue in flag_cues)


def test_transcriber_errors_surface_at_finish():
    class Broken:
        engine, model_name = "x", "y"

        def transcribe(self, samples, *, prompt=None):
            raise RuntimeError("model crashed")

    audio = AudioBuffer()
    audio.append(np.zeros(16000, np.float32))
    st = StreamingTranscriber(Broken(), audio)
    st.submit(SpeechSegment(0, 8000))
    try:
        st.finish()
    except RuntimeError as e:
        assert "model crashed" in str(e)
    else:
        raise AssertionError("error swallowed")


def test_interview_limits_and_rerecord():
    bank = load_bank()
    drill = Interview.from_bank(Plan(role="retail", mode="drill", count=3), bank)
    assert len(drill.questions) == 3
    assert drill.limit_s() == float(drill.current.target_s[1])
    assert Interview.from_bank(Plan(role="retail", mode="drill", limit_s=20), bank).limit_s() == 20
    assert Interview.from_bank(Plan(role="retail", mode="rehearsal"), bank).limit_s() is None
    rapid = Interview.from_bank(Plan(role="retail", mode="rapid"), bank)
    assert rapid.think_s() == 5.0 and rapid.limit_s() <= 30
    r1 = typed_report("first take", None)
    r2 = typed_report("second take", None)
    drill.record(r1)
    drill.record(r2)
    assert [a.report.transcript.text for a in drill.answers] == ["second take"]
    for _ in range(3):
        drill.advance()
    assert drill.finished


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
