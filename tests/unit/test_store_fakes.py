"""Helpers for the session-store tests (no tests here): a fake transcriber and scored answers.

The fake speaks a known text evenly over a synthetic voice-like track, so every stored field has a
value known in advance and nothing needs a model. The scenario bank and each scored answer are made
once per test session and handed out as copies: the store tests ask for them hundreds of times.
"""

from __future__ import annotations

import copy
from functools import cache

import numpy as np

from simulator.audio.clip import AudioClip
from simulator.answer.build import analyse_clip
from simulator.answer.report import AnswerReport
from simulator.rubric import load_bank, score_content
from simulator.speech.transcript import Transcript
from tests.unit.synth import evenly_spoken, tone_track, transcript_of

STAR_TEXT = (
    "So um in my last job at a busy hotel a guest arrived late and her reservation was cancelled "
    "by mistake. My task was to find her a room. I apologised, uh, listened, and I called three "
    "partner hotels and booked her a room and paid for the taxi. The result was a five star review "
    "and she stayed with us twice since. I learned that owning the problem matters."
)
QUESTION_ID = "proud-of-service"


class FakeTranscriber:
    """Returns a fixed transcript of ``text`` spoken from 0.5 s, whatever audio it is given."""

    engine = "fake"

    def __init__(self, text: str = STAR_TEXT, model_name: str = "fake-1", word_s: float = 0.4) -> None:
        self.text = text
        self.model_name = model_name
        self.word_s = word_s
        self.calls = 0

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> Transcript:
        self.calls += 1
        t = transcript_of(evenly_spoken(self.text, 0.5, self.word_s))
        return Transcript(t.text, t.segments, engine=self.engine, model=self.model_name,
                          options={"beam_size": 1, "prompt": prompt})


def answer_audio(text: str = STAR_TEXT, word_s: float = 0.4) -> np.ndarray:
    n = len(text.split())
    events = [(0.5 + i * word_s, 0.5 + i * word_s + 0.3) for i in range(n)]
    return tone_track(events, 0.5 + n * word_s + 1.0)


@cache
def _bank():
    return load_bank()


def question():
    return _bank().get_question(QUESTION_ID)


@cache
def _scored_answer(text: str, model_name: str) -> tuple[AnswerReport, np.ndarray]:
    q = question()
    samples = answer_audio(text)
    report = analyse_clip(
        AudioClip(samples, source="test.wav"), FakeTranscriber(text, model_name), recover=False,
        target_length_s=tuple(float(x) for x in q.target_s),
        score_content=lambda t: score_content(t, question=q, prompt=q.text),
    )
    return report, samples


def scored_answer(text: str = STAR_TEXT, model_name: str = "fake-1") -> tuple[AnswerReport, np.ndarray]:
    """A full pipeline report (transcript, delivery, content with feedback) and its audio (copies:
    a test may change what it is given)."""
    report, samples = _scored_answer(text, model_name)
    return copy.deepcopy(report), samples.copy()
