"""One crash-safe WAV writer: the voice loop's recording and the store's partial answer are the same
file format, readable after every block, 0600 in a 0700 folder, fsynced on close."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

from simulator.audio.recording import StreamingWavWriter, read_partial_wav
from simulator.errors import StoreError
from simulator.store.recordings import AnswerWriter


def _blocks() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.uniform(-1.2, 1.2, n).astype(np.float32) for n in (1600, 7, 3200, 1)]


def test_the_store_streams_answers_with_the_audio_writer():
    assert issubclass(AnswerWriter, StreamingWavWriter)


def test_every_block_is_readable_with_a_valid_header_before_close(tmp_path):
    w = AnswerWriter(tmp_path / "s" / "1.partial.wav")
    total = 0
    for block in _blocks():
        w.write(block)
        total += len(block)
        info = soundfile.info(w.path)  # the header already counts every sample written
        assert info.frames == total == w.frames == w.frames_written
        assert len(read_partial_wav(w.path)) == total
    assert w.close() == w.path
    assert oct(w.path.stat().st_mode & 0o777) == "0o600"
    assert oct(w.path.parent.stat().st_mode & 0o777) == "0o700"


def test_the_file_is_the_one_libsndfile_writes(tmp_path):
    """Same header, same 16-bit conversion (scaled by 32768, rounded down, clipped) as a 16-bit WAV
    written by libsndfile, which the store's partial recordings used to be; NaN is written as 0."""
    samples = np.concatenate(_blocks())
    samples[5] = np.nan
    with StreamingWavWriter(tmp_path / "streamed.wav") as w:
        for block in np.array_split(samples, 5):
            w.write(block)
    clean = np.clip(np.nan_to_num(samples, nan=0.0), -1.0, 1.0)
    soundfile.write(tmp_path / "libsndfile.wav", clean, 16000, format="WAV", subtype="PCM_16")
    assert (tmp_path / "streamed.wav").read_bytes() == (tmp_path / "libsndfile.wav").read_bytes()


def test_close_fsyncs_and_fsync_true_fsyncs_every_block(tmp_path, monkeypatch):
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    w = StreamingWavWriter(tmp_path / "a.wav")
    w.write(np.zeros(160, np.float32))
    assert calls == []  # flushed to the OS only: survives a kill
    w.close()
    w.close()  # a second close does nothing
    assert len(calls) == 1
    calls.clear()
    with StreamingWavWriter(tmp_path / "b.wav", fsync=True) as w:
        w.write(np.zeros(160, np.float32))
        w.write(np.zeros(160, np.float32))
    assert len(calls) == 3
    calls.clear()
    with AnswerWriter(tmp_path / "1.partial.wav") as w:  # the store's: every block, as libsndfile's flush did
        w.write(np.zeros(160, np.float32))
        w.write(np.zeros(160, np.float32))
    assert len(calls) == 3


def test_store_writer_failures_are_store_errors(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot record to"):
        AnswerWriter(tmp_path / "file" / "1.partial.wav")
    w = AnswerWriter(tmp_path / "1.partial.wav")
    w.close()
    with pytest.raises(StoreError, match="already closed"):
        w.write(np.zeros(10, np.float32))
    with pytest.raises(ValueError, match="already closed"):
        plain = StreamingWavWriter(tmp_path / "2.wav")
        plain.close()
        plain.write(np.zeros(10, np.float32))


def test_a_writer_dropped_unclosed_is_finished_quietly(tmp_path, monkeypatch):
    """A take whose recording worker never ran (the screen left first) drops its writer unclosed.
    Collected, it finishes its file as close() would, instead of the wave module flushing a file
    already closed under it ("ValueError: flush of closed file" as an unraisable exception)."""
    import gc
    import sys

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    w = AnswerWriter(tmp_path / "s" / "1.partial.wav")
    w.write(np.full(1600, 0.25, dtype=np.float32))
    path = w.path
    w.worker = w  # held in a reference cycle, as by a worker's closure: collected in no set order
    del w
    gc.collect()
    assert unraisable == []
    assert soundfile.info(path).frames == 1600
