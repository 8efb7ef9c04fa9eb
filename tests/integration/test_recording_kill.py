"""The streaming WAV writer keeps everything captured when the process is SIGKILLed mid-answer.

A child process records a fake answer in real time and is killed; the in-process writer checks
are in tests/unit/test_recording.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile

from tests.processes import reaped, sigkill_after

ROOT = Path(__file__).resolve().parents[2]


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
