"""``interview-sim models``: what speech models are available offline, and converting them.

``models list`` shows the bundled tiny.en (with its sha256 checked) and any openai-whisper checkpoint
already converted from it; ``models convert`` writes that checkpoint into the user's data directory,
which the openai-whisper engine otherwise does on first use.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from simulator.errors import ModelError
from simulator.speech.bundle import BUNDLED_MODEL, bundled_model_dir, verify_bundle
from simulator.speech.convert import cached_checkpoint, find_cached


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="show the bundled model and converted checkpoints")
    listing.set_defaults(func=run_list)

    convert = sub.add_parser(
        "convert",
        help=f"convert the bundled {BUNDLED_MODEL} into an openai-whisper checkpoint (cached)",
    )
    convert.add_argument(
        "--force", action="store_true", help="convert again even if a cached checkpoint exists"
    )
    convert.set_defaults(func=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    # Never convert weights that fail the checksum: the checkpoint would inherit the damage.
    model_dir = verify_bundle(bundled_model_dir())
    started = time.perf_counter()
    path = cached_checkpoint(model_dir, force=args.force)
    elapsed = time.perf_counter() - started
    print(f"{path}  ({_megabytes(path)}, ready in {elapsed:.1f} s)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    try:
        model_dir = bundled_model_dir()
    except ModelError as e:
        print(f"faster-whisper  {BUNDLED_MODEL}  not installed: {e}")
        return 1
    try:
        verify_bundle(model_dir)
        status = "sha256 verified"
    except ModelError as e:
        print(f"faster-whisper  {BUNDLED_MODEL}  {model_dir}  DAMAGED: {e}")
        return 1
    print(f"faster-whisper  {BUNDLED_MODEL}  {model_dir}  ({status})")
    checkpoint = find_cached(model_dir)
    if checkpoint is None:
        print(f"openai-whisper  {BUNDLED_MODEL}  not converted yet (`interview-sim models convert`)")
    else:
        print(f"openai-whisper  {BUNDLED_MODEL}  {checkpoint}  ({_megabytes(checkpoint)})")
    return 0


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.0f} MB"
