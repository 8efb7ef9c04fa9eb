"""A data folder that takes no new file (a read-only mount, or a disk the system remounted read-only
after errors): practice refuses to start with one line, since nothing said could be kept; the stored
sessions can still be listed and exported; nothing is set aside or deleted. A data folder that cannot
be made at all (a file in its path) is one line too.

The tests stand in for the read-only disk by making new files fail with EROFS (they run as root on
CI, where a folder's permissions do not stop writes)."""

from __future__ import annotations

import errno
import tempfile

import pytest

from simulator.cli import main
from simulator.store import SessionStore
from tests.unit.test_store_fakes import question, scored_answer


@pytest.fixture
def read_only_disk(monkeypatch):
    """Every new file in the data folder fails as on a read-only file system."""

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)


def _one_line(err: str) -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _a_stored_session() -> str:
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice", settings={})
        store.add_answer(s.id, question(), report, samples[:16000])
        store.finish_session(s.id)
    return s.id


def test_practice_on_a_read_only_data_folder_is_one_line_before_the_screen(read_only_disk, private_data_dir, capsys):
    assert main(["practice", "--questions", "1"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "cannot save to the data folder" in line and "Read-only file system" in line
    assert str(private_data_dir) in line and "--data-dir" in line


def test_stored_sessions_are_listed_and_exported_from_a_read_only_data_folder(private_data_dir, monkeypatch,
                                                                              tmp_path, capsys):
    sid = _a_stored_session()
    files = lambda: sorted(p.name for p in private_data_dir.rglob("*") if not p.name.endswith(("-wal", "-shm")))  # noqa: E731
    before = files()
    monkeypatch.setattr("simulator.store.connection.new_file_refused", lambda folder: OSError(30, "Read-only"))
    assert main(["sessions", "list"]) == 0
    assert sid in capsys.readouterr().out
    out = tmp_path / "out.html"
    assert main(["export", sid, "-o", str(out)]) == 0
    assert out.stat().st_size > 0
    capsys.readouterr()
    assert main(["sessions", "delete", sid, "--yes"]) == 1  # a write: one line, nothing lost
    assert "cannot write to the session store" in _one_line(capsys.readouterr().err)
    assert files() == before


def test_rescore_on_a_read_only_data_folder_refuses_before_transcribing(private_data_dir, monkeypatch, capsys):
    """Stop 44's explorer: rescore transcribed every answer first and failed only at the write."""
    sid = _a_stored_session()
    monkeypatch.setattr("simulator.store.connection.new_file_refused", lambda folder: OSError(30, "Read-only"))
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: pytest.fail("transcribed anyway"))
    assert main(["rescore", sid]) == 1
    line = _one_line(capsys.readouterr().err)
    assert f"cannot rescore session {sid}" in line and "read-only" in line


def test_a_data_folder_under_a_file_is_one_line(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert main(["--data-dir", str(a_file / "sub"), "practice", "--questions", "1"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "cannot use" in line and str(a_file / "sub") in line


def test_doctor_names_a_data_folder_that_cannot_keep_answers(read_only_disk, monkeypatch, capsys):
    from simulator.cli import devices

    monkeypatch.setattr(devices, "doctor_checks", lambda: [devices._check_data_folder()])
    assert main(["doctor"]) == 1
    assert "[FAIL] data folder: cannot save to the data folder" in capsys.readouterr().out


def test_practice_refuses_a_session_store_it_cannot_write(private_data_dir, monkeypatch, capsys):
    # A read-only sessions.db in a writable folder (a restored backup, a file made read-only): the
    # app used to open, say "Could not save" in a passing pop-up, and keep no report of any answer.
    _a_stored_session()
    monkeypatch.setattr("simulator.store.connection.os.access", lambda path, mode: False)
    assert main(["practice", "--questions", "1"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "cannot save to the session store" in line and "read-only" in line


def test_a_typed_role_play_that_could_not_be_saved_exits_non_zero(monkeypatch, capsys):
    from simulator.errors import StoreError

    def cannot(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise StoreError("cannot open the session store: attempt to write a readonly database")

    monkeypatch.setattr("simulator.cli.roleplay.SessionStore.open", cannot)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("I am so sorry, can you tell me the order number?\n"))
    assert main(["roleplay", "--scenario", "refund-outside-policy", "--text"]) == 1
    captured = capsys.readouterr()
    assert "the role-play is not being saved" in captured.err and "Traceback" not in captured.err
    assert "order number" in captured.out  # what was typed is on screen


def _crashed_copy(private_data_dir, tmp_path):  # noqa: ANN001, ANN202
    """A data folder as a crash leaves it: two sessions, the second still in the -wal file."""
    import shutil

    store = SessionStore.open()
    report, samples = scored_answer()
    first = store.start_session(role="retail", mode="practice", settings={})
    store.add_answer(first.id, question(), report, samples[:16000])
    store.finish_session(first.id)
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    second = store.start_session(role="retail", mode="practice", settings={})
    store.add_answer(second.id, question(), report, samples[:16000])
    copy = tmp_path / "crashed"
    shutil.copytree(private_data_dir, copy)  # while the store is open: its -wal holds the second session
    store.close()
    assert (copy / "sessions.db-wal").stat().st_size > 0
    return copy, first.id, second.id


def test_a_read_only_store_reads_its_wal_where_it_can(private_data_dir, tmp_path, monkeypatch):
    copy, first, second = _crashed_copy(private_data_dir, tmp_path)
    monkeypatch.setattr("simulator.store.connection.os.access", lambda path, mode: False)  # the file only
    with SessionStore.open(copy / "sessions.db") as store:
        assert store.db.read_only and not store.db.unread_changes
        assert {s.id for s in store.list_sessions()} == {first, second}
        assert store.recover() == []  # nothing closed, moved or deleted in a store that cannot be written
    assert {p.name for p in (copy / "audio").iterdir()} == {first, second}


def test_a_read_only_disk_says_a_crash_left_sessions_it_cannot_read(private_data_dir, tmp_path, monkeypatch, capsys):
    copy, first, second = _crashed_copy(private_data_dir, tmp_path)
    # A read-only disk where SQLite cannot make the -shm it needs to read the -wal (the test's folder
    # can still be written, so the opening that would read it is left out).
    monkeypatch.setattr("simulator.store.connection.new_file_refused", lambda folder: OSError(30, "Read-only"))
    monkeypatch.setattr("simulator.store.connection.READ_ONLY_OPENINGS", ("?immutable=1",))
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(copy))
    assert main(["sessions", "list"]) == 0
    out, err = capsys.readouterr()
    assert first in out and second not in out
    assert "read-only and its -wal file holds changes that cannot be read here" in err
    assert "belong to no stored session" not in err and "belongs to no stored session" not in err
    assert (copy / "audio" / second).is_dir()


def test_a_typed_role_play_whose_end_cannot_be_saved_exits_1_without_a_traceback(monkeypatch, capsys):
    from simulator.errors import StoreError
    from simulator.store import SessionStore as Store

    def cannot(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise StoreError("cannot write to the session store: disk I/O error")

    monkeypatch.setattr(Store, "finish_session", cannot)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("I am so sorry, can you tell me the order number?\n"))
    assert main(["roleplay", "--scenario", "refund-outside-policy", "--text"]) == 1
    err = capsys.readouterr().err
    assert "the role-play is not being saved" in err and "Traceback" not in err
