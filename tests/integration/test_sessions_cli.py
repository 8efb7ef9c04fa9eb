"""The session commands end to end: list, history, delete, recover, import, rescore, export, bad input.

Most tests run the CLI in-process with a fake transcriber; bad-input tests run it as a subprocess to
check the user sees one line and no traceback; one test imports a real recording with tiny.en.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from simulator.cli import main
from simulator.store import SessionStore
from tests.conftest import FIXTURES
from tests.unit.test_store_fakes import FakeTranscriber, answer_audio, question, scored_answer


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, timeout=300)


def assert_one_line_error(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert result.stdout == ""


@pytest.fixture
def fake_engine(monkeypatch):
    fake = FakeTranscriber(model_name="fake-2")
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    return fake


@pytest.fixture
def session_id(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice")
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)
    return s.id


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ("export", "no-such-session"),
    ("rescore", "no-such-session"),
    ("sessions", "delete", "no-such-session", "--yes"),
])
def test_unknown_session(argv):
    assert_one_line_error(run_cli(*argv), "no session 'no-such-session'")


def test_import_missing_audio(tmp_path):
    assert_one_line_error(run_cli("import", str(tmp_path / "memo.m4a"), "--question", "proud-of-service"),
                          "no such file")


def test_import_unknown_question(tmp_path):
    sf.write(tmp_path / "a.wav", np.zeros(16000, np.float32), 16000)
    assert_one_line_error(run_cli("import", str(tmp_path / "a.wav"), "--question", "nope"), "no question with id 'nope'")


def test_delete_needs_an_id_or_all():
    assert_one_line_error(run_cli("sessions", "delete"), "give one session ID")
    assert_one_line_error(run_cli("sessions", "delete", "--all"), "--yes")


def test_corrupt_store_is_one_line(private_data_dir):
    (private_data_dir / "sessions.db").write_bytes(b"\x00garbage" * 1000)
    assert_one_line_error(run_cli("sessions", "list"), "was damaged")
    assert list(private_data_dir.glob("sessions.db.corrupt-*"))
    ok = run_cli("sessions", "list")
    assert ok.returncode == 0 and "No sessions" in ok.stdout


def test_rescore_with_all_audio_missing(session_id):
    with SessionStore.open() as store:
        store.answers(session_id)[0].audio_path.unlink()
    assert_one_line_error(run_cli("rescore", session_id), "audio missing")


def test_export_to_a_folder(session_id, tmp_path):
    assert_one_line_error(run_cli("export", session_id, "-o", str(tmp_path)), "is a folder")


# --- commands -------------------------------------------------------------------------------------


def test_list_and_history(session_id, capsys):
    assert main(["sessions", "list"]) == 0
    out = capsys.readouterr().out
    assert session_id in out and "retail" in out and "complete" in out
    assert main(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    report = scored_answer()[0]
    assert row["id"] == session_id and row["answers"] == 1 and row["mode"] == "practice"
    assert row["mean_wpm"] == pytest.approx(report.delivery.wpm, abs=0.1)
    assert row["fillers_per_min"] == pytest.approx(report.delivery.fillers.per_minute, abs=0.01)
    assert row["content_score"] == report.content.score
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "WPM" in out and f"{report.delivery.wpm:.0f}" in out


def test_delete_command(session_id, private_data_dir, capsys):
    assert (private_data_dir / "audio" / session_id).is_dir()
    assert main(["sessions", "delete", session_id[:15], "--yes"]) == 0
    assert not (private_data_dir / "audio" / session_id).exists()
    assert main(["sessions", "list", "--json"]) == 0
    capsys.readouterr()
    with SessionStore.open() as store:
        assert store.list_sessions() == []


def test_import_with_fake_engine(fake_engine, tmp_path, capsys):
    sf.write(tmp_path / "memo.wav", answer_audio(), 16000)
    assert main(["import", str(tmp_path / "memo.wav"), "--question", "proud-of-service"]) == 0
    out = capsys.readouterr().out
    session_id = out.split("Imported as session ")[1].split()[0]
    assert "wpm" in out and "content" in out
    with SessionStore.open() as store:
        s = store.get_session(session_id)
        assert (s.mode, s.status, s.engine, s.model) == ("import", "complete", "fake", "fake-2")
        (a,) = store.answers(session_id)
        assert a.question.id == "proud-of-service" and a.content is not None
        assert a.delivery.target_length_s == (90.0, 150.0)
        assert len(store.load_audio(a)) == len(answer_audio())


def test_rescore_keeps_originals_and_reports_changes(session_id, monkeypatch, capsys):
    fake = FakeTranscriber("So in my last job a guest arrived late and I called three hotels.", "fake-2")
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    assert main(["rescore", session_id]) == 0
    out = capsys.readouterr().out
    assert "fake-2" in out and "WPM" in out and "content" in out and "transcript:" in out
    with SessionStore.open() as store:
        (old, new) = store.answer_history(session_id, 1)
        assert old.superseded_by == new.id and old.transcript.model == "fake-1"
        assert new.transcript.model == "fake-2" and new.audio_path == old.audio_path
        assert [a.id for a in store.answers(session_id)] == [new.id]


def test_recover_then_rescore_scores_the_recovered_audio(private_data_dir, fake_engine, capsys):
    with SessionStore.open() as store:
        s = store.start_session()
        w = store.open_answer_audio(s.id, 1, question())
        w.write(answer_audio())
        w.close()
        store._conn.execute("UPDATE sessions SET pid = 999999999")  # as if its process had died
    assert main(["sessions", "recover"]) == 0
    assert "interrupted recording" in capsys.readouterr().out
    assert main(["rescore", s.id]) == 0
    assert "transcribed for the first time" in capsys.readouterr().out
    with SessionStore.open() as store:
        (a,) = store.answers(s.id)
        assert a.scored and a.content is not None and store.get_session(s.id).status == "recovered"


@pytest.mark.parametrize("fmt,needle", [("html", "<svg"), ("md", "### Transcript"), ("json", '"schema"')])
def test_export_formats(session_id, tmp_path, capsys, fmt, needle):
    out = tmp_path / f"report.{fmt}"
    assert main(["export", session_id, "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text()
    assert needle in text and "partner hotels" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["export", session_id, "--format", fmt]) == 0
    assert capsys.readouterr().out.endswith(text)


@pytest.mark.integration
def test_import_a_real_recording_with_tiny_en(private_data_dir):
    result = run_cli("import", str(FIXTURES / "star_clean.flac"), "--question", "proud-of-service",
                     "--no-filler-recovery")
    assert result.returncode == 0, result.stderr
    session_id = result.stdout.split("Imported as session ")[1].split()[0]
    with SessionStore.open() as store:
        (a,) = store.answers(session_id)
        assert "hotel" in a.transcript.text.lower()
        assert 120 < a.delivery.wpm < 200
        assert a.content.assessable and a.content.score > 0
        assert store.get_session(session_id).model
