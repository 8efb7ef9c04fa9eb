"""The int8 copy of the sentence encoder's graph that the app keeps in the cache folder
(simulator/rubric/encoder_weights.py): made once by a child process, checked by its digest, remade
when damaged, skipped (rewritten in memory instead) when it cannot be kept."""

from __future__ import annotations

import subprocess

import pytest

from simulator.rubric import encoder, encoder_weights

SENTENCES = ["I called the customer back the next morning.", "The weather is nice today."]


@pytest.fixture(scope="module")
def files():
    return encoder.verify()


def test_the_copy_is_made_once_checked_and_remade_when_damaged(files, tmp_path, monkeypatch):
    model = files[0]
    made = encoder_weights.cached_int8_model(model, encoder.MODEL_SHA256, tmp_path / "enc")
    assert made is not None and made.parent == tmp_path / "enc"
    digest = made.with_name(made.name + ".sha256")
    assert digest.read_text().strip() == encoder_weights.file_sha256(made)

    def no_child(*args, **kwargs):
        raise AssertionError("the intact copy should have been reused")

    monkeypatch.setattr(encoder_weights.subprocess, "run", no_child)
    assert encoder_weights.cached_int8_model(model, encoder.MODEL_SHA256, tmp_path / "enc") == made
    monkeypatch.undo()

    made.write_bytes(made.read_bytes()[:1000])  # a damaged copy is never loaded: it is made again
    again = encoder_weights.cached_int8_model(model, encoder.MODEL_SHA256, tmp_path / "enc")
    assert again == made and digest.read_text().strip() == encoder_weights.file_sha256(made)
    assert made.stat().st_size > 20_000_000


def test_a_copy_that_cannot_be_kept_falls_back_to_memory(files, tmp_path, monkeypatch):
    model, tok = files
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert encoder_weights.cached_int8_model(model, encoder.MODEL_SHA256, blocked / "enc") is None

    def killed(*args, **kwargs):
        raise subprocess.TimeoutExpired("python", 1)

    monkeypatch.setattr(encoder_weights.subprocess, "run", killed)
    assert encoder_weights.cached_int8_model(model, encoder.MODEL_SHA256, tmp_path / "enc") is None
    vecs = encoder.Encoder(model, tok, session_model=None).encode(SENTENCES)  # rewritten in memory
    assert vecs.shape == (2, encoder.DIMENSION)
