"""Endpointing on synthetic audio: phrases close on pauses, answers end on silence, limit or stop."""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.endpoint import EndpointConfig, Endpointer, EndReason
from tests.tui.fakes import speech_like


def feed_all(e: Endpointer, x: np.ndarray, block: int = 1600):
    closed, ended_at = [], None
    for i in range(0, len(x), block):
        u = e.feed(x[i:i + block])
        closed += u.closed
        if u.ended:
            ended_at = e.elapsed_s
            break
    return closed, ended_at


def noisy(x: np.ndarray, sigma: float = 0.002) -> np.ndarray:
    return (x + np.random.default_rng(1).normal(0, sigma, len(x))).astype(np.float32)


def test_phrases_close_on_pauses_and_silence_ends_the_answer():
    x = noisy(speech_like([(1.0, 3.0), (3.8, 5.5)], 12.0))
    e = Endpointer(EndpointConfig(end_silence_s=2.5))
    closed, ended_at = feed_all(e, x)
    assert len(closed) == 2
    assert abs(closed[0].start_s - 0.75) < 0.15 and abs(closed[0].end_s - 3.25) < 0.15
    assert abs(closed[1].start_s - 3.55) < 0.15
    assert e.ended is EndReason.SILENCE
    assert 7.9 <= ended_at <= 8.2  # 5.5 s + 2.5 s of silence
    assert abs(e.speech_started_at / SAMPLE_RATE - 1.0) < 0.05


def test_silence_before_speech_does_not_end_the_answer():
    x = noisy(speech_like([(6.0, 7.0)], 8.0))
    e = Endpointer(EndpointConfig(end_silence_s=2.5))
    _, ended_at = feed_all(e, x)
    assert ended_at is None and e.speech_started_at is not None


def test_time_limit_and_no_speech_timeout():
    x = noisy(speech_like([(0.0, 20.0)], 20.0))
    e = Endpointer(EndpointConfig(max_s=3.0))
    _, ended_at = feed_all(e, x)
    assert e.ended is EndReason.TIME_LIMIT and abs(ended_at - 3.0) < 0.05
    tail = e.finish()
    assert tail is not None and tail.end_s >= 2.9  # the open phrase is handed back

    quiet = noisy(np.zeros(10 * SAMPLE_RATE, np.float32))
    e = Endpointer(EndpointConfig(no_speech_timeout_s=4.0))
    _, ended_at = feed_all(e, quiet)
    assert e.ended is EndReason.NO_SPEECH and abs(ended_at - 4.0) < 0.05


def test_loud_steady_noise_is_not_speech():
    # A fan at -30 dBFS: the adaptive floor learns it, so no phrase ever opens.
    x = np.random.default_rng(2).normal(0, 0.03, 6 * SAMPLE_RATE).astype(np.float32)
    e = Endpointer(EndpointConfig())
    closed, _ = feed_all(e, x)
    assert closed == [] and e.speech_started_at is None


def test_stop_returns_the_open_phrase():
    x = noisy(speech_like([(0.5, 4.0)], 3.0))
    e = Endpointer()
    feed_all(e, x)
    tail = e.finish(EndReason.STOPPED)
    assert e.ended is EndReason.STOPPED
    assert tail is not None and tail.start_s < 0.5 and tail.end_s >= 2.9


def test_the_open_phrase_has_its_final_bounds_once_the_pause_covers_the_pad():
    x = noisy(speech_like([(0.5, 3.0)], 3.45))
    e = Endpointer()
    closed, _ = feed_all(e, x)
    assert closed == [] and e.in_phrase and e.silent_s >= e.config.pad_s
    guess = e.open_phrase()
    assert guess == e.finish(EndReason.STOPPED)  # the phrase the stop hands back is the one guessed


def test_the_open_phrase_grows_when_voice_comes_back():
    e = Endpointer()
    feed_all(e, noisy(speech_like([(0.5, 2.0)], 2.4)))
    first = e.open_phrase()
    feed_all(e, noisy(speech_like([(0.0, 1.0)], 1.0)))
    assert e.open_phrase().start == first.start and e.open_phrase().end > first.end
