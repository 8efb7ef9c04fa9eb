"""The think-time listener (simulator/audio/think_time.py), without the screen that runs it."""

from __future__ import annotations

import threading

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.onset import PREROLL_S
from simulator.audio.think_time import ThinkTimeListener
from tests.tui.fakes import speech_like


def listened(x: np.ndarray, playing: bool = False) -> tuple[ThinkTimeListener, list[tuple[float, bool]]]:
    listener = ThinkTimeListener()
    calls: list[tuple[float, bool]] = []
    question = threading.Event()
    if playing:
        question.set()

    def heard(level: float, started: bool) -> None:
        calls.append((level, started))

    listener.begin()
    timer = threading.Timer(2.0, listener.stop)  # the think time ends (the key, or its countdown)
    timer.start()
    try:
        listener.listen(ArraySource(x, trailing_silence_s=30.0), question, heard)
    finally:
        timer.cancel()
    return listener, calls


def test_an_answer_begun_in_the_think_time_is_handed_over_from_just_before_its_first_word():
    x = speech_like([(2.0, 6.0)], 8.0)
    listener, calls = listened(x)
    assert calls[-1][1] is True and not any(started for _, started in calls[:-1])
    preroll = listener.hand_over()
    assert preroll is not None and len(preroll) / SAMPLE_RATE >= PREROLL_S
    assert np.abs(preroll[: int(0.1 * SAMPLE_RATE)]).max() < 0.01  # it starts before the voice
    assert listener.hand_over() is None  # handed over once


def test_nothing_heard_while_the_question_is_asked_again_starts_the_answer():
    _, calls = listened(speech_like([(2.0, 6.0)], 8.0), playing=True)
    assert calls == []  # every block belonged to the question


def test_without_a_microphone_the_answer_starts_with_nothing_before_it():
    listener = ThinkTimeListener()
    listener.begin()
    listener.listen(None, threading.Event(), lambda level, started: None)
    preroll = listener.hand_over()
    assert preroll is not None and len(preroll) == 0


def test_no_think_time_listened_to_hands_over_nothing():
    assert ThinkTimeListener().hand_over() is None
