"""The think-time watch: an answer begun before the recording starts keeps its first word."""

from __future__ import annotations

import numpy as np

from simulator.audio.capture import ArraySource
from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.onset import KEPT_S, PREROLL_S, OnsetWatch, Prerolled
from tests.tui.fakes import speech_like

BLOCK = 1600


def noisy(x: np.ndarray, sigma: float = 0.002) -> np.ndarray:
    return (x + np.random.default_rng(1).normal(0, sigma, len(x))).astype(np.float32)


def watch_until_heard(x: np.ndarray) -> tuple[OnsetWatch, int]:
    """Feed ``x`` block by block until the watch hears an answer begin; (watch, samples fed)."""
    w = OnsetWatch()
    for i in range(0, len(x), BLOCK):
        if w.feed(x[i:i + BLOCK]):
            return w, i + BLOCK
    return w, len(x)


def test_speech_in_the_think_time_is_heard_and_kept_from_just_before_its_first_word():
    x = noisy(speech_like([(2.0, 6.0)], 8.0))
    w, fed = watch_until_heard(x)
    assert w.heard
    assert fed / SAMPLE_RATE < 2.6  # within a few tenths of a second of the first word
    pre = w.preroll()
    start = fed - len(pre)  # where the preroll begins in the think time
    assert abs(start / SAMPLE_RATE - (2.0 - PREROLL_S)) < 0.1
    np.testing.assert_array_equal(pre, x[start:fed])  # the audio itself, nothing left out


def test_a_click_or_a_cough_does_not_start_the_answer_and_silence_leaves_nothing():
    x = noisy(speech_like([(1.0, 1.08), (3.0, 3.15)], 6.0))
    w, fed = watch_until_heard(x)
    assert not w.heard and fed == len(x)
    assert len(w.preroll()) == 0


def test_voice_just_begun_as_the_think_time_ends_is_kept():
    # 0.2 s of voice: not yet counted as an answer, but the recording starting now keeps it.
    x = noisy(speech_like([(3.0, 3.2)], 3.2))
    w, _ = watch_until_heard(x)
    assert not w.heard
    pre = w.preroll()
    assert len(pre) / SAMPLE_RATE >= 0.2 + PREROLL_S - 0.05
    np.testing.assert_array_equal(pre, x[-len(pre):])


def test_a_long_think_time_keeps_a_bounded_amount_of_audio():
    w = OnsetWatch()
    quiet = noisy(np.zeros(BLOCK * 10, dtype=np.float32))
    for _ in range(60):  # a minute of quiet
        for i in range(0, len(quiet), BLOCK):
            w.feed(quiet[i:i + BLOCK])
    assert sum(len(b) for _, b in w._blocks) <= (KEPT_S + 0.1) * SAMPLE_RATE


def test_prerolled_source_hands_out_the_preroll_then_the_live_blocks():
    live = ArraySource(np.ones(3200, dtype=np.float32), trailing_silence_s=0.0, noise=0.0)
    src = Prerolled(live, np.full(2500, 2.0, dtype=np.float32))
    src.start()
    got = []
    while (b := src.read(0.01)) is not None:
        got.append(b)
    out = np.concatenate(got)
    assert len(out) == 2500 + 3200
    assert (out[:2500] == 2.0).all() and (out[2500:] == 1.0).all()
    assert src.overflows == 0
