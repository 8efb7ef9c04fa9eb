"""The crash-safe streaming WAV writer: every block is on disk, with a valid header, once written.

One writer for every recording made while the candidate speaks: the voice loop's own recording
(:func:`simulator.session.answer_loop.run_answer`) and the session store's ``<n>.partial.wav`` of the
answer being given (:class:`simulator.store.recordings.AnswerWriter`). The header's sizes are
patched after each block and the file flushed, so a recording cut short by a crash or SIGKILL is
still a readable WAV holding everything captured up to the last block; closing fsyncs it. The
stdlib ``wave`` module does the patching (it rewrites the sizes whenever the frame count it was told
differs from what was written); we add the flush, the fsync and the int16 conversion.

Voice recordings are personal data: a folder made here is 0700 and a file 0600 from the moment it
exists. :func:`read_partial_wav` reads a recording back even if the process died between appending
samples and patching the header.
"""

from __future__ import annotations

import os
import struct
import wave
import weakref
from pathlib import Path

import numpy as np

from simulator.audio.clip import SAMPLE_RATE


def private_dir(path: Path) -> Path:
    """Create ``path`` (and any missing parents) with mode 0700; ``mkdir(parents=True)`` would
    give the parents the umask's mode instead."""
    if not path.is_dir():
        if not path.parent.is_dir():
            private_dir(path.parent)
        path.mkdir(exist_ok=True, mode=0o700)
        path.chmod(0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create (or truncate) ``path`` with mode 0600 before anything is written into it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def finite_samples(samples: np.ndarray) -> np.ndarray:
    """Mono float32 in [-1, 1] with NaN and infinity set to 0 (libsndfile's encoders assert on them)."""
    data = np.array(samples, dtype=np.float32).reshape(-1)
    np.nan_to_num(data, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(data, -1.0, 1.0, out=data)


def to_pcm16(samples: np.ndarray) -> bytes:
    """Little-endian 16-bit PCM of float samples, converted as libsndfile converts them to a 16-bit
    WAV (scaled by 32768, rounded down, clipped), so the store's partial recordings are the files
    they were when libsndfile wrote them, and :func:`read_partial_wav` gives the values back exactly."""
    scaled = np.floor(finite_samples(samples) * np.float32(32768.0))
    return np.clip(scaled, -32768, 32767).astype("<i2").tobytes()


class StreamingWavWriter:
    """Append float32 blocks in [-1, 1] to a 16-bit mono WAV file, durably.

    ``fsync=True`` forces every block to the disk as well (it is always flushed to the OS, which a
    killed process does not undo; an fsync also survives a power cut). :meth:`close` fsyncs.
    """

    def __init__(self, path: str | os.PathLike[str], sample_rate: int = SAMPLE_RATE, *, fsync: bool = False):
        self.path = Path(path)
        private_dir(self.path.parent)
        self.sample_rate = sample_rate
        self._fsync = fsync
        create_private_file(self.path)  # voice recordings are personal data: 0600 before any sample
        self._file = open(self.path, "wb")  # noqa: SIM115 - closed in close()
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self._wav.writeframes(b"")  # write the header now: an empty but valid file
        self._file.flush()
        self.frames_written = 0
        self.closed = False
        # A writer dropped unclosed (its recording worker never ran) is finished when collected, the
        # header patched before the file closes. Left to the garbage collector, the file could be
        # closed first and the wave module's own finaliser then fail on it ("flush of closed file").
        self._dropped = weakref.finalize(self, _finish_quietly, self._wav, self._file)

    def write(self, block: np.ndarray) -> None:
        if self.closed:
            raise ValueError(f"the recording {self.path} is already closed")
        pcm = to_pcm16(block)
        self._wav.writeframes(pcm)
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())
        self.frames_written += len(pcm) // 2

    @property
    def duration_s(self) -> float:
        return self.frames_written / self.sample_rate

    def close(self) -> Path:
        """Finish the header, fsync and close (again: nothing); returns the recording's path."""
        if not self.closed:
            self.closed = True
            self._dropped.detach()
            _finish(self._wav, self._file)
        return self.path

    def __enter__(self) -> StreamingWavWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _finish(wav: wave.Wave_write, file) -> None:  # noqa: ANN001 - a binary file object
    wav.close()  # patches the header and flushes; leaves the file open
    try:
        os.fsync(file.fileno())
    finally:
        file.close()


def _finish_quietly(wav: wave.Wave_write, file) -> None:  # noqa: ANN001 - as above
    """:func:`_finish` for a writer collected unclosed: what was written is already on disk with its
    header (every block is), so a failure here (a disk gone) loses nothing and has no one to tell."""
    try:
        _finish(wav, file)
    except (OSError, ValueError):
        pass


def read_partial_wav(path: Path) -> np.ndarray:
    """Read a (possibly unfinished) 16-bit mono WAV as float32 samples.

    The header's sizes are patched after each block; if the process died between appending samples
    and patching the header, the ``data`` chunk runs to the end of the file, so take every whole
    sample there rather than trusting the declared length.
    """
    raw = path.read_bytes()
    pos = 12
    while pos + 8 <= len(raw):
        chunk_id, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        if chunk_id == b"data":
            body = raw[pos + 8:]
            body = body[: len(body) - len(body) % 2]
            return (np.frombuffer(body, dtype="<i2").astype(np.float32) / 32768.0).copy()
        pos += 8 + size + (size & 1)
    return np.zeros(0, dtype=np.float32)
