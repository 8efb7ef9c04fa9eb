"""The sentence encoder's session keeps its int8 weights int8 (simulator/rubric/encoder_weights.py).

Checked on the real model: the rewritten graph has no float32 copy of a weight matrix, its vectors
are the widened session's to within what int8 products change, and the copy kept in the models
folder is made once, checked by its digest, remade when damaged, and skipped when it cannot be kept.
"""

from __future__ import annotations

import subprocess

import numpy as np
import onnx
import pytest

from simulator.rubric import encoder, encoder_weights

SENTENCES = [
    "I called the customer back the next morning.",
    "so i ring the surgery and i chase them twice",
    "The weather is nice today.",
    "i told him i was sorry and offered a refund or a swap",
    "honestly the pay is the main reason i applied",
    "we fixed the rota so nobody worked three weekends in a row",
]


@pytest.fixture(scope="module")
def files():
    return encoder.verify()


def test_no_weight_matrix_is_widened_to_float32(files):
    model = onnx.load_from_string(encoder_weights.int8_session_model(files[0]))
    floats = [i for i in model.graph.initializer if i.data_type == onnx.TensorProto.FLOAT]
    assert max(int(np.prod(i.dims)) for i in floats) < 200_000  # biases, norms and scales only
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("MatMulNBits") == 36 and "MatMul" in ops  # attention's own products stay float
    casts_of_int8 = [n for n in model.graph.node if n.op_type == "Cast"
                     and n.input[0] in {i.name for i in model.graph.initializer}]
    assert casts_of_int8 == []


def test_vectors_match_the_widened_session(files):
    model, tok = files
    widened = encoder.Encoder(model, tok, session_model=model).encode(SENTENCES)
    kept = encoder.Encoder(model, tok).encode(SENTENCES)
    assert (widened * kept).sum(axis=1).min() > 0.99
    assert np.abs(widened @ widened.T - kept @ kept.T).max() < 0.03


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
    vecs = encoder.Encoder(model, tok, session_model=None).encode(SENTENCES[:2])  # rewritten in memory
    assert vecs.shape == (2, encoder.DIMENSION)
