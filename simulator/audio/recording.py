"""A crash-safe streaming WAV writer: every block is on disk, with a valid header, once written.

The header's sizes are patched after each block and the file flushed, so a recording cut short by a
crash or SIGKILL is still a readable WAV holding everything captured up to the last block. The
stdlib ``wave`` module does the patching (it rewrites the sizes whenever the frame count it was told
differs from what was written); we add the flush and int16 conversion.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from simulator.audio.clip import SAMPLE_RATE


class StreamingWavWriter:
    """Append float32 blocks in [-1, 1] to a 16-bit mono WAV file, durably."""

    def __init__(self, path: str | os.PathLike[str], sample_rate: int = SAMPLE_RATE, *, fsync: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sample_rate = sample_rate
        self._fsync = fsync
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        os.chmod(self.path, 0o600)  # voice recordings are personal data
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self._wav.writeframes(b"")  # write the header now: an empty but valid file
        self._file.flush()
        self.frames_written = 0
        self.closed = False

    def write(self, block: np.ndarray) -> None:
        pcm = np.clip(np.asarray(block, dtype=np.float32).reshape(-1), -1.0, 1.0)
        self._wav.writeframes((pcm * 32767.0).astype("<i2").tobytes())
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())
        self.frames_written += len(pcm)

    @property
    def duration_s(self) -> float:
        return self.frames_written / self.sample_rate

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._wav.close()
        self._file.close()

    def __enter__(self) -> StreamingWavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
