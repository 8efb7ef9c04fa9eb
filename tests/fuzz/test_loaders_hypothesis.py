"""Property-based fuzzing of the loaders: whatever bytes or text they are given, they answer with
their own one-line error (or a result), quickly, and never crash with anything else.

Each example has a time limit (Hypothesis ``deadline``); the memory-limited runs of whole commands
are in ``test_cli_corpus.py``.
"""

from __future__ import annotations

import string
from datetime import timedelta

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import yamlfiles
from simulator.audio.files import read_audio
from simulator.errors import AudioInputError
from simulator.rubric import load_bank, score_content
from simulator.store.recordings import read_partial_wav

FAST = settings(max_examples=150, deadline=timedelta(seconds=3), derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# YAML-ish text: the characters that make YAML structure, plus words, so that many examples parse.
_YAML_CHARS = st.sampled_from(list("[]{}:-,&*!|>'\"#\n ") + ["a", "b", "kind", "questions", "rubric", "  "])
yamlish = st.lists(_YAML_CHARS, max_size=400).map("".join)


@FAST
@given(st.one_of(yamlish, st.text(max_size=400)))
def test_yaml_loader_only_raises_yaml_errors(text):
    try:
        yamlfiles.load(text)
    except yaml.YAMLError:
        pass


@FAST
@given(st.one_of(yamlish, st.binary(max_size=2000)))
def test_scenario_bank_never_raises(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "x.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text("kind: questions\n" + content)
    bank = load_bank([folder], include_default=False)
    assert all(e.path == path for e in bank.errors)


_WORDS = st.sampled_from("i called the customer and um so then because never not sorry hotel room "
                         "refund 25 percent they were rude policy . , ! ? \n".split(" "))


@FAST
@given(st.one_of(st.lists(_WORDS, max_size=300).map(" ".join), st.text(max_size=2000)))
def test_scoring_any_text_returns_a_score(text):
    result = score_content(text, rubric="star")
    assert 0 <= result.score <= 100


@FAST
@given(st.binary(max_size=4000))
def test_partial_wav_reader_never_raises(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("p") / "1.partial.wav"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVE" + data)
    samples = read_partial_wav(path)
    assert samples.dtype == np.float32


@FAST
@given(st.binary(min_size=1, max_size=4000), st.sampled_from(["wav", "flac", "mp3", "ogg", "m4a"]))
def test_audio_reader_only_raises_its_own_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("a") / f"x.{suffix}"
    path.write_bytes(data)
    try:
        clip = read_audio(path)
    except AudioInputError as e:
        assert "\n" not in str(e)
    else:
        assert np.isfinite(clip.samples).all()


@FAST
@given(st.text(alphabet=string.printable + "\x00\x1b\x7f", max_size=12))
def test_numbers_on_the_command_line_are_checked(capsys, value):
    from simulator.cli import build_parser

    parser = build_parser()
    for option in ("--beam-size", "--silence", "--questions"):
        argv = ["score", "a.wav", option, value] if option == "--beam-size" else ["practice", option, value]
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:
            assert e.code == 2
            err = capsys.readouterr().err
            assert "\x1b" not in err and "\x00" not in err
            continue
        if option == "--beam-size":
            assert 1 <= args.beam_size <= 20
        elif option == "--silence":
            assert 0 < args.silence <= 30
        else:
            assert 1 <= args.questions <= 500
