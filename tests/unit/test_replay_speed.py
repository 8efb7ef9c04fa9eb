"""Replay at another speed: the right length, and a sped-up voice without aliasing (a tone above
the new Nyquist frequency is filtered out instead of folding back as a whistle)."""

import numpy as np
import pytest

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.replay import resample_for_speed


def tone(hz: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    return (0.5 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


@pytest.mark.parametrize("speed", [0.5, 0.75, 1.25, 1.5, 2.0])
def test_length_follows_the_speed(speed):
    out = resample_for_speed(tone(440), speed)
    assert out.dtype == np.float32 and abs(len(out) - SAMPLE_RATE / speed) <= 2


def test_sped_up_high_tone_is_filtered_not_folded_back():
    out = resample_for_speed(tone(6000), 2.0)  # 6 kHz played twice as fast is 12 kHz: above 8 kHz
    assert np.sqrt(np.mean(out[200:-200] ** 2)) < 0.02  # the input's RMS is 0.35


def test_normal_speed_is_the_same_samples():
    x = tone(440)
    assert resample_for_speed(x, 1.0) is x
