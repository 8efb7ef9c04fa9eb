"""Convert the bundled CTranslate2 Whisper model into an openai-whisper checkpoint, and cache it.

openai-whisper (the reference implementation) can only load its own ``.pt`` checkpoints, and the only
Whisper model we can install offline is in CTranslate2 format. The two hold the same weights under
different names, so the conversion is exact: the same transcript and word timestamps as faster-whisper
in float32 (``tests/integration/test_openai_conversion.py`` asserts it). The name mapping and the
pitfalls are written up in ``../shared/RESEARCH.md`` section 1.

The checkpoint is what ``whisper.load_model(path)`` reads (``{"dims", "model_state_dict"}``) plus
``alignment_heads`` (the cross-attention heads used for word timing, in the base85 form that
``Whisper.set_alignment_heads`` takes; ``load_model`` only knows them for its own downloads) and
``source`` (where it came from). Weights are stored as float32: the bundle is float16, but the CPU
runs openai-whisper in float32 anyway, and widening once here keeps loading simple.
"""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path
from typing import Any

import numpy as np

from simulator.errors import ModelError
from simulator.paths import models_dir, write_atomically
from simulator.speech.bundle import alignment_heads, file_sha256
from simulator.speech.ct2_format import Ct2Model, read_model_bin

CACHE_SUBDIR = "openai-whisper"
CHECKPOINT_FORMAT = 1  # bump when the checkpoint contents change, so stale caches are not reused
SHA_PREFIX_CHARS = 12
OPENAI_EXTRA_HINT = "run `make test` or `pip install 'interview-sim[openai]'`"

# Standard Whisper sizes by width and encoder depth, to name a converted model without being told.
_SIZE_NAMES = {(384, 4): "tiny", (512, 6): "base", (768, 12): "small", (1024, 24): "medium",
               (1280, 32): "large"}
_ENGLISH_ONLY_VOCAB = 51864  # multilingual models have 51865 (large-v3: 51866)

# Per-layer names, CTranslate2 → openai-whisper, for layer norms (gamma/beta → weight/bias) and for
# linear layers (weight and bias). Fused projections are split separately, in state_dict_arrays.
_NORMS = {"self_attention/layer_norm": "attn_ln", "ffn/layer_norm": "mlp_ln"}
_LINEARS = {"self_attention/linear_1": "attn.out", "ffn/linear_0": "mlp.0", "ffn/linear_1": "mlp.2"}
_DECODER_NORMS = {"attention/layer_norm": "cross_attn_ln"}
_DECODER_LINEARS = {"attention/linear_0": "cross_attn.query", "attention/linear_2": "cross_attn.out"}


def import_torch() -> Any:
    """Import torch, or explain how to install the optional openai-whisper extra."""
    try:
        import torch  # noqa: PLC0415 - ~1 s import, only for this engine
    except ModuleNotFoundError as e:
        raise ModelError(f"openai-whisper is not installed: {OPENAI_EXTRA_HINT}") from e
    return torch


def dims_from_model(model: Ct2Model) -> dict[str, int]:
    """openai-whisper's ``ModelDimensions``, read off the tensor shapes."""
    if model.spec != "WhisperSpec":
        raise ModelError(f"not a Whisper model: the CTranslate2 spec is {model.spec!r}")
    try:
        audio_ctx, audio_state = model["encoder/position_encodings/encodings"].shape
        text_ctx, text_state = model["decoder/position_encodings/encodings"].shape
        return {
            "n_mels": int(model["encoder/conv1/weight"].shape[1]),
            "n_audio_ctx": int(audio_ctx),
            "n_audio_state": int(audio_state),
            "n_audio_head": int(model.scalar("encoder/num_heads")),
            "n_audio_layer": _count_layers(model, "encoder"),
            "n_vocab": int(model["decoder/embeddings/weight"].shape[0]),
            "n_text_ctx": int(text_ctx),
            "n_text_state": int(text_state),
            "n_text_head": int(model.scalar("decoder/num_heads")),
            "n_text_layer": _count_layers(model, "decoder"),
        }
    except KeyError as e:
        raise ModelError(f"the Whisper model is incomplete: {e.args[0]} is missing") from e


def _count_layers(model: Ct2Model, stack: str) -> int:
    pattern = re.compile(rf"^{stack}/layer_(\d+)/")
    indices = {int(m.group(1)) for name in model.variables if (m := pattern.match(name))}
    if indices != set(range(len(indices))) or not indices:
        raise ModelError(f"the Whisper model's {stack} layers are missing or out of order")
    return len(indices)


def model_name_from_dims(dims: dict[str, int]) -> str:
    """``tiny.en``, ``base``, … from the dimensions; ``whisper-<width>x<layers>`` when non-standard."""
    size = _SIZE_NAMES.get((dims["n_audio_state"], dims["n_audio_layer"]))
    if size is None:
        return f"whisper-{dims['n_audio_state']}x{dims['n_audio_layer']}"
    return size + (".en" if dims["n_vocab"] == _ENGLISH_ONLY_VOCAB else "")


def state_dict_arrays(model: Ct2Model, dims: dict[str, int]) -> dict[str, np.ndarray]:
    """All openai-whisper parameters and persistent buffers, as float32 numpy arrays."""
    out: dict[str, np.ndarray] = {}

    def put(name: str, array: np.ndarray) -> None:
        out[name] = np.ascontiguousarray(array, dtype=np.float32)

    def linear(src: str, dst: str) -> None:
        put(f"{dst}.weight", model[f"{src}/weight"])
        put(f"{dst}.bias", model[f"{src}/bias"])

    def norm(src: str, dst: str) -> None:
        put(f"{dst}.weight", model[f"{src}/gamma"])
        put(f"{dst}.bias", model[f"{src}/beta"])

    def split_fused(src: str, dsts: tuple[str, ...]) -> None:
        # CTranslate2 fuses the projections row-wise in q, k, v order. openai-whisper's key projection
        # has no bias (softmax is invariant to it), and CTranslate2 stores zeros there: check, drop.
        weight, bias = model[f"{src}/weight"], model[f"{src}/bias"]
        parts = len(dsts)
        for dst, w, b in zip(dsts, np.split(weight, parts), np.split(bias, parts), strict=True):
            put(f"{dst}.weight", w)
            if dst.endswith(".key"):
                if np.any(b != 0):
                    raise ModelError(f"unexpected non-zero key bias in {src}; cannot convert exactly")
            else:
                put(f"{dst}.bias", b)

    for i in (1, 2):
        linear(f"encoder/conv{i}", f"encoder.conv{i}")
    put("encoder.positional_embedding", model["encoder/position_encodings/encodings"])
    norm("encoder/layer_norm", "encoder.ln_post")
    put("decoder.token_embedding.weight", model["decoder/embeddings/weight"])
    put("decoder.positional_embedding", model["decoder/position_encodings/encodings"])
    norm("decoder/layer_norm", "decoder.ln")

    for stack, n_layers in (("encoder", dims["n_audio_layer"]), ("decoder", dims["n_text_layer"])):
        for i in range(n_layers):
            src, dst = f"{stack}/layer_{i}", f"{stack}.blocks.{i}"
            split_fused(f"{src}/self_attention/linear_0", (f"{dst}.attn.query", f"{dst}.attn.key",
                                                           f"{dst}.attn.value"))
            decoder = stack == "decoder"
            for ct2, ow in (_NORMS | _DECODER_NORMS if decoder else _NORMS).items():
                norm(f"{src}/{ct2}", f"{dst}.{ow}")
            for ct2, ow in (_LINEARS | _DECODER_LINEARS if decoder else _LINEARS).items():
                linear(f"{src}/{ct2}", f"{dst}.{ow}")
            if decoder:
                split_fused(f"{src}/attention/linear_1", (f"{dst}.cross_attn.key",
                                                          f"{dst}.cross_attn.value"))
    return out


def alignment_heads_dump(pairs: list[list[int]], dims: dict[str, int]) -> str:
    """Encode (layer, head) pairs the way ``Whisper.set_alignment_heads`` expects (base85 gzip)."""
    mask = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    for layer, head in pairs:
        if not (0 <= layer < mask.shape[0] and 0 <= head < mask.shape[1]):
            raise ModelError(f"alignment head ({layer}, {head}) is outside the model's decoder")
        mask[layer, head] = True
    # mtime=0 keeps the checkpoint bytes reproducible.
    return base64.b85encode(gzip.compress(mask.tobytes(), mtime=0)).decode("ascii")


def _alignment_pairs(model_dir: Path) -> list[list[int]]:
    pairs = alignment_heads(model_dir)
    if not pairs:
        # Without them word times drift by up to 0.5 s (RESEARCH.md): refuse rather than degrade.
        raise ModelError(f"{model_dir / 'config.json'} has no alignment_heads; word timing would be wrong")
    return [[int(layer), int(head)] for layer, head in pairs]


def build_checkpoint(model_dir: Path, *, sha256: str | None = None) -> dict[str, Any]:
    """The openai-whisper checkpoint dict for the CTranslate2 Whisper model in ``model_dir``."""
    torch = import_torch()
    model_dir = Path(model_dir)
    model_bin = model_dir / "model.bin"
    model = read_model_bin(model_bin)
    dims = dims_from_model(model)
    arrays = state_dict_arrays(model, dims)
    return {
        "dims": dims,
        "model_state_dict": {name: torch.from_numpy(a) for name, a in arrays.items()},
        "alignment_heads": alignment_heads_dump(_alignment_pairs(model_dir), dims),
        "source": {
            "format": CHECKPOINT_FORMAT,
            "model_name": model_name_from_dims(dims),
            "ct2_model_sha256": sha256 or file_sha256(model_bin),
        },
    }


def save_atomically(checkpoint: dict[str, Any], out_path: Path) -> Path:
    """``torch.save`` written whole (:func:`~simulator.paths.write_atomically`): a crash or a
    concurrent run never leaves a half-written checkpoint that a later load would trust."""
    torch = import_torch()
    try:
        return write_atomically(Path(out_path), lambda f: torch.save(checkpoint, f))
    except (OSError, RuntimeError) as e:  # a full disk: torch says "unexpected pos" after the OSError
        cause = e if isinstance(e, OSError) else (e.__context__ if isinstance(e.__context__, OSError) else e)
        why = getattr(cause, "strerror", None) or str(cause).splitlines()[0]
        raise ModelError(f"cannot write the converted model {out_path}: {why} (it needs about 300 MB free)") from e


def convert_ct2_to_whisper(model_dir: Path, out_path: Path) -> Path:
    """Write an openai-whisper checkpoint for the CTranslate2 Whisper model in ``model_dir``.

    Returns:
        ``out_path``.

    Raises:
        ModelError: the model is unreadable or not a Whisper model, or torch is not installed.
    """
    return save_atomically(build_checkpoint(model_dir), out_path)


def cache_dir(models_root: Path | None = None) -> Path:
    return (models_root or models_dir()) / CACHE_SUBDIR


def find_cached(
    model_dir: Path, models_root: Path | None = None, *, sha256: str | None = None
) -> Path | None:
    """The cached checkpoint converted from this exact ``model.bin``, if there is one."""
    folder = cache_dir(models_root)
    if not folder.is_dir():
        return None
    prefix = (sha256 or file_sha256(Path(model_dir) / "model.bin"))[:SHA_PREFIX_CHARS]
    matches = sorted(folder.glob(f"*-{prefix}.pt"))
    return matches[0] if matches else None


def cached_checkpoint(
    model_dir: Path, *, models_root: Path | None = None, force: bool = False
) -> Path:
    """Path of the openai-whisper checkpoint for ``model_dir``, converting it on first use.

    Cached as ``<models_dir>/openai-whisper/<model-name>-<sha256 prefix of model.bin>.pt``: the hash
    ties the checkpoint to the exact weights, so a new bundle version gets a fresh conversion.
    """
    model_dir = Path(model_dir)
    model_bin = model_dir / "model.bin"
    if not model_bin.is_file():
        raise ModelError(f"{model_dir} is not a CTranslate2 Whisper model folder (no model.bin in it)")
    sha256 = file_sha256(model_bin)
    if not force and (existing := find_cached(model_dir, models_root, sha256=sha256)) is not None:
        return existing
    checkpoint = build_checkpoint(model_dir, sha256=sha256)
    name = checkpoint["source"]["model_name"]
    return save_atomically(checkpoint, cache_dir(models_root) / f"{name}-{sha256[:SHA_PREFIX_CHARS]}.pt")
