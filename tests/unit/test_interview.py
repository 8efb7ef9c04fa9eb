"""The headless interview in-process: the warm-up, errors from the transcriber, the state machine.

Streaming transcription while the answer is spoken runs in real time and is checked in
tests/integration/test_interview_realtime.py."""

from __future__ import annotations

import numpy as np

from simulator.answer.build import typed_report
from simulator.audio.buffer import AudioBuffer
from simulator.audio.endpoint import SpeechSegment
from simulator.rubric import load_bank
from simulator.session.answer_loop import AnswerOptions, warm_up_report
from simulator.session.interview import Interview, Plan
from simulator.speech.streaming import StreamingTranscriber


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
    # The length band ends at the limit when the limit comes first: a 15 s drill on a 45-90 s
    # question said "too short (45-90 s)" to an answer that used all 15 s (hands-on review).
    assert drill.target_s() == tuple(float(x) for x in drill.current.target_s)
    short = Interview.from_bank(Plan(role="retail", mode="drill", limit_s=15), bank)
    low, high = (float(x) for x in short.current.target_s)
    assert short.target_s() == (round(low * 15 / high, 1), 15.0)
    rehearsal = Interview.from_bank(Plan(role="retail", mode="rehearsal"), bank)  # no limit: the band
    assert rehearsal.target_s() == tuple(float(x) for x in rehearsal.current.target_s)
    r1 = typed_report("first take", None)
    r2 = typed_report("second take", None)
    drill.record(r1)
    drill.record(r2)
    assert [a.report.transcript.text for a in drill.answers] == ["second take"]
    for _ in range(3):
        drill.advance()
    assert drill.finished

