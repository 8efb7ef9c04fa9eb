"""Damaged and hostile inputs never hang, crash or lose data: non-finite samples, damaged rows,
unreadable folders, deep YAML (each case answers with one line, or is repaired)."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from simulator.audio.files import read_audio
from simulator.cli import main
from simulator.errors import AudioInputError
from simulator.store import SessionStore
from tests.unit.test_store_fakes import FakeTranscriber, answer_audio, question, scored_answer


# --- 5. NaN / inf samples ------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [16000, 44100])
def test_a_few_non_finite_samples_are_repaired(tmp_path, rate):
    x = (0.3 * np.sin(np.arange(rate * 3) / rate * 2 * np.pi * 220)).astype(np.float32)
    x[rate] = np.nan
    x[rate + 7] = np.inf
    x[2 * rate] = -np.inf
    sf.write(tmp_path / "a.wav", x, rate, subtype="FLOAT")
    clip = read_audio(tmp_path / "a.wav")
    assert np.isfinite(clip.samples).all()
    assert len(clip.samples) == 48000
    # The speech is still there: not turned into silence.
    assert np.sqrt(np.mean(clip.samples ** 2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.02)


def test_a_file_of_mostly_non_finite_samples_is_refused(tmp_path):
    x = np.full(16000, np.nan, np.float32)
    x[:100] = 0.1
    sf.write(tmp_path / "a.wav", x, 16000, subtype="FLOAT")
    with pytest.raises(AudioInputError, match="not finite"):
        read_audio(tmp_path / "a.wav")


def test_store_saves_non_finite_samples_without_a_crash(private_data_dir):
    report, samples = scored_answer()
    samples = samples.copy()
    samples[100], samples[200] = np.nan, np.inf
    with SessionStore.open() as store:
        s = store.start_session()
        a = store.add_answer(s.id, question(), report, samples)
        audio = store.load_audio(a)
        assert np.isfinite(audio).all() and len(audio) == len(samples)
        w = store.open_answer_audio(s.id, 2)
        w.write(samples)
        w.close()
        assert not list(store.audio_dir(s.id).glob(".*tmp-*"))


def test_import_of_a_file_with_a_nan_sample(private_data_dir, tmp_path, monkeypatch, capsys):
    fake = FakeTranscriber()
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    x = answer_audio().astype(np.float32)
    x[5000] = np.nan
    sf.write(tmp_path / "memo.wav", x, 16000, subtype="FLOAT")
    assert main(["import", str(tmp_path / "memo.wav"), "--question", question().id]) == 0
    with SessionStore.open() as store:
        (s,) = store.list_sessions()
        (a,) = store.answers(s.id)
        assert np.isfinite(store.load_audio(a)).all()
        assert not list(store.audio_dir(s.id).glob(".*tmp-*"))


def test_import_and_rescore_warn_when_content_by_meaning_lacks_its_fitted_data(private_data_dir, tmp_path,
                                                                               monkeypatch, capsys):
    from simulator.rubric import fitted

    fake = FakeTranscriber()
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    monkeypatch.setattr(fitted, "FIT_FILE", tmp_path / "semantic_fit.json")  # missing
    sf.write(tmp_path / "memo.wav", answer_audio(), 16000)
    assert main(["import", str(tmp_path / "memo.wav"), "--question", question().id]) == 0
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "semantic_fit.json cannot be read" in err
    with SessionStore.open() as store:
        (s,) = store.list_sessions()
    assert main(["rescore", s.id]) == 0
    assert "semantic_fit.json cannot be read" in capsys.readouterr().err


def test_failed_import_leaves_no_empty_session(private_data_dir, tmp_path, monkeypatch):
    from simulator.errors import StoreError

    fake = FakeTranscriber()
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    sf.write(tmp_path / "memo.wav", answer_audio(), 16000)

    def full(*a, **k):
        raise StoreError("cannot save the recording: No space left on device")

    monkeypatch.setattr("simulator.store.writes.write_flac_atomic", full)
    assert main(["import", str(tmp_path / "memo.wav"), "--question", question().id]) == 1
    with SessionStore.open() as store:
        assert store.list_sessions() == []


# --- 6. one damaged JSON value -------------------------------------------------------------------


@pytest.mark.parametrize("column, value", [
    ("delivery", "not json{"),
    ("content", '{"rubric": 1}'),
    ("transcript", '[1, 2]'),
    ("options", "{"),
    ("feedback", '"x"'),
    # Bytes overwritten on disk: not UTF-8 at all. SQLite's default decoding failed the whole query,
    # so every command that read the session (and the app at start) ended in a traceback (stop 44).
    ("content", b'{"rubric": "star", "crit\x00\xff\x00\xff'),
    ("transcript", b'{"text": "I \xff\xfe called"}'),
    ("question_text", b"Tell me \xff about yourself"),
])
def test_a_damaged_answer_row_is_reported_and_skipped(private_data_dir, capsys, column, value):
    with SessionStore.open() as store:
        ids = []
        for _ in range(2):
            s = store.start_session(role="retail")
            store.add_answer(s.id, question(), *scored_answer())
            store.add_answer(s.id, question(), *scored_answer())
            store.finish_session(s.id)
            ids.append(s.id)
        bad, good = ids
        row = store.answers(bad)[0].id
        if isinstance(value, bytes):  # stored as TEXT whatever its bytes, as a damaged page would hold it
            store._conn.execute(f"UPDATE answers SET {column} = CAST(? AS TEXT) WHERE id = ?", (value, row))
        else:
            store._conn.execute(f"UPDATE answers SET {column} = ? WHERE id = ?", (value, row))
    for argv in (["history"], ["history", "--json"], ["sessions", "list"], ["sessions", "list", "--json"],
                 *(["export", sid, "--format", f] for sid in ids for f in ("html", "md", "json"))):
        assert main(argv) == 0, argv
        captured = capsys.readouterr()
        assert good not in captured.err
        if argv[0] != "export" or argv[1] == bad:
            lines = captured.err.strip().splitlines()
            assert len(lines) == 1 and bad in lines[0] and "damaged" in lines[0], (argv, captured.err)


def test_a_damaged_session_settings_value_is_reported(private_data_dir, capsys):
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), *scored_answer())
        store._conn.execute("UPDATE sessions SET settings = '{' WHERE id = ?", (s.id,))
    assert main(["history"]) == 0
    assert main(["export", s.id, "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert s.id in err and "damaged" in err


# --- 7. tracebacks: untraversable folders, deep YAML ---------------------------------------------


def test_audio_file_in_an_untraversable_folder(tmp_path, monkeypatch):
    from pathlib import Path

    def denied(self, *a, **k):
        raise PermissionError(13, "Permission denied", str(self))

    # Running as root, chmod 000 does not stop us: make the stat fail as it would for a user.
    monkeypatch.setattr(Path, "stat", denied)
    with pytest.raises(AudioInputError, match="permission denied"):
        read_audio(tmp_path / "locked" / "answer.wav")


def _deep_yaml(levels: int) -> str:
    return "kind: questions\nrole: retail\nquestions:\n" + "- " * 1 + "[" * levels + "]" * levels + "\n"


@pytest.mark.parametrize("levels", [500, 5000])
def test_yaml_nested_hundreds_of_levels_is_one_error(tmp_path, capsys, levels):
    from simulator.rubric import load_bank
    from simulator.roleplay.library import load_library

    (tmp_path / "deep.yaml").write_text(_deep_yaml(levels))
    (tmp_path / "deep-roleplay.yaml").write_text("kind: roleplay\nroleplay: " + "[" * levels + "]" * levels + "\n")
    bank = load_bank([tmp_path], include_default=False)
    (err,) = [e for e in bank.errors if e.path.name == "deep.yaml"]
    assert "nest" in err.message
    lib = load_library([tmp_path])
    assert any("nest" in e.message for e in lib.errors if e.path.name == "deep-roleplay.yaml")
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "RecursionError" not in out.err + out.out
    assert "deep.yaml" in out.out and len(out.err.splitlines()) == 1


# --- 2. hostile patterns in a scenario file ------------------------------------------------------

# A pattern that can hang is refused at load time, and a match that runs too long is cut off: both
# depend on real time and are checked in tests/integration/test_time_bounds.py.


# --- 3. unbounded inputs -------------------------------------------------------------------------


def test_span_at_is_a_binary_search():
    from simulator.rubric.text import Span, span_at

    spans = [Span(i * 10, i * 10 + 8, "x") for i in range(200_000)]

    class Counting(list):
        reads = 0

        def __getitem__(self, i):
            Counting.reads += 1
            return super().__getitem__(i)

    counted = Counting(spans)
    assert span_at(counted, 1_500_003) is spans[150_000]
    assert span_at(counted, 1_500_009) is None  # in the gap between two clauses
    assert span_at(counted, 10**9) is spans[-1]
    assert span_at([], 5) is None
    assert Counting.reads < 200


@pytest.mark.parametrize("argv", [
    ["score", "--text", "/dev/zero", "--rubric", "star"],
    ["score", "--text", "ANSWER", "--rubric", "star", "--job-description", "/dev/zero"],
    ["score", "--text", "ANSWER", "--company", "/dev/zero"],
])
def test_endless_files_are_refused_with_one_line(tmp_path, capsys, argv):
    answer = tmp_path / "a.txt"
    answer.write_text("I called the customer back and fixed the order.")
    argv = [str(answer) if a == "ANSWER" else a for a in argv]
    assert main(argv) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "limit" in err[0] and "/dev/zero" in err[0]


def test_binary_standard_input_is_refused(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50)))
    assert main(["score", "--text", "-", "--rubric", "star"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not text" in err[0]


@pytest.mark.parametrize("argv", [
    ["score", "a.wav", "--beam-size", "100000"],
    ["score", "a.wav", "--beam-size", "0"],
    ["score", "a.wav", "--beam-size", "-3"],
    ["import", "a.wav", "--question", "x", "--beam-size", "0"],
    ["practice", "--questions", "0"],
    ["practice", "--questions", "100000000"],
    ["practice", "--silence", "nan"],
    ["practice", "--silence", "-1"],
    ["practice", "--rate", "0"],
    ["drill", "--think", "inf"],
    ["drill", "--limit", "1e308"],
    ["roleplay", "--silence", "0"],
    ["--silence", "1e9"],
])
def test_numbers_are_validated_up_front(capsys, argv):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "error: argument" in err[0], err


def _bank_errors(tmp_path, name: str, text: str) -> list:
    from simulator.rubric import load_bank

    (tmp_path / name).write_text(text)
    return [e for e in load_bank([tmp_path], include_default=False).errors if e.path.name == name]


def test_a_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["kind: questions", "role: retail", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    lines += ["questions: *a9"]
    (err,) = _bank_errors(tmp_path, "lol.yaml", "\n".join(lines) + "\n")
    assert "aliases" in err.message


def lexicon_bomb() -> str:
    """A red-flag file whose nested lexicons would expand one cue to 10^8 alternatives."""
    lex = ["  l0: 'aaaaaaaaaa|bbbbbbbbbb'"] + [f"  l{i}: '" + "".join([f"{{l{i - 1}}}"] * 10) + "'" for i in range(1, 9)]
    text = "kind: red_flags\nlexicons:\n" + "\n".join(lex) + """
red_flags:
  - id: boom
    label: Boom
    cues: ["{l8}"]
    advice: No.
"""
    return text


def test_a_lexicon_bomb_is_refused(tmp_path):
    text = lexicon_bomb()
    errors = _bank_errors(tmp_path, "flags.yaml", text)  # how long it takes: tests/integration/test_time_bounds.py
    assert any("expands to more than" in e.message for e in errors), errors


# --- 8. smaller ones -----------------------------------------------------------------------------


def _typed_session() -> str:
    from simulator.answer.build import typed_report

    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice")
        store.add_answer(s.id, question(), typed_report("I rang the customer back the same day.", None), None)
        store.finish_session(s.id)
    return s.id


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_typed_answers_show_their_text_in_reports(private_data_dir, capsys, fmt):
    sid = _typed_session()
    assert main(["export", sid, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "no speech detected" not in out and "Audio missing" not in out
    assert "I rang the customer back the same day." in out and "typed" in out.lower()


def test_json_export_does_not_carry_the_import_path(private_data_dir, tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: FakeTranscriber())
    folder = tmp_path / "home" / "alice-smith" / "voice memos"
    folder.mkdir(parents=True)
    sf.write(folder / "memo.wav", answer_audio(), 16000)
    assert main(["import", str(folder / "memo.wav"), "--question", question().id]) == 0
    sid = capsys.readouterr().out.split("Imported as session ")[1].split()[0]
    assert main(["export", sid, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "alice-smith" not in out and str(tmp_path) not in out
    assert json.loads(out)["answers"][0]["source"] == "memo.wav"


def test_a_read_only_data_directory_stays_read_only(tmp_path, monkeypatch):
    import stat

    from simulator.paths import data_dir

    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    ro.chmod(0o500)
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(ro))
    data_dir()
    assert stat.S_IMODE(ro.stat().st_mode) == 0o500
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    data_dir(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700  # still made private


QUESTION_FILE = """kind: questions
role: retail
questions:
  - id: same-id
    text: Tell me about a time you helped a customer.
    category: behavioural
    rubric: {rubric}
    target_s: [60, 120]
    tips: [Say what you did]
    follow_ups: ["What happened next?"]
"""


def test_duplicate_question_ids_across_files_fail_validation(tmp_path, capsys):
    q = QUESTION_FILE.format(rubric="star")
    (tmp_path / "a.yaml").write_text(q)
    (tmp_path / "b.yaml").write_text(q)
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out = capsys.readouterr().out
    assert "duplicate question id 'same-id'" in out and "a.yaml" in out


def test_a_valid_question_is_not_lost_with_a_broken_duplicate(tmp_path, capsys):
    """Stop 42's bad-input run: good.yaml was refused as a duplicate of badrubric.yaml's question,
    which itself was dropped for its unknown rubric, so neither could be used."""
    from simulator.rubric import load_bank

    (tmp_path / "a-broken.yaml").write_text(QUESTION_FILE.format(rubric="no-such-rubric"))
    (tmp_path / "b-good.yaml").write_text(QUESTION_FILE.format(rubric="star"))
    assert main(["scenarios", "validate", str(tmp_path)]) != 0  # both mistakes are still reported
    out = capsys.readouterr().out
    assert "unknown rubric" in out and "duplicate question id" in out
    assert load_bank(extra_dirs=[tmp_path]).get_question("same-id").rubric == "star"


def test_duplicate_yaml_keys_fail_validation(tmp_path):
    errors = _bank_errors(tmp_path, "dup.yaml", "kind: questions\nrole: retail\nrole: hospitality\nquestions: []\n")
    (err,) = errors
    assert "'role' appears twice" in err.message and err.line == 3


def test_control_characters_in_file_names_do_not_reach_the_terminal(tmp_path, capsys):
    name = tmp_path / "evil\x1b]0;pwned\x07\x1b[2J.wav"
    assert main(["score", str(name)]) != 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err
    assert len(err.strip().splitlines()) == 1


def test_killed_import_leaves_no_empty_session(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session(mode="import", settings={"imported_from": "memo.wav"})
        store._conn.execute("UPDATE sessions SET pid = 999999999 WHERE id = ?", (s.id,))
        keep = store.start_session(mode="practice")
        store._conn.execute("UPDATE sessions SET pid = 999999999 WHERE id = ?", (keep.id,))
        store.add_answer(keep.id, question(), *scored_answer())
        store.recover()
        assert [x.id for x in store.list_sessions()] == [keep.id]


class _FullDisk:
    """A connection whose writes fail as SQLite's do on a full disk, until ``space`` is freed."""

    def __init__(self, conn, store):
        self._conn, self._store = conn, store

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        import sqlite3

        if sql.startswith(("DELETE", "UPDATE", "INSERT")) and self._store.audio_dir(self._store._sid).parent.exists() \
                and any(self._store.audio_dir(self._store._sid).parent.glob("*/*.flac")):
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)


def test_full_disk_says_so_and_deleting_still_works(private_data_dir, monkeypatch):
    import shutil
    from collections import namedtuple

    from simulator.errors import StoreError

    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(10**9, 10**9, 0))
    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
        store._sid = s.id
        real = store._conn
        store._conn = _FullDisk(real, store)
        with pytest.raises(StoreError, match="disk is full"):
            store.start_session()
        # Deleting frees the recordings first when the disk is full, then the rows go.
        store.delete_session(s.id)
        store._conn = real
        assert store.list_sessions() == []


def test_full_disk_delete_all_still_works(private_data_dir, monkeypatch):
    import shutil
    from collections import namedtuple

    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(10**9, 10**9, 0))
    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
        store._sid = s.id
        real = store._conn
        store._conn = _FullDisk(real, store)
        assert store.delete_all() == 1
        store._conn = real
        assert store.list_sessions() == []


def test_control_characters_in_scenario_file_names_do_not_reach_the_terminal(tmp_path, capsys):
    (tmp_path / "evil\x1b[2J.yaml").write_text("kind: nonsense\n")
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\\x1b" in out.out


def test_control_characters_in_an_audio_name_do_not_reach_the_terminal():
    from dataclasses import replace

    from simulator.report.text_report import render_text

    report, _ = scored_answer()
    text = render_text(replace(report, source="evil\x1b]0;owned\x07.wav"))
    assert "\x1b" not in text and "\x07" not in text and "evil\\x1b" in text


@pytest.mark.parametrize("value, why", [
    ("9" * 5000, "a number with thousands of digits"),
    ("2001-02-30", "day is out of range"),
    ('!!float "abc"', "could not convert"),
])
def test_a_yaml_value_that_parses_but_cannot_be_built_is_one_line(tmp_path, capsys, value, why):
    # PyYAML parses these, then raises ValueError building them: it was a 50-line traceback.
    company = tmp_path / "company.yaml"
    company.write_text(f"name: Acme\nmission: {value}\n", encoding="utf-8")
    answer = tmp_path / "answer.txt"
    answer.write_text("When a customer was upset I listened and sent a replacement the same day.\n")
    assert main(["score", "--text", str(answer), "--question", "proud-of-service", "--company", str(company)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a value cannot be read" in err[0] and why in err[0], err


def test_a_settings_number_of_thousands_of_digits_is_one_line(tmp_path, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text("beam_size = " + "9" * 5000 + "\n", encoding="utf-8")
    assert main(["--config", str(settings), "config"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a number with thousands of digits" in err[0], err


def test_a_typed_answer_longer_than_any_spoken_one_is_refused_at_once(tmp_path, capsys):
    # 2 MB used to be allowed: minutes of scoring and up to 1 GB for one command.
    answer = tmp_path / "answer.txt"
    answer.write_text("I listened to the customer and fixed the order. " * 1100, encoding="utf-8")  # 53 KB
    assert main(["score", "--text", str(answer), "--question", "proud-of-service"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "larger than the 50 KB limit" in err[0], err


# --- stop 42's bad-input run ---------------------------------------------------------------------


class _FullOutput:
    """Standard output on a full disk (as `> /dev/full`): every write fails."""

    encoding = "utf-8"

    def write(self, text):
        raise OSError(28, "No space left on device")

    def flush(self):
        pass

    def isatty(self):
        return False


@pytest.mark.parametrize("argv", [["scenarios", "list"], ["history"], ["config"]])
def test_output_that_cannot_be_written_is_one_line(private_data_dir, monkeypatch, capsys, argv):
    monkeypatch.setattr("sys.stdout", _FullOutput())
    assert main(argv) == 1
    assert capsys.readouterr().err.strip() == "interview-sim: cannot write the output: No space left on device"


def test_closed_standard_output_is_refused(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout", None)
    assert main(["scenarios", "list"]) == 2
    assert "standard output is closed" in capsys.readouterr().err


class _NotATerminal:
    def isatty(self):
        return False


@pytest.mark.parametrize("argv", [["practice", "--questions", "1"], ["drill"], ["replay"], []])
def test_the_app_without_a_terminal_says_so_at_once(private_data_dir, monkeypatch, capsys, argv):
    """With its input from /dev/null the app hung. (Standard input and error are made non-terminals
    here, so that `pytest -s` in a terminal tests the same.)"""
    monkeypatch.setattr("sys.stdin", _NotATerminal())
    assert main(argv) == 2
    assert "needs an interactive terminal" in capsys.readouterr().err
    with SessionStore.open() as store:
        assert store.list_sessions() == []  # no empty session left behind


@pytest.mark.parametrize("command", [["scenarios", "validate"], ["roleplay", "--validate"]])
def test_validating_a_path_with_nothing_to_check_is_not_a_pass(tmp_path, capsys, command):
    (tmp_path / "empty").mkdir()
    assert main([*command, str(tmp_path / "empty")]) == 1
    assert "no scenario files in it" in capsys.readouterr().err
    assert main([*command, "/dev/null"]) == 1
    assert "not a file or folder" in capsys.readouterr().out


def test_a_disk_too_full_to_open_the_store_still_lists_and_deletes(private_data_dir, monkeypatch, capsys):
    """Stop 42's bad-input run: on a 100% full disk SQLite cannot make its -shm, and every session
    command failed with "disk I/O error", the one the app recommends (delete old sessions) too."""
    import shutil
    import sqlite3
    from collections import namedtuple

    from simulator.store.connection import StoreConnection

    with SessionStore.open() as store:
        keep = store.start_session()
        store.add_answer(keep.id, question(), *scored_answer())
        gone = store.start_session()
        store.add_answer(gone.id, question(), *scored_answer())
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(10**9, 10**9, 0))
    real_connect = StoreConnection._connect.__func__
    full = {"yes": True}

    def connect(cls, db):
        if full["yes"]:
            raise sqlite3.OperationalError("disk I/O error")
        return real_connect(cls, db)

    monkeypatch.setattr(StoreConnection, "_connect", classmethod(connect))
    assert main(["sessions", "list"]) == 0
    assert keep.id in capsys.readouterr().out
    assert main(["history"]) == 0
    folder = private_data_dir / "audio" / gone.id
    assert main(["sessions", "delete", gone.id, "--yes"]) == 1  # still no room once its recordings went
    assert "still full" in capsys.readouterr().err and not folder.exists()

    with SessionStore.open() as store:  # read-only: the delete frees the recordings, then writes
        full["yes"] = False
        store.delete_session(gone.id)
    with SessionStore.open() as store:
        assert [s.id for s in store.list_sessions()] == [keep.id]


def test_converting_the_model_on_a_full_disk_is_one_line(tmp_path, monkeypatch):
    from simulator.errors import ModelError
    from simulator.speech import convert

    class Torch:
        @staticmethod
        def save(obj, f):
            try:
                raise OSError(28, "No space left on device")
            except OSError:
                raise RuntimeError("[enforce fail at inline_container.cc:672] unexpected pos 123")

    monkeypatch.setattr(convert, "import_torch", lambda: Torch)
    with pytest.raises(ModelError, match="No space left on device"):
        convert.save_atomically({}, tmp_path / "m.pt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv, said", [
    (["score", "x.wav", "--question", ""], "cannot be empty"),
    (["export", "x" * 300], "no id is over 200"),
    (["score", "x.wav", "--prompt", "refund " * 500], "Whisper reads at most"),
    (["export", "some-session", "-o", ""], "-o needs a file name"),
])
def test_empty_and_absurd_ids_and_prompts_are_refused(private_data_dir, capsys, argv, said):
    try:
        code = main(argv)
    except SystemExit as e:  # argparse's own refusal
        code = e.code
    assert code == 2
    assert said in capsys.readouterr().err


def test_an_answer_whose_scores_are_damaged_is_shown_unscored_and_rescore_repairs_it(private_data_dir, monkeypatch,
                                                                                    capsys):
    """Stop 42's bad-input run: with its delivery JSON damaged, the answer vanished from history and
    export, and `rescore` said the session had no answers, though its recording was whole."""
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)
        store._conn.execute("UPDATE answers SET delivery = '{bad json' WHERE session_id = ?", (s.id,))
    with SessionStore.open() as store:
        [shown] = store.answers(s.id)
        assert not shown.scored and shown.audio_path is not None and shown.question.id == question().id
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: FakeTranscriber())
    assert main(["rescore", s.id]) == 0
    assert "shown unscored" in capsys.readouterr().err
    with SessionStore.open() as store:
        [repaired] = store.answers(s.id)
        assert repaired.scored


def test_a_rescore_that_changes_nothing_stores_nothing(private_data_dir, monkeypatch, capsys):
    """Stop 42's bad-input run: every rescore added a row, \"transcript unchanged, scores unchanged\"
    or not, so the store grew with each one."""
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: FakeTranscriber())
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), scored_answer()[0], scored_answer()[1])
        store.finish_session(s.id)
    assert main(["rescore", s.id]) == 0
    with SessionStore.open() as store:
        rows = len(store.answers(s.id, include_superseded=True))
    for _ in range(2):
        assert main(["rescore", s.id]) == 0
        assert "not stored again" in capsys.readouterr().out
    with SessionStore.open() as store:
        assert len(store.answers(s.id, include_superseded=True)) == rows


def test_importing_a_file_with_no_speech_stores_nothing(private_data_dir, tmp_path, monkeypatch, capsys):
    sf.write(tmp_path / "silence.wav", np.zeros(16000 * 5, np.float32), 16000)
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: FakeTranscriber(text=""))
    assert main(["import", str(tmp_path / "silence.wav"), "--question", question().id]) == 1
    assert "no speech heard" in capsys.readouterr().err
    with SessionStore.open() as store:
        assert store.list_sessions() == []


def test_follow_ups_and_question_counts_have_sensible_bounds(private_data_dir, capsys):
    assert main(["practice", "--plan", "--follow-ups", "999999"]) == 2
    assert "at most 5 follow-ups" in capsys.readouterr().err
    assert main(["practice", "--plan", "--questions", "500", "--seed", "1"]) == 0
    captured = capsys.readouterr()
    asked = len(captured.out.strip().splitlines())
    assert asked < 500 and f"the bank has {asked}" in captured.err


def test_a_failed_flush_of_the_output_is_one_line(private_data_dir, monkeypatch, capsys):
    """A review of stop 42's change: output to a file on a full disk fails at a flush, not a write."""

    class FullOnFlush(_FullOutput):
        def write(self, text):
            return len(text)

        def flush(self):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("sys.stdout", FullOnFlush())
    assert main(["scenarios", "list"]) == 1
    assert capsys.readouterr().err.strip() == "interview-sim: cannot write the output: No space left on device"


def test_the_first_reading_of_punctuation_alone_is_left_as_it_is():
    from simulator.speech.dropped_ending import hear_dropped_ending
    from tests.unit.test_dropped_ending import AUDIO, Rereader, of_words

    first = of_words(("...", 0.25, 0.6))
    assert hear_dropped_ending(Rereader([("...", 0.25, 0.6), ("desk.", 1.85, 2.2)]), AUDIO, first, None) is first
