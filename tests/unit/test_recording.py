"""The streaming WAV writer keeps everything captured, even when the process is SIGKILLed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace
from pathlib import Path

import numpy as np
import soundfile

from simulator.audio.recording import StreamingWavWriter
from tests.processes import reaped, sigkill_after

ROOT = Path(__file__).resolve().parents[2]


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


def test_sigkill_mid_answer_leaves_the_audio_so_far_on_disk(tmp_path):
    """A child records a fake answer through run_answer in real time and is killed mid-way."""
    path = tmp_path / "answer.wav"
    script = textwrap.dedent(f"""
        import sys, numpy as np
        from pathlib import Path
        from simulator.audio.capture import ArraySource
        from simulator.session.answer_loop import run_answer
        from simulator.session.events import Level
        from tests.tui.fakes import ScriptedTranscriber, speech_like
        src = ArraySource(speech_like([(0.0, 30.0)], 30.0), realtime=True)
        for ev in run_answer(src, ScriptedTranscriber(["x"] * 50), audio_path=Path({str(path)!r})):
            if isinstance(ev, Level) and ev.elapsed_s >= 1.0:
                print("recording", flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    with reaped(child):
        assert child.stdout.readline().strip() == "recording"
        sigkill_after(child)
    data, rate = soundfile.read(path, dtype="float32")
    assert rate == 16000
    assert 1.0 <= len(data) / rate <= 5.0
    assert np.abs(data).max() > 0.2  # the tone, not silence


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


def test_a_microphone_opened_early_drops_what_it_heard_before_the_answer():
    """The app opens the microphone while the question is spoken (a device takes up to a second to
    start); when the answer starts, the question's audio is dropped and the newest block kept."""
    from simulator.audio.capture import SoundDeviceSource  # noqa: PLC0415

    source = SoundDeviceSource()
    source._started_t = time.monotonic()
    for value in (0.1, 0.2, 0.3):
        source._callback(np.full((1600, 1), value, np.float32), 1600, None, SimpleNamespace(input_overflow=False))
    assert source.discard() == 2
    assert float(source.read(0.1)[0]) == np.float32(0.3)
    assert source.read(0.05) is None
