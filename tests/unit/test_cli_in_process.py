"""The command line in-process: a reader leaving the pipe, and the bare command's audio options.

The bad-input cases that run ``python -m simulator`` as a child process are in
tests/integration/test_cli_errors.py.
"""

import sys


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


def test_score_names_a_scenarios_file_it_left_out(tmp_path, capsys):
    from simulator.cli import main

    # A broken file in --scenarios DIR was skipped without a word: a coach's new rubric silently missing.
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("kind: rubric\nrubric: [oops\n", encoding="utf-8")
    answer = tmp_path / "answer.txt"
    answer.write_text("I stayed calm, listened, apologised and refunded the order the same day.", encoding="utf-8")
    assert main(["score", "--text", str(answer), "--question", "angry-customer-time", "--scenarios", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "warning" in err and "broken.yaml" in err and "not valid YAML" in err
