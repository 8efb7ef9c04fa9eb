"""Answer recordings on disk: atomic FLAC files, and the streaming writer that survives a crash.

Voice recordings are personal data, so every folder here is 0700 and every file 0600 from the moment
it exists. A finished answer is written to a temporary file, flushed to disk and renamed into place,
so a reader never sees half a FLAC. While an answer is being recorded, :class:`AnswerWriter` appends
each captured block to ``<n>.partial.wav`` and flushes it, so a crash loses at most the block in flight;
:func:`read_partial_wav` reads such a file back even if its header was never finalised.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.audio.clip import SAMPLE_RATE
from simulator.errors import StoreError

PARTIAL_SUFFIX = ".partial.wav"


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


def write_flac_atomic(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write mono float samples to ``path`` as 16-bit FLAC: temp file, fsync, rename, fsync dir."""
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    data = _finite(samples)
    try:
        create_private_file(tmp)
        sf.write(tmp, data, sample_rate, format="FLAC", subtype="PCM_16")
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, (OSError, sf.LibsndfileError, RuntimeError)):
            raise StoreError(f"cannot save the recording {path}: {e}") from e
        raise


def _finite(samples: np.ndarray) -> np.ndarray:
    """Mono float32 in [-1, 1] with NaN and infinity set to 0 (libsndfile's encoders assert on them)."""
    data = np.array(samples, dtype=np.float32).reshape(-1)
    np.nan_to_num(data, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(data, -1.0, 1.0, out=data)


class AnswerWriter:
    """Streams one answer's audio to ``<n>.partial.wav`` as it is captured.

    Usage::

        writer = store.open_answer_audio(session_id, position)
        for block in capture: writer.write(block)   # float32 mono, 16 kHz
        path = writer.close()

    Every :meth:`write` is flushed, so the audio survives the process being killed; the next
    ``sessions recover`` turns a partial file into an answer.
    """

    def __init__(self, path: Path, sample_rate: int = SAMPLE_RATE) -> None:
        self.path = path
        self.frames = 0
        private_dir(path.parent)
        try:
            create_private_file(path)
            self._file: sf.SoundFile | None = sf.SoundFile(
                path, "w", samplerate=sample_rate, channels=1, format="WAV", subtype="PCM_16"
            )
        except (OSError, sf.LibsndfileError, RuntimeError) as e:
            raise StoreError(f"cannot record to {path}: {e}") from e

    def write(self, block: np.ndarray) -> None:
        if self._file is None:
            raise StoreError("this recording is already closed")
        data = _finite(block)
        self._file.write(data)
        self._file.flush()
        self.frames += len(data)

    def close(self) -> Path:
        if self._file is not None:
            self._file.close()
            self._file = None
            fsync_path(self.path)
        return self.path

    def __enter__(self) -> AnswerWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_partial_wav(path: Path) -> np.ndarray:
    """Read a (possibly unfinished) 16-bit mono WAV as float32 samples.

    The header's sizes are written by flushes; if the process died between appending samples and
    updating the header, the ``data`` chunk runs to the end of the file, so take every whole sample
    there rather than trusting the declared length.
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
