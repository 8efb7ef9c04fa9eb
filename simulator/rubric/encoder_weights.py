"""Keep the sentence encoder's weights as int8 in memory.

The encoder file stores each weight matrix as int8 and widens it in the graph (``Cast`` to float32,
then ``Mul`` by its scales). onnxruntime's constant folding runs that widening once at load, so the
session held about 90 MB of float32 copies: the encoder added +220 MB to the app's peak memory,
where issue 11 allows 120. This rewrites the graph before the session is made, so the int8 values
are what the session keeps:

- a matrix product ``x @ (Cast(W) * s)`` becomes onnxruntime's ``MatMulNBits`` with 8 bits: the same
  int8 values (offset by 128, its unsigned form) and the same per-column scales, multiplied block by
  block without a float32 copy. ``accuracy_level=4`` lets it multiply in int8 (the activations are
  quantised per block of 128), which is faster than the float32 products it replaces; level 0
  would be exact and three times slower;
- an embedding lookup ``Gather(Cast(W) * s, ids)`` gathers the int8 rows first and widens only
  those: exact.

Anything else, or any weight not in that form, is left as it was (and is folded as before), so the
rewrite can only save memory, never refuse a model.

Reading and rewriting the graph needs the ``onnx`` package and briefly holds two copies of the
weights (about +130 MB at its peak), so it is done once, by a child process
(``python -m simulator.rubric.encoder_weights SOURCE OUT``), and the result is kept in the user's
cache folder (``~/.cache/interview-sim/sentence-encoder/``) beside a file holding its sha256; later
loads check that digest and read the file directly.
Measured by ``bench/semantic_speed.py`` and in the README ("Content by meaning").
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from simulator.errors import ModelError
from simulator.paths import write_atomically
from simulator.speech.bundle import file_sha256

BITS = 8
ACCURACY_LEVEL = 4  # int8 products; 0 is float32 (exact, about 3x slower on 2 cores)
_BLOCKS = (128, 64, 32, 16)  # MatMulNBits block sizes, largest that divides the inner dimension
_INT8_OFFSET = 1 << (BITS - 1)  # MatMulNBits' default zero point: stored value 128 means 0
_ONNX_HINT = "reinstall it with `pip install 'onnx>=1.17,<2'`"
FORMAT = 1  # bump when the rewrite changes, so an older copy is not reused
CHILD_TIMEOUT_S = 120.0  # about 1.5 s on 2 cores, Python's start and the onnx import included


def cached_int8_model(source: Path, source_sha256: str, folder: Path) -> Path | None:
    """The int8 copy of ``source`` (already checked against ``source_sha256``) in ``folder``,
    written by a child process on first use. None if it cannot be made or kept (a read-only or
    full disk, a killed child): the caller then rewrites in memory instead."""
    out = copy_path(source_sha256, folder)
    if _intact(out):
        return out
    try:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", __name__, str(source), str(out)], check=True,
                       capture_output=True, timeout=CHILD_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError):
        return None
    return out if _intact(out) else None


def copy_path(source_sha256: str, folder: Path) -> Path:
    return folder / f"all-minilm-l6-v2-int8-{source_sha256[:12]}-v{FORMAT}.onnx"


def kept_copy(source_sha256: str, folder: Path) -> Path | None:
    """The intact int8 copy in ``folder``, if one has been made (for ``doctor``)."""
    out = copy_path(source_sha256, folder)
    return out if _intact(out) else None


def _digest_file(model: Path) -> Path:
    return model.with_name(model.name + ".sha256")


def _intact(model: Path) -> bool:
    digest = _digest_file(model)
    try:
        return model.is_file() and digest.is_file() and file_sha256(model) == digest.read_text().strip()
    except OSError:
        return False


def write_int8_model(source: Path, out: Path) -> None:
    """Rewrite ``source`` into ``out`` and record its sha256 beside it, each file written whole
    (to a temporary name, then renamed): a crash never leaves a file a later load would trust."""
    data = int8_session_model(source)
    write_atomically(out, lambda f: f.write(data))
    write_atomically(_digest_file(out), lambda f: f.write((hashlib.sha256(data).hexdigest() + "\n").encode()))


def int8_session_model(path: Path) -> bytes:
    """The model at ``path``, serialised with its int8 weights kept int8 (see the module doc)."""
    try:
        # About 0.6 s, holding the GIL (the voice loop's audio thread waits): only here, in the
        # child process that makes the copy, or when no copy can be kept.
        import onnx  # noqa: PLC0415
    except ImportError as e:
        raise ModelError(f"the sentence encoder needs the onnx package: {_ONNX_HINT} ({e})") from e

    model = onnx.load(str(path))
    _rewrite(model.graph, onnx)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
    return model.SerializeToString()


def _rewrite(graph: Any, onnx: Any) -> None:
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    inits = {i.name: i for i in graph.initializer}
    users: dict[str, list[Any]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            users[name].append(node)
    dropped_nodes: set[int] = set()
    dropped_inits: set[str] = set()
    added_inits: list[Any] = []
    replacements: dict[int, list[Any]] = {}

    for name, init in inits.items():
        widening = _widening(name, init, users, inits, onnx)
        if widening is None:
            continue
        cast, mul, scale_name, use = widening
        weight = numpy_helper.to_array(init)
        scale = numpy_helper.to_array(inits[scale_name]).astype(np.float32)
        widened = mul.output[0]
        if use.op_type == "Gather" and use.input[0] == widened and _attr(use, "axis", 0) == 0 \
                and scale.shape in ((), (1,), (weight.shape[0], 1)):
            ids, out = use.input[1], use.output[0]
            rows, rows_f, row_scales = f"{name}/rows", f"{name}/rows_f", f"{name}/row_scales"
            nodes = [helper.make_node("Gather", [name, ids], [rows]),
                     helper.make_node("Cast", [rows], [rows_f], to=onnx.TensorProto.FLOAT)]
            if scale.ndim == 2:
                nodes.append(helper.make_node("Gather", [scale_name, ids], [row_scales]))
                nodes.append(helper.make_node("Mul", [rows_f, row_scales], [out]))
            else:
                nodes.append(helper.make_node("Mul", [rows_f, scale_name], [out]))
            replacements[id(use)] = nodes
        elif use.op_type == "MatMul" and use.input[1] == widened and weight.ndim == 2:
            k, n = weight.shape
            block = next((b for b in _BLOCKS if k % b == 0), None)
            columns = _per_column(scale, n)
            if block is None or columns is None:
                continue
            packed = (weight.astype(np.int16) + _INT8_OFFSET).astype(np.uint8).T.reshape(n, k // block, block)
            scales = np.repeat(columns[:, None], k // block, axis=1)
            added_inits += [numpy_helper.from_array(np.ascontiguousarray(packed), f"{name}/nbits"),
                            numpy_helper.from_array(np.ascontiguousarray(scales), f"{name}/nbits_scales")]
            replacements[id(use)] = [helper.make_node(
                "MatMulNBits", [use.input[0], f"{name}/nbits", f"{name}/nbits_scales"], [use.output[0]],
                domain="com.microsoft", K=k, N=n, bits=BITS, block_size=block, accuracy_level=ACCURACY_LEVEL)]
            dropped_inits |= {name, scale_name}
        else:
            continue
        dropped_nodes |= {id(cast), id(mul)}

    kept = []
    for node in graph.node:
        if id(node) not in dropped_nodes:
            kept.extend(replacements.get(id(node), [node]))
    del graph.node[:]
    graph.node.extend(kept)
    remaining = [i for i in graph.initializer if i.name not in dropped_inits]
    del graph.initializer[:]
    graph.initializer.extend(remaining + added_inits)


def _widening(name: str, init: Any, users: dict[str, list[Any]], inits: dict[str, Any],
              onnx: Any) -> tuple[Any, Any, str, Any] | None:
    """(Cast, Mul, scale initializer, the one node using the result) if ``name`` is an int8 weight
    widened by ``Cast`` then ``Mul`` by a constant and used once; otherwise None."""
    if init.data_type != onnx.TensorProto.INT8 or len(users[name]) != 1:
        return None
    cast = users[name][0]
    if cast.op_type != "Cast" or _attr(cast, "to", None) != onnx.TensorProto.FLOAT \
            or len(users[cast.output[0]]) != 1:
        return None
    mul = users[cast.output[0]][0]
    others = [i for i in mul.input if i != cast.output[0]]
    if mul.op_type != "Mul" or len(others) != 1 or others[0] not in inits \
            or len(users[others[0]]) != 1 or len(users[mul.output[0]]) != 1:
        return None
    return cast, mul, others[0], users[mul.output[0]][0]


def _per_column(scale: np.ndarray, n: int) -> np.ndarray | None:
    if scale.size == 1:
        return np.full(n, float(scale.reshape(-1)[0]), dtype=np.float32)
    if scale.shape in ((n,), (1, n)):
        return scale.reshape(n).astype(np.float32)
    return None


def _attr(node: Any, name: str, default: Any) -> Any:
    for a in node.attribute:
        if a.name == name:
            return a.i
    return default


if __name__ == "__main__":  # the child process of cached_int8_model
    write_int8_model(Path(sys.argv[1]), Path(sys.argv[2]))
