"""Bad input on the command line: one clear line on stderr, a non-zero exit, never a traceback."""

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



def test_reader_leaving_the_pipe_is_a_quiet_exit(monkeypatch):
    """`interview-sim scenarios list | head -1`: exit 141 with nothing on stderr, no traceback."""
    import io
    import os

    from simulator.cli import main

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone: the next write raises BrokenPipeError
    pipe = io.TextIOWrapper(os.fdopen(write_end, "wb", buffering=0), write_through=True)
    monkeypatch.setattr(sys, "stdout", pipe)
    try:
        assert main(["scenarios", "list"]) == 141
        pipe.write("after the exit flush\n")  # stdout now points at /dev/null
    finally:
        monkeypatch.undo()
        pipe.close()


def test_bare_command_takes_the_audio_options_for_the_home_screen():
    from simulator.cli import build_parser
    from simulator.tui.launch import AudioOptions

    home = AudioOptions.from_args(build_parser().parse_args(
        ["--engine", "openai-whisper", "--input-device", "USB", "--voice", "en-gb", "--rate", "150"]))
    assert (home.engine, home.input_device, home.voice, home.rate) == ("openai-whisper", "USB", "en-gb", 150)
    # After a command, that command's own options apply.
    practice = build_parser().parse_args(["practice", "--engine", "openai-whisper", "--rate", "120"])
    assert (practice.engine, practice.rate) == ("openai-whisper", 120)
