"""The sentence encoder's session keeps its int8 weights int8 (simulator/rubric/encoder_weights.py).

Checked on the real model: the rewritten graph has no float32 copy of a weight matrix, and its
vectors are the widened session's to within what int8 products change. The copy the app keeps (made
by a child process) is tested in tests/integration/test_encoder_copy.py.
"""

from __future__ import annotations

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


def test_loading_the_kept_copy_does_not_import_onnx(files, tmp_path):
    """Importing onnx holds the GIL for about 0.6 s, long enough for the voice loop to drop audio:
    the app's own load reads the copy and never imports it."""
    import sys

    model, tok = files
    copy = tmp_path / "copy.onnx"
    copy.write_bytes(encoder_weights.int8_session_model(model))
    saved = {k: sys.modules.pop(k) for k in list(sys.modules) if k == "onnx" or k.startswith("onnx.")}
    try:
        encoder.Encoder(model, tok, session_model=copy).encode(SENTENCES[:1])
        assert "onnx" not in sys.modules
    finally:
        sys.modules.update(saved)


def test_a_missing_onnx_package_is_named(files, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_onnx(name, *args, **kwargs):
        if name == "onnx":
            raise ImportError("No module named 'onnx'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnx)
    with pytest.raises(encoder.ModelError, match="onnx package.*pip install"):
        encoder.Encoder(*files)


def test_a_copy_onnxruntime_cannot_load_falls_back_to_the_file_as_shipped(files, tmp_path):
    """An onnxruntime too old for 8-bit MatMulNBits (or a copy it cannot read) still gives vectors."""
    model, tok = files
    bad = tmp_path / "copy.onnx"
    bad.write_bytes(b"not a graph")
    vecs = encoder.Encoder(model, tok, session_model=bad).encode(SENTENCES[:2])
    assert vecs.shape == (2, encoder.DIMENSION)
