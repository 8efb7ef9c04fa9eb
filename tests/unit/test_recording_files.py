"""Saving an answer's recording when its folder cannot be made or the disk is full: one line, no traceback."""

from __future__ import annotations

import errno

import numpy as np
import pytest
import soundfile as sf

from simulator.errors import StoreError
from simulator.store.recordings import write_flac_atomic

SAMPLES = np.zeros(16000, dtype=np.float32)


def test_a_folder_that_cannot_be_made_is_a_store_error(tmp_path):
    """A read-only audio folder (or a file where the session's folder should be) stopped `import`
    with a PermissionError traceback (stop 42's bad-input run)."""
    (tmp_path / "session").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot save the recording"):
        write_flac_atomic(tmp_path / "session" / "1.flac", SAMPLES)


def test_libsndfiles_system_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    def full(*a, **k):
        raise sf.LibsndfileError(2, "System error.")  # what libsndfile reports for ENOSPC

    class Usage:
        free = 1000

    monkeypatch.setattr("simulator.store.recordings.sf.write", full)
    monkeypatch.setattr("simulator.store.recordings.shutil.disk_usage", lambda p: Usage)
    with pytest.raises(StoreError, match="the disk is full"):
        write_flac_atomic(tmp_path / "1.flac", SAMPLES)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_another_error_is_reported_as_it_is(tmp_path, monkeypatch):
    def broken(*a, **k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("simulator.store.recordings.sf.write", broken)
    with pytest.raises(StoreError, match="Input/output error"):
        write_flac_atomic(tmp_path / "1.flac", SAMPLES)
