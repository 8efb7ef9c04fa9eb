"""The CTranslate2 model.bin reader, on small files assembled byte by byte in the test.

The golden bytes are built here with ``struct`` straight from the layout in ctranslate2's
``model_spec.py`` (not with the module's own writer), so a reader and writer that agreed on a wrong
layout would still fail.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import ModelError
from simulator.speech.ct2_format import parse_model_bin, read_model_bin, serialize_model_bin

F32 = np.array([[1.5, -2.0, 3.25], [0.0, 1e-3, -7.0]], dtype="<f4")
I8 = np.array([-128, 0, 127], dtype="i1")
I16 = np.array(6, dtype="<i2")  # a scalar, as CTranslate2 stores num_heads
I32 = np.array([1, -1, 2**31 - 1], dtype="<i4")
F16 = np.array([[0.5, -0.25], [65504.0, 6.1e-5]], dtype="<f2")
BF16_BITS = np.array([0x3FC0, 0xC000], dtype="<u2")  # bfloat16 for 1.5 and -2.0


def _string(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def _variable(name: str, array: np.ndarray, type_id: int) -> bytes:
    raw = array.tobytes()
    return (
        _string(name)
        + struct.pack("<B", array.ndim)
        + b"".join(struct.pack("<I", d) for d in array.shape)
        + struct.pack("<B", type_id)
        + struct.pack("<I", len(raw))
        + raw
    )


def _golden(with_bf16: bool = True, version: int = 6) -> bytes:
    variables = [
        _variable("enc/f32", F32, 0),
        _variable("enc/i8", I8, 1),
        _variable("enc/num_heads", I16, 2),
        _variable("enc/i32", I32, 3),
        _variable("dec/embeddings/weight", F16, 4),
    ]
    if with_bf16:
        variables.append(_variable("dec/bf16", BF16_BITS, 5))
    return (
        struct.pack("<I", version)
        + _string("WhisperSpec")
        + struct.pack("<I", 3)
        + struct.pack("<I", len(variables))
        + b"".join(variables)
        + struct.pack("<I", 1)
        + _string("dec/projection/weight")
        + _string("dec/embeddings/weight")
    )


def test_parses_every_dtype_shape_and_alias() -> None:
    model = parse_model_bin(_golden())

    assert (model.spec, model.revision) == ("WhisperSpec", 3)
    expected = {"enc/f32": F32, "enc/i8": I8, "enc/num_heads": I16, "enc/i32": I32,
                "dec/embeddings/weight": F16}
    for name, array in expected.items():
        assert model[name].dtype == array.dtype, name
        assert model[name].shape == array.shape, name
        np.testing.assert_array_equal(model[name], array)
    # bfloat16 has no numpy dtype: widened to float32 exactly.
    assert model["dec/bf16"].dtype == np.float32
    np.testing.assert_array_equal(model["dec/bf16"], [1.5, -2.0])
    assert model.scalar("enc/num_heads") == 6


def test_alias_resolves_to_the_same_array() -> None:
    model = parse_model_bin(_golden())

    assert model.aliases == {"dec/projection/weight": "dec/embeddings/weight"}
    assert model["dec/projection/weight"] is model["dec/embeddings/weight"]
    assert "dec/projection/weight" in model
    assert len(model) == 7 and set(model) >= {"dec/projection/weight", "enc/f32"}


def test_writer_produces_the_golden_bytes() -> None:
    golden = _golden(with_bf16=False)
    model = parse_model_bin(golden)

    assert serialize_model_bin(model.variables, model.aliases) == golden


@pytest.mark.parametrize("with_bf16", [True, False])
def test_every_truncation_is_a_model_error(with_bf16: bool) -> None:
    golden = _golden(with_bf16)
    for cut in range(len(golden)):
        with pytest.raises(ModelError, match="truncated or corrupt|is corrupt"):
            parse_model_bin(golden[:cut], source="model.bin")


def test_truncated_file_message_names_the_file_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(_golden()[:60])

    with pytest.raises(ModelError) as caught:
        read_model_bin(path)
    message = str(caught.value)
    assert str(path) in message and "truncated" in message and "reinstall" in message
    assert "\n" not in message


def test_unsupported_version_is_refused() -> None:
    with pytest.raises(ModelError, match="version 5"):
        parse_model_bin(_golden(version=5))


def test_trailing_bytes_are_refused() -> None:
    with pytest.raises(ModelError, match="unexpected bytes"):
        parse_model_bin(_golden() + b"\0\0")


def test_byte_count_must_match_the_shape() -> None:
    broken = bytearray(_golden())
    # The first variable's byte count sits right after its dtype id; claim 4 bytes fewer.
    offset = broken.index(b"enc/f32\0") + len(b"enc/f32\0") + 1 + 2 * 4 + 1
    assert struct.unpack_from("<I", broken, offset)[0] == F32.nbytes
    struct.pack_into("<I", broken, offset, F32.nbytes - 4)

    with pytest.raises(ModelError, match="enc/f32"):
        parse_model_bin(bytes(broken))


def test_unknown_dtype_is_refused() -> None:
    broken = bytearray(_golden())
    offset = broken.index(b"enc/f32\0") + len(b"enc/f32\0") + 1 + 2 * 4
    broken[offset] = 9

    with pytest.raises(ModelError, match="dtype id 9"):
        parse_model_bin(bytes(broken))


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        read_model_bin(tmp_path / "nope" / "model.bin")
