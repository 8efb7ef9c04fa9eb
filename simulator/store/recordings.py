"""Answer recordings on disk: atomic FLAC files, and the streaming writer that survives a crash.

Voice recordings are personal data, so every folder here is 0700 and every file 0600 from the moment
it exists. A finished answer is written to a temporary file, flushed to disk and renamed into place,
so a reader never sees half a FLAC. While an answer is being recorded, :class:`AnswerWriter` (the
one crash-safe WAV writer, :class:`simulator.audio.recording.StreamingWavWriter`) appends each
captured block to ``<n>.partial.wav`` and flushes it, so a crash loses at most the block in flight;
:func:`read_partial_wav` reads such a file back even if its header was never finalised.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.recording import (
    StreamingWavWriter,
    create_private_file,
    finite_samples,
    fsync_path,
    private_dir,
    read_partial_wav,
)
from simulator.errors import StoreError

__all__ = [
    "PARTIAL_SUFFIX", "AnswerWriter", "create_private_file", "private_dir", "read_partial_wav",
    "LOST_AND_FOUND", "finish_deleting", "move_to_lost_and_found", "remove_recordings", "write_flac_atomic",
]

PARTIAL_SUFFIX = ".partial.wav"


def write_flac_atomic(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write mono float samples to ``path`` as 16-bit FLAC: temp file, fsync, rename, fsync dir."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    data = finite_samples(samples)
    try:
        private_dir(path.parent)
        create_private_file(tmp)
        sf.write(tmp, data, sample_rate, format="FLAC", subtype="PCM_16")
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except BaseException as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # a folder that cannot be written holds no temporary file either
        if isinstance(e, (OSError, sf.LibsndfileError, RuntimeError)):
            raise StoreError(f"cannot save the recording {path}: {_why(e, path.parent, len(data))}") from e
        raise


def _why(error: BaseException, folder: Path, n_samples: int) -> str:
    """The error, or "the disk is full" when libsndfile's "System error." hides that: less room
    left on the disk than the recording needs (16-bit samples, before FLAC shrinks them)."""
    full = isinstance(error, OSError) and error.errno == errno.ENOSPC
    if not full:
        try:
            full = shutil.disk_usage(folder if folder.is_dir() else folder.parent).free < 2 * n_samples + 65536
        except OSError:
            pass
    return "the disk is full; free some space (deleting old sessions works)" if full else str(error)


_STORE_FILE = re.compile(
    r"\d+-[0-9a-f]{6}\.(?:flac|json)|\d+\.partial\.(?:wav|json|report\.json)|session\.json|\..+\.tmp-\d+")
"""The names the store gives the files of a session's folder: an answer's FLAC and its note
(``3-a1b2c3.flac``, ``3-a1b2c3.json``), a partial recording, its note and the report held for it
(``3.partial.wav``, ``3.partial.json``, ``3.partial.report.json``), the session's note
(``session.json``), a file being written (``.3-a1b2c3.flac.tmp-<pid>``): :mod:`simulator.store.notes`."""


def is_recording_file(path: Path) -> bool:
    """Whether the store wrote ``path`` into a session's folder (by its name)."""
    return _STORE_FILE.fullmatch(path.name) is not None


def remove_recordings(folder: Path) -> list[Path]:
    """Delete the recordings in a session's ``folder``, and the folder once nothing else is in it.
    Anything the store did not write (a user's notes, their own take of an answer, a sub-folder) and
    any file that cannot be deleted is left; returns what was left."""
    kept = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        if is_recording_file(entry) and (entry.is_symlink() or entry.is_file()):
            try:
                entry.unlink(missing_ok=True)  # a link goes, never what it points at
                continue
            except OSError:
                pass
        kept.append(entry)
    if not kept:
        try:
            folder.rmdir()
        except OSError:
            pass
    return kept


def finish_deleting(folder: Path, session_id: str) -> Path | None:
    """Delete the recordings of a session's ``folder`` (set aside for deletion). Anything else in it
    (a user's notes, a file that could not be deleted) is kept: the folder is moved to
    ``lost+found/<session_id>`` with it. Returns where, or None when nothing was kept."""
    if not remove_recordings(folder):
        return None
    return move_to_lost_and_found(folder, session_id)


LOST_AND_FOUND = "lost+found"
"""Where the store moves files in its folder that belong to no session (never deleted)."""


def move_to_lost_and_found(folder: Path, name: str) -> Path | None:
    """Move ``folder`` to ``lost+found/<name>`` in the data folder it is in (``-2``, ``-3``... if that
    is taken); None if it cannot be moved (it is then left where it is: nothing is deleted)."""
    root = folder.parent.parent  # <data>/audio/<folder>
    lost = root / LOST_AND_FOUND
    target, n = lost / name, 1
    while target.exists():
        n += 1
        target = lost / f"{name}-{n}"
    try:
        private_dir(lost)
        os.replace(folder, target)
    except OSError:
        return None
    return target


class AnswerWriter(StreamingWavWriter):
    """Streams one answer's audio to ``<n>.partial.wav`` as it is captured: the crash-safe writer of
    :mod:`simulator.audio.recording`, failing with :class:`StoreError` like the rest of the store.

    Usage::

        writer = store.open_answer_audio(session_id, position)
        for block in capture: writer.write(block)   # float32 mono, 16 kHz
        path = writer.close()

    Every :meth:`write` is fsynced with a valid header (as libsndfile's flush did when it wrote
    these files), so the audio survives the process being killed, or the power cut, and is readable
    at any moment; the next ``sessions recover`` turns a partial file into an answer.
    """

    def __init__(self, path: Path, sample_rate: int = SAMPLE_RATE) -> None:
        try:
            super().__init__(path, sample_rate, fsync=True)
        except OSError as e:
            raise StoreError(f"cannot record to {path}: {e}") from e

    def write(self, block: np.ndarray) -> None:
        if self.closed:
            raise StoreError("this recording is already closed")
        super().write(block)

    @property
    def frames(self) -> int:
        return self.frames_written
