"""The CTranslate2 → openai-whisper converter, on a miniature random Whisper built in the test.

Checks what a real model would hide: every tensor lands under the right name (openai-whisper loads the
state dict strictly), fused q/k/v rows are split in the right order, the zero key bias is dropped,
dimensions come from shapes, alignment heads survive, and the cache is keyed by the weights' hash.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import ModelError
from simulator.speech.ct2_format import serialize_model_bin

torch = pytest.importorskip("torch")
whisper_model = pytest.importorskip("whisper.model")

from simulator.speech.convert import (  # noqa: E402 - after the skip
    cached_checkpoint,
    convert_ct2_to_whisper,
    model_name_from_dims,
)

MELS, AUDIO_CTX, WIDTH, HEADS, VOCAB, TEXT_CTX = 4, 6, 8, 2, 11, 5
ALIGNMENT = [[0, 1], [1, 0]]


def _random_whisper(seed: int = 0, layers: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def rand(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float16)

    v: dict[str, np.ndarray] = {
        "encoder/num_heads": np.array(HEADS, dtype=np.int16),
        "decoder/num_heads": np.array(HEADS, dtype=np.int16),
        "encoder/conv1/weight": rand(WIDTH, MELS, 3), "encoder/conv1/bias": rand(WIDTH),
        "encoder/conv2/weight": rand(WIDTH, WIDTH, 3), "encoder/conv2/bias": rand(WIDTH),
        "encoder/position_encodings/encodings": rand(AUDIO_CTX, WIDTH),
        "encoder/layer_norm/gamma": rand(WIDTH), "encoder/layer_norm/beta": rand(WIDTH),
        "decoder/embeddings/weight": rand(VOCAB, WIDTH),
        "decoder/position_encodings/encodings": rand(TEXT_CTX, WIDTH),
        "decoder/layer_norm/gamma": rand(WIDTH), "decoder/layer_norm/beta": rand(WIDTH),
    }

    def linear(prefix: str, rows: int, cols: int) -> None:
        v[f"{prefix}/weight"], v[f"{prefix}/bias"] = rand(rows, cols), rand(rows)

    def norm(prefix: str) -> None:
        v[f"{prefix}/gamma"], v[f"{prefix}/beta"] = rand(WIDTH), rand(WIDTH)

    for stack in ("encoder", "decoder"):
        for i in range(layers):
            p = f"{stack}/layer_{i}"
            linear(f"{p}/self_attention/linear_0", 3 * WIDTH, WIDTH)
            v[f"{p}/self_attention/linear_0/bias"][WIDTH : 2 * WIDTH] = 0  # key bias, as CT2 stores it
            linear(f"{p}/self_attention/linear_1", WIDTH, WIDTH)
            norm(f"{p}/self_attention/layer_norm")
            linear(f"{p}/ffn/linear_0", 4 * WIDTH, WIDTH)
            linear(f"{p}/ffn/linear_1", WIDTH, 4 * WIDTH)
            norm(f"{p}/ffn/layer_norm")
            if stack == "decoder":
                linear(f"{p}/attention/linear_0", WIDTH, WIDTH)
                linear(f"{p}/attention/linear_1", 2 * WIDTH, WIDTH)
                v[f"{p}/attention/linear_1/bias"][:WIDTH] = 0
                linear(f"{p}/attention/linear_2", WIDTH, WIDTH)
                norm(f"{p}/attention/layer_norm")
    return v


def _write_model(folder: Path, variables: dict[str, np.ndarray], heads=ALIGNMENT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    aliases = {"decoder/projection/weight": "decoder/embeddings/weight"}
    (folder / "model.bin").write_bytes(serialize_model_bin(variables, aliases))
    (folder / "config.json").write_text(json.dumps({"alignment_heads": heads}))
    return folder


def test_converted_checkpoint_loads_strictly_with_split_projections(tmp_path: Path) -> None:
    src = _random_whisper()
    out = convert_ct2_to_whisper(_write_model(tmp_path / "ct2", src), tmp_path / "w.pt")

    ckpt = torch.load(out, weights_only=True)
    assert ckpt["dims"] == {
        "n_mels": MELS, "n_audio_ctx": AUDIO_CTX, "n_audio_state": WIDTH, "n_audio_head": HEADS,
        "n_audio_layer": 2, "n_vocab": VOCAB, "n_text_ctx": TEXT_CTX, "n_text_state": WIDTH,
        "n_text_head": HEADS, "n_text_layer": 2,
    }
    model = whisper_model.Whisper(whisper_model.ModelDimensions(**ckpt["dims"]))
    model.load_state_dict(ckpt["model_state_dict"])  # strict: no missing or unexpected names
    assert all(t.dtype == torch.float32 for t in ckpt["model_state_dict"].values())

    sd = ckpt["model_state_dict"]
    fused = src["encoder/layer_1/self_attention/linear_0/weight"].astype(np.float32)
    for part, name in enumerate(("query", "key", "value")):
        np.testing.assert_array_equal(
            sd[f"encoder.blocks.1.attn.{name}.weight"].numpy(), fused[part * WIDTH : (part + 1) * WIDTH]
        )
    assert "encoder.blocks.1.attn.key.bias" not in sd
    np.testing.assert_array_equal(
        sd["decoder.blocks.0.cross_attn.value.bias"].numpy(),
        src["decoder/layer_0/attention/linear_1/bias"][WIDTH:].astype(np.float32),
    )
    np.testing.assert_array_equal(
        sd["decoder.blocks.1.mlp.2.weight"].numpy(), src["decoder/layer_1/ffn/linear_1/weight"]
    )
    np.testing.assert_array_equal(
        sd["decoder.ln.weight"].numpy(), src["decoder/layer_norm/gamma"].astype(np.float32)
    )

    model.set_alignment_heads(ckpt["alignment_heads"])
    assert sorted(model.alignment_heads.to_dense().nonzero().tolist()) == ALIGNMENT


def test_nonzero_key_bias_is_refused(tmp_path: Path) -> None:
    src = _random_whisper()
    src["encoder/layer_0/self_attention/linear_0/bias"][WIDTH] = 1.0

    with pytest.raises(ModelError, match="key bias"):
        convert_ct2_to_whisper(_write_model(tmp_path / "ct2", src), tmp_path / "w.pt")
    assert not list(tmp_path.glob("*.pt*")), "no partial file may be left behind"


def test_missing_alignment_heads_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="alignment_heads"):
        convert_ct2_to_whisper(_write_model(tmp_path / "ct2", _random_whisper(), heads=[]),
                               tmp_path / "w.pt")


def test_missing_tensor_is_a_model_error(tmp_path: Path) -> None:
    src = _random_whisper()
    del src["decoder/position_encodings/encodings"]

    with pytest.raises(ModelError, match="decoder/position_encodings/encodings"):
        convert_ct2_to_whisper(_write_model(tmp_path / "ct2", src), tmp_path / "w.pt")


def test_cache_converts_once_per_distinct_weights(tmp_path: Path) -> None:
    model_dir = _write_model(tmp_path / "ct2", _random_whisper(seed=1))
    root = tmp_path / "models"

    first = cached_checkpoint(model_dir, models_root=root)
    assert first.parent == root / "openai-whisper"
    assert first.name.startswith("whisper-8x2-") and first.suffix == ".pt"
    os.utime(first, (1, 1))
    assert cached_checkpoint(model_dir, models_root=root) == first
    assert first.stat().st_mtime == 1, "a cached checkpoint must not be rewritten"
    assert cached_checkpoint(model_dir, models_root=root, force=True) == first
    assert first.stat().st_mtime != 1

    _write_model(model_dir, _random_whisper(seed=2))  # new weights → new hash → new file
    second = cached_checkpoint(model_dir, models_root=root)
    assert second != first and sorted(p.name for p in second.parent.iterdir()) == sorted(
        [first.name, second.name]
    )


@pytest.mark.parametrize(
    ("width", "layers", "vocab", "name"),
    [(384, 4, 51864, "tiny.en"), (512, 6, 51865, "base"), (1280, 32, 51866, "large"),
     (100, 3, 51865, "whisper-100x3")],
)
def test_model_name_from_dims(width: int, layers: int, vocab: int, name: str) -> None:
    assert model_name_from_dims({"n_audio_state": width, "n_audio_layer": layers, "n_vocab": vocab}) == name
