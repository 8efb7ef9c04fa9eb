"""``interview-sim models list|convert`` against the real bundled models, in a private data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.paths import DATA_DIR_ENV

pytestmark = pytest.mark.integration
pytest.importorskip("whisper")


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))


def test_list_then_convert_then_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "faster-whisper  base (default)  " in out and "faster-whisper  tiny.en  " in out
    assert out.count("sha256 verified") == 3 and out.count("not converted yet") == 2
    assert "hesitation listener  for faster-whisper base int8  " in out

    assert main(["models", "convert", "tiny.en"]) == 0
    printed = capsys.readouterr().out.split()[0]
    checkpoint = Path(printed)
    assert checkpoint.parent == tmp_path / "data" / "models" / "openai-whisper"
    assert checkpoint.name == "tiny.en-1a5afae06a4d.pt"
    assert checkpoint.stat().st_size > 100e6  # 39 M float32 parameters
    mtime = checkpoint.stat().st_mtime_ns

    assert main(["models", "convert", "tiny.en"]) == 0  # cached: not rewritten
    assert checkpoint.stat().st_mtime_ns == mtime
    capsys.readouterr()

    assert main(["models", "list"]) == 0
    assert str(checkpoint) in capsys.readouterr().out

    assert main(["models", "convert", "tiny.en", "--force"]) == 0
    assert checkpoint.stat().st_mtime_ns != mtime


def test_engine_factory_converts_the_default_model_on_first_use(tmp_path: Path) -> None:
    from simulator.speech.engines import make_transcriber

    engine = make_transcriber("openai-whisper", None, beam_size=1)
    assert (engine.engine, engine.model_name) == ("openai-whisper", "base")
    checkpoint = tmp_path / "data" / "models" / "openai-whisper" / "base-905e5bf8336b.pt"
    assert checkpoint.stat().st_size > 280e6  # 74 M float32 parameters


def test_models_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["models"])
    assert caught.value.code == 2
    assert "ACTION" in capsys.readouterr().err


def test_damaged_listener_weights_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.speech import hesitation_probe  # noqa: PLC0415

    bad = tmp_path / "hesitation_probe.npz"
    bad.write_bytes(hesitation_probe.MODEL_FILE.read_bytes()[:-1] + b"?")
    bad.with_suffix(".sha256").write_text(hesitation_probe.MODEL_FILE.with_suffix(".sha256").read_text())
    monkeypatch.setattr(hesitation_probe, "MODEL_FILE", bad)
    assert main(["models", "list"]) == 1
    assert "hesitation listener  NOT USABLE: hesitation listener weights damaged" in capsys.readouterr().out
