"""The streaming WAV writer and the microphone callback, in-process.

That a SIGKILLed recorder leaves the audio so far on disk is checked with a real child process in
tests/integration/test_recording_kill.py."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import soundfile

from simulator.audio.recording import StreamingWavWriter


def test_blocks_are_readable_before_close(tmp_path):
    path = tmp_path / "a.wav"
    w = StreamingWavWriter(path)
    block = (0.5 * np.sin(np.arange(1600) / 5)).astype(np.float32)
    for _ in range(3):
        w.write(block)
    data, rate = soundfile.read(path, dtype="float32")  # not closed yet
    assert rate == 16000 and len(data) == 4800
    assert np.allclose(data[:1600], block, atol=1e-3)
    w.close()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_capture_callback_only_queues_blocks_and_counts_overflows():
    """The PortAudio callback copies the block into a queue and counts input overflows; reading,
    resampling and everything else happen in the consumer."""
    from types import SimpleNamespace  # noqa: PLC0415

    from simulator.audio.capture import SoundDeviceSource  # noqa: PLC0415

    source = SoundDeviceSource()
    source._started_t = time.monotonic()
    block = np.full((1600, 1), 0.25, np.float32)
    source._callback(block, 1600, None, SimpleNamespace(input_overflow=False))
    source._callback(block, 1600, None, SimpleNamespace(input_overflow=True))
    block[:] = 0.0  # PortAudio reuses its buffer: the queued copies must not change
    assert source.overflows == 1
    first, second = source.read(0.1), source.read(0.1)
    assert first.shape == (1600,) and float(first[0]) == 0.25 and float(second[0]) == 0.25
    assert source.read(0.05) is None  # nothing more yet, and not long enough to count as lost


def test_a_microphone_opened_early_hands_over_the_questions_last_seconds():
    """For words said over the question's end (TalkOver): the newest seconds of what the microphone
    heard come off the queue in order, the older ones are dropped, and reading goes on live."""
    from simulator.audio.capture import SoundDeviceSource  # noqa: PLC0415

    source = SoundDeviceSource()
    source._started_t = time.monotonic()
    for value in (0.1, 0.2, 0.3, 0.4):
        source._callback(np.full((1600, 1), value, np.float32), 1600, None, SimpleNamespace(input_overflow=False))
    backlog = source.backlog(0.25)  # 4000 samples: the last two and a half blocks
    assert len(backlog) == 4000 and backlog.dtype == np.float32
    assert [float(v) for v in (backlog[0], backlog[799], backlog[800], backlog[-1])] == [
        np.float32(0.2), np.float32(0.2), np.float32(0.3), np.float32(0.4)]
    assert source.read(0.05) is None  # nothing live yet
    source._callback(np.full((1600, 1), 0.5, np.float32), 1600, None, SimpleNamespace(input_overflow=False))
    assert float(source.read(0.1)[0]) == np.float32(0.5)
    assert len(SoundDeviceSource().backlog(1.0)) == 0  # nothing heard: nothing handed over
