"""The core never imports Textual (or the heavy speech engines) just by being imported.

Each check runs a fresh interpreter: this test process may already have torch or Textual loaded."""

import subprocess
import sys
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).parent


def core_modules() -> list[str]:
    mods = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if "tui" in rel.parts or rel.name == "__main__":
            continue
        mods.append(".".join(rel.parts).removesuffix(".__init__"))
    return mods


def test_core_imports_without_textual_torch_or_ctranslate2():
    code = (
        "import importlib, sys\n"
        f"for m in {core_modules()!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('textual', 'torch', 'ctranslate2', 'whisper'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert len(core_modules()) > 10


def test_importing_the_engine_does_not_import_torch() -> None:
    # A fresh interpreter: this test process may already have torch loaded by other tests.
    code = (
        "import sys, simulator.speech.openai_engine, simulator.speech.convert, simulator.cli.models\n"
        "heavy = {'torch', 'whisper', 'numba'} & set(sys.modules)\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
