"""``interview-sim models``: what speech models are available offline, and converting them.

``models list`` shows the bundled models (base, the default, and tiny.en), each with its sha256 checked
(base's two installed parts are joined into the cache the first time), any openai-whisper
checkpoint already converted from them, and the hesitation listener's weights (checked the same way); ``models convert`` writes that checkpoint into the user's data
directory, which the openai-whisper engine otherwise does on first use.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from simulator.errors import ModelError
from simulator.speech import hesitation_probe
from simulator.speech.bundle import BUNDLES, DEFAULT_MODEL, verified_model_dir
from simulator.speech.convert import cached_checkpoint, find_cached


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    sub = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="show the bundled models and converted checkpoints")
    listing.set_defaults(func=run_list)

    convert = sub.add_parser(
        "convert",
        help="convert a bundled model into an openai-whisper checkpoint (cached)",
    )
    convert.add_argument("model", nargs="?", choices=list(BUNDLES), default=DEFAULT_MODEL,
                         help=f"which bundled model (default {DEFAULT_MODEL})")
    convert.add_argument(
        "--force", action="store_true", help="convert again even if a cached checkpoint exists"
    )
    convert.set_defaults(func=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    # Never convert weights that fail the checksum: the checkpoint would inherit the damage.
    model_dir = verified_model_dir(args.model)
    started = time.perf_counter()
    path = cached_checkpoint(model_dir, force=args.force)
    elapsed = time.perf_counter() - started
    print(f"{path}  ({_megabytes(path)}, ready in {elapsed:.1f} s)")
    return 0


def run_list(args: argparse.Namespace) -> int:
    failed = False
    for name in BUNDLES:
        default = " (default)" if name == DEFAULT_MODEL else ""
        try:
            model_dir = verified_model_dir(name)
        except ModelError as e:
            print(f"faster-whisper  {name}{default}  NOT USABLE: {e}")
            failed = True
            continue
        print(f"faster-whisper  {name}{default}  {model_dir}  (sha256 verified)")
        checkpoint = find_cached(model_dir)
        if checkpoint is None:
            print(f"openai-whisper  {name}  not converted yet (`interview-sim models convert {name}`)")
        else:
            print(f"openai-whisper  {name}  {checkpoint}  ({_megabytes(checkpoint)})")
    fitted = hesitation_probe.ENCODER
    try:
        hesitation_probe.read_model()
    except ValueError as e:
        print(f"hesitation listener  NOT USABLE: {e} (hidden um/uh go uncounted)")
        return 1
    print(f"hesitation listener  for {fitted['engine']} {fitted['model']} {fitted['compute_type']}  "
          f"{hesitation_probe.MODEL_FILE}  (sha256 verified)")
    return 1 if failed else 0


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.0f} MB"
