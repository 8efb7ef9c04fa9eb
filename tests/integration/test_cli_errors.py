"""Bad input on the command line: one clear line on stderr, a non-zero exit, never a traceback.

Each case runs ``python -m simulator`` as a child process, so what is checked is what a user sees
(import-time failures included). In-process CLI checks are in tests/unit."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert result.stdout == ""


def test_missing_file(tmp_path):
    assert_one_line_error(run_cli("score", str(tmp_path / "answer.wav")), "no such file")


def test_empty_file(tmp_path):
    (tmp_path / "a.wav").write_bytes(b"")
    assert_one_line_error(run_cli("score", str(tmp_path / "a.wav")), "empty")


def test_not_audio(tmp_path):
    (tmp_path / "a.mp3").write_text("not audio at all " * 100)
    assert_one_line_error(run_cli("score", str(tmp_path / "a.mp3")), "not a readable audio file")


def test_zero_length(tmp_path):
    sf.write(tmp_path / "a.wav", np.zeros(0), 16000)
    assert_one_line_error(run_cli("score", str(tmp_path / "a.wav")), "zero length")


def test_too_long(tmp_path):
    sf.write(tmp_path / "a.flac", np.zeros(16000 * 60 * 16, dtype=np.int16), 16000)
    assert_one_line_error(run_cli("score", str(tmp_path / "a.flac")), "limit is 15 minutes")


def test_unknown_engine(tmp_path):
    sf.write(tmp_path / "a.wav", np.zeros(16000), 16000)
    assert_one_line_error(run_cli("score", str(tmp_path / "a.wav"), "--engine", "nope"), "unknown engine 'nope'")


def test_unknown_model(tmp_path):
    sf.write(tmp_path / "a.wav", np.zeros(16000), 16000)
    assert_one_line_error(run_cli("score", str(tmp_path / "a.wav"), "--model", "huge.xx"), "unknown model 'huge.xx'")


def test_known_model_not_on_this_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    sf.write(tmp_path / "a.wav", np.zeros(16000), 16000)
    result = run_cli("score", str(tmp_path / "a.wav"), "--model", "base.en")
    assert_one_line_error(result, "is not on this machine")


def test_no_audio_argument():
    assert_one_line_error(run_cli("score"), "give an audio file")


@pytest.mark.parametrize("args", [["--version"], ["score", "--help"]])
def test_help_and_version_work(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert "interview-sim" in result.stdout


def test_data_dir_that_is_a_file_is_one_line(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    r = run_cli("--data-dir", str(not_a_dir), "sessions", "list")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    (line,) = [x for x in r.stderr.splitlines() if x.strip()]
    assert "cannot use" in line and str(not_a_dir) in line and "it is a file, not a folder" in line
