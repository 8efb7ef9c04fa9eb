"""The openai-whisper engine's edges: clear errors when the extra or checkpoint is missing.

That importing it stays cheap (no torch) is checked in a fresh interpreter in
tests/integration/test_import_hygiene.py.

Transcription itself is compared with faster-whisper in tests/integration/test_openai_conversion.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from simulator.errors import ModelError


def test_missing_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from simulator.speech.openai_engine import OpenAIWhisperTranscriber

    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ModelError, match=r"openai-whisper is not installed: run `make test`"):
        OpenAIWhisperTranscriber(tmp_path / "x.pt")


def test_missing_checkpoint_points_to_models_convert(tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    from simulator.speech.openai_engine import OpenAIWhisperTranscriber

    with pytest.raises(ModelError, match="interview-sim models convert"):
        OpenAIWhisperTranscriber(tmp_path / "missing.pt")


def test_garbage_checkpoint_is_a_model_error(tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    from simulator.speech.openai_engine import OpenAIWhisperTranscriber

    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint at all")
    with pytest.raises(ModelError, match="models convert --force"):
        OpenAIWhisperTranscriber(bad)


def test_unknown_model_name_is_a_usage_error() -> None:
    pytest.importorskip("whisper")
    from simulator.errors import UsageError
    from simulator.speech.openai_engine import load_openai_transcriber

    with pytest.raises(UsageError, match="unknown model 'tiny.fr'"):
        load_openai_transcriber("tiny.fr")


def test_official_model_is_never_downloaded_without_asking(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    whisper = pytest.importorskip("whisper")
    from simulator.speech.openai_engine import load_openai_transcriber

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(whisper, "_download", lambda *a, **k: pytest.fail("tried to download"))
    with pytest.raises(ModelError, match="--download"):
        load_openai_transcriber("base.en")


def test_folder_without_a_model_is_a_model_error(tmp_path: Path) -> None:
    pytest.importorskip("whisper")
    from simulator.speech.openai_engine import load_openai_transcriber

    with pytest.raises(ModelError, match="neither a .pt checkpoint nor a CTranslate2 model folder"):
        load_openai_transcriber(str(tmp_path))
