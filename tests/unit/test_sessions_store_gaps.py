"""Store and session-command gaps found in an audit of issue 5: unusable data directories and failed
writes as one-line errors, deleted data overwritten, `delete --all` leaving no backup behind, rescore
naming the rubric changes and noting itself, and reports in local time with the engine really used.
(A data directory that is a file is run through a child process in tests/integration/test_cli_errors.py.)"""

from __future__ import annotations

import os
import time

import pytest

from simulator.cli import main
from simulator.errors import StoreError
from simulator.report.html import render_html
from simulator.report.markdown import local_time, render_markdown
from simulator.store import SessionStore
from tests.unit.test_store_fakes import FakeTranscriber, question, scored_answer


def test_a_failed_write_is_a_store_error(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session()
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on
        with pytest.raises(StoreError, match="cannot write to the session store .*full"):
            store.start_session(settings={"pad": "x" * 200_000})
        with pytest.raises(StoreError, match="full"):
            store.update_session_settings(s.id, pad="y" * 200_000)
        assert not store._conn.in_transaction
        assert store.get_session(s.id).settings == {}  # nothing half-written
        assert len(store.list_sessions()) == 1
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        assert store.finish_session(s.id).status == "complete"  # the connection still works


def test_deleted_rows_are_overwritten(private_data_dir):
    with SessionStore.open() as store:
        assert store._conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_delete_all_removes_backups_of_a_damaged_store(private_data_dir, capsys):
    (private_data_dir / "sessions.db").write_bytes(b"\x00garbage" * 1000)
    assert main(["sessions", "list"]) == 1  # set aside as sessions.db.corrupt-<time>
    capsys.readouterr()
    with SessionStore.open() as store:
        assert len(store.corrupt_backups()) == 1
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
    assert main(["sessions", "delete", "--all", "--yes"]) == 0
    assert "1 backup(s) of a damaged store" in capsys.readouterr().out
    assert not list(private_data_dir.glob("sessions.db.corrupt-*"))


def test_rescore_names_rubric_changes_and_is_noted_in_reports(private_data_dir, monkeypatch, capsys):
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice", engine="fake", model="fake-1")
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)
    # Today's engine hears only the situation: the result and insight are no longer there.
    fake = FakeTranscriber("In my last job at a busy hotel a guest arrived late and was upset.", "fake-2")
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    assert main(["rescore", s.id]) == 0
    out = capsys.readouterr().out
    assert "no longer met:" in out and "Result" in out
    with SessionStore.open() as store:
        session = store.get_session(s.id)
        (entry,) = session.settings["rescores"]
        assert (entry["engine"], entry["model"], entry["answers"]) == ("fake", "fake-2", 1)
        assert entry["rubric_version"].startswith("interview-sim ")
        assert (session.engine, session.model) == ("fake", "fake-1")  # as first recorded
        answers = store.answers(s.id)
    md = render_markdown(session, answers)
    assert "- Engine: fake fake-2" in md and "first recorded with fake fake-1" in md
    html = render_html(session, answers)
    assert "<td>fake fake-2</td>" in html and "first recorded with fake fake-1" in html
    assert main(["rescore", s.id]) == 0  # the same engine again: nothing changes, nothing is noted
    assert "not stored again" in capsys.readouterr().out
    with SessionStore.open() as store:
        assert len(store.get_session(s.id).settings["rescores"]) == 1


def test_a_rescore_stopped_half_way_says_how_far_it_got(private_data_dir, monkeypatch, capsys):
    """Stop 44's explorer: a rescore killed half-way left its answers rescored and no mark of it (the
    session's note was written only at the end)."""
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice", engine="fake", model="fake-1")
        store.add_answer(s.id, question(), *scored_answer())
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)

    import simulator.cli.rescore as rescore

    analysed = []
    analyse = rescore._analyse

    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if analysed:  # the second answer: Ctrl-C
            raise KeyboardInterrupt
        analysed.append(1)
        return analyse(*args, **kwargs)

    fake = FakeTranscriber("In my last job at a busy hotel a guest arrived late and was upset.", "fake-2")
    monkeypatch.setattr(rescore, "_transcriber", lambda args: fake)
    monkeypatch.setattr(rescore, "_analyse", interrupted)
    assert main(["rescore", s.id]) == 130
    with SessionStore.open() as store:
        session = store.get_session(s.id)
        (entry,) = session.settings["rescores"]
        assert (entry["answers"], entry["finished"]) == (1, False)
        answers = store.answers(s.id)
    assert "stopped after 1 answer(s)" in render_markdown(session, answers)
    assert "stopped after 1 answer(s)" in render_html(session, answers)


def test_a_rescore_can_be_undone_and_the_undo_undone(private_data_dir, monkeypatch, capsys):
    """Stop 44's explorer: a rescore made a transcript worse ("...Thank you." never said) and the
    earlier one could not be had back. `rescore --undo` restores the scoring before the last rescore,
    keeping the one undone, so running it again goes forward."""
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice", engine="fake", model="fake-1")
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)
        first = store.answers(s.id)[0].transcript.text
    fake = FakeTranscriber("In my last job at a busy hotel a guest arrived late. Thank you.", "fake-2")
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    assert main(["rescore", s.id]) == 0
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: pytest.fail("transcribed on undo"))
    capsys.readouterr()
    assert main(["rescore", s.id, "--undo"]) == 0
    assert "Undoing the last rescore" in capsys.readouterr().out
    with SessionStore.open() as store:
        [answer] = store.answers(s.id)
        assert answer.transcript.text == first
        assert len(store.answers(s.id, include_superseded=True)) == 3  # nothing deleted
        session = store.get_session(s.id)
        assert "the last one undone" in render_markdown(session, store.answers(s.id))
    assert main(["rescore", s.id, "--undo"]) == 0  # and forward again
    with SessionStore.open() as store:
        assert store.answers(s.id)[0].transcript.text.endswith("Thank you.")


def test_dates_are_shown_in_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert local_time("2025-03-01T23:30:00.000+00:00") == "2025-03-01 18:30"
        assert local_time("2025-07-01T12:00:00+00:00") == "2025-07-01 08:00"
        assert local_time("not a time") == "not a time"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_export_never_overwrites_the_store(private_data_dir, tmp_path, capsys):
    with SessionStore.open() as store:
        s = store.start_session()
        a = store.add_answer(s.id, question(), *scored_answer())
    rescued = private_data_dir / "lost+found" / "rescued-1.flac"  # what recovery saved
    rescued.parent.mkdir()
    rescued.write_bytes(b"a recording")
    for target in (private_data_dir / "sessions.db", private_data_dir / "sessions.db-wal", a.audio_path,
                   a.audio_path.parent / "report.html", rescued, private_data_dir / "report.html"):
        assert main(["export", s.id, "-o", str(target)]) == 2
        assert "in the data directory" in capsys.readouterr().err
    assert rescued.read_bytes() == b"a recording"
    with SessionStore.open() as store:
        assert store.answers(s.id)[0].transcript == a.transcript and not store.answers(s.id)[0].audio_missing
    # A copy of a recording outside the data directory is the user's: a report is not written over it.
    kept = tmp_path / "my-answer.flac"
    kept.write_bytes(a.audio_path.read_bytes())
    assert main(["export", s.id, "-o", str(kept)]) == 2
    assert "already exists and is not a report" in capsys.readouterr().err
    assert kept.read_bytes() == a.audio_path.read_bytes()
    kept.unlink()
    # A hard link to a recording under a report's name is not a report either.
    linked = tmp_path / "linked.json"
    os.link(a.audio_path, linked)
    assert main(["export", s.id, "--format", "json", "-o", str(linked)]) == 2
    linked.unlink()
    # A report re-exported over one that is hard-linked elsewhere: the report replaces its own name
    # (renamed over, never written into), and the other link keeps the earlier bytes.
    report = tmp_path / "report.json"
    assert main(["export", s.id, "--format", "json", "-o", str(report)]) == 0
    elsewhere = tmp_path / "copy.json"
    os.link(report, elsewhere)
    elsewhere_before = elsewhere.read_bytes()
    assert main(["export", s.id, "--format", "json", "-o", str(report)]) == 0
    assert elsewhere.read_bytes() == elsewhere_before and not os.path.samefile(report, elsewhere)
    assert s.id in report.read_text(encoding="utf-8")
    assert (report.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.json", "report.json"]  # no temporary file left


@pytest.mark.parametrize("fmt, name", [("html", "report.html"), ("md", "report.md"), ("json", "report.json"),
                                       ("md", "report.txt")])
def test_export_replaces_its_own_report_and_an_empty_file_but_not_the_users_own(private_data_dir, tmp_path,
                                                                                capsys, fmt, name):
    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
    out = tmp_path / name
    out.write_text("# My interview notes\n\n- ask about the rota\n", encoding="utf-8")
    assert main(["export", s.id, "--format", fmt, "-o", str(out)]) == 2
    assert "already exists and is not a report this command wrote" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("# My interview notes")
    out.write_bytes(b"")  # an empty file holds nothing to lose
    assert main(["export", s.id, "--format", fmt, "-o", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert s.id in first
    assert main(["export", s.id, "--format", fmt, "-o", str(out)]) == 0  # a re-export replaces its own report
    assert out.read_text(encoding="utf-8") == first
    out.write_bytes(b"\xef\xbb\xbf" + first.replace("\n", "\r\n").encode("utf-8"))  # saved again by an editor
    assert main(["export", s.id, "--format", fmt, "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first


def test_delete_all_keeps_recordings_no_session_lists_and_says_so(private_data_dir, capsys):
    # The store was emptied (a crash, a damaged file): its session's recording is still on disk,
    # and `sessions recover` can rebuild it. Deleting "all sessions" (there are none) used to throw
    # the recording away and report "Deleted 0 sessions".
    with SessionStore.open() as store:
        lost = store.start_session()
        store.add_answer(lost.id, question(), *scored_answer())
        listed = store.start_session()
        store.add_answer(listed.id, question(), *scored_answer())
        store._conn.execute("DELETE FROM answers WHERE session_id = ?", (lost.id,))
        store._conn.execute("DELETE FROM sessions WHERE id = ?", (lost.id,))
        store._conn.commit()
    mine = private_data_dir / "audio" / "my-memos"
    mine.mkdir()
    (mine / "memo.flac").write_bytes(b"not ours to delete")
    assert main(["sessions", "list"]) == 0
    assert "2 recording folders" in capsys.readouterr().err  # the list says they are there
    assert main(["sessions", "delete", "--all", "--yes"]) == 0
    captured = capsys.readouterr()
    assert "Deleted 1 session" in captured.out
    assert "2 recording folders" in captured.err and "were kept" in captured.err and "sessions recover" in captured.err
    assert any((private_data_dir / "audio" / lost.id).iterdir())
    assert (mine / "memo.flac").read_bytes() == b"not ours to delete"
    assert not (private_data_dir / "audio" / listed.id).exists()
    assert main(["sessions", "recover"]) == 0
    assert f"Rebuilt lost session {lost.id}" in capsys.readouterr().out


def test_deleting_one_session_from_a_script_needs_yes(private_data_dir, capsys):
    # Not run from a terminal (stdin is not a tty under pytest), nothing can be asked: no --yes, no deletion.
    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
    assert main(["sessions", "delete", s.id[:15]]) == 2
    assert "needs --yes" in capsys.readouterr().err
    with SessionStore.open() as store:
        assert [x.id for x in store.list_sessions()] == [s.id]
    assert main(["sessions", "delete", s.id[:15], "--yes"]) == 0


def test_rescoring_a_typed_session_says_it_was_typed(private_data_dir, capsys):
    with SessionStore.open() as store:
        s = store.start_session()
        report, _ = scored_answer()
        store.add_answer(s.id, question(), report, None)  # typed: no audio, ever
    assert main(["rescore", s.id]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was typed, not recorded" in err[0], err


def test_rescoring_a_session_with_one_typed_answer_calls_it_typed_not_missing(private_data_dir, monkeypatch, capsys):
    """Stop 44's explorer: a typed answer among spoken ones was listed as "audio missing; kept as it
    was", the words for a recording that was deleted: the user took a recording for lost."""
    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
        report, _ = scored_answer()
        store.add_answer(s.id, question(), report, None)  # typed
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: FakeTranscriber())
    assert main(["rescore", s.id]) == 0
    out = capsys.readouterr().out
    assert "2. typed, not recorded; kept as it was" in out and "audio missing" not in out


def test_list_and_history_say_how_an_interrupted_session_comes_back(private_data_dir, capsys):
    """A session a crash left in progress was listed "in_progress", 0 answers, with no hint that its
    recording waits to be recovered (stop 43, a helper's kill -9 of the app)."""
    with SessionStore.open() as store:
        crashed = store.start_session()
        store._conn.execute("UPDATE sessions SET pid = ? WHERE id = ?", (2**22 + 12345, crashed.id))  # gone
        store._conn.commit()
        live = store.start_session()  # this process's own: still running, not interrupted
        assert store.interrupted() == [crashed.id] and live.id not in store.interrupted()
    for command in (["sessions", "list"], ["history"]):
        assert main(command) == 0
        err = capsys.readouterr().err
        assert f"session {crashed.id} was interrupted" in err and "sessions recover" in err, err


def test_a_session_another_window_is_recording_is_not_deleted(private_data_dir, monkeypatch, capsys):
    """`sessions delete` (or `--all`) removed a session a practice window was still recording; the
    window went on showing scores and kept nothing of the answers after it (stop 44's explorer)."""
    with SessionStore.open() as store:
        done = store.start_session(role="retail")
        store.add_answer(done.id, question(), *scored_answer())
        store.finish_session(done.id)
        live = store.start_session(role="retail")
        store.add_answer(live.id, question(), *scored_answer())
        store._conn.execute("UPDATE sessions SET pid = ? WHERE id = ?", (os.getpid() + 1, live.id))
    monkeypatch.setattr("simulator.store.writes.process_alive", lambda pid: True)
    for argv in (["sessions", "delete", live.id, "--yes"], ["sessions", "delete", "--all", "--yes"]):
        assert main(argv) == 1
        [line] = capsys.readouterr().err.strip().splitlines()
        assert live.id in line and "another interview-sim window" in line and "nothing deleted" in line
    with SessionStore.open() as store:
        assert {s.id for s in store.list_sessions()} == {done.id, live.id}
        assert store.answers(live.id) and store.audio_dir(live.id).is_dir()
    monkeypatch.setattr("simulator.store.writes.process_alive", lambda pid: False)  # that window has closed
    assert main(["sessions", "delete", live.id, "--yes"]) == 0
    # The app's own session (a silent one dropped at Escape) is this process's: deleted as before.
    with SessionStore.open() as store:
        own = store.start_session(role="retail")
        monkeypatch.setattr("simulator.store.writes.process_alive", lambda pid: True)
        store.delete_session(own.id)


def test_ctrl_d_at_the_delete_question_is_a_no(private_data_dir, monkeypatch, capsys):
    """Stop 44's explorer: Ctrl+D at "Delete all 6 sessions ...? [y/N]" ended in an EOFError traceback."""
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.finish_session(s.id)

    def eof(prompt=""):  # noqa: ANN001, ANN202
        raise EOFError

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", eof)
    assert main(["sessions", "delete", "--all"]) == 2
    assert "nothing deleted" in capsys.readouterr().err
    with SessionStore.open() as store:
        assert [x.id for x in store.list_sessions()] == [s.id]
