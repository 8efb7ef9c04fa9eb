"""A damaged store never costs a recording: a truncated, randomised or header-damaged database, or a
deleted ``-wal``, is set aside and the next recovery rebuilds every session it can from the backup
and the audio folders; what it cannot place goes to ``lost+found``. Every recording survives and can
be rescored."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.store import SessionStore, StoreCorruptError
from tests.unit.test_store_fakes import FakeTranscriber, question, scored_answer


def _fill(store: SessionStore, n: int = 5) -> dict[str, list[Path]]:
    report, samples = scored_answer()
    samples = samples[:16000]
    out = {}
    for i in range(n):
        s = store.start_session(role="retail", mode="practice", settings={"pad": "x" * 3000, "i": i})
        store.add_answer(s.id, question(), report, samples)
        store.add_answer(s.id, question(), report, samples)
        store.finish_session(s.id)
        out[s.id] = sorted(store.audio_dir(s.id).glob("*.flac"))
    return out


def _flacs(root: Path) -> set[str]:
    return {p.name for p in root.rglob("*.flac")}


def _damage(db: Path, how: str) -> None:
    raw = bytearray(db.read_bytes())
    if how == "truncated":
        db.write_bytes(bytes(raw[: len(raw) // 3]))
    elif how == "randomised":
        db.write_bytes(os.urandom(len(raw)))
    elif how == "header":
        raw[:100] = os.urandom(100)
        db.write_bytes(bytes(raw))


def _assert_all_recovered_and_rescorable(data: Path, made: dict[str, list[Path]], monkeypatch) -> None:
    with SessionStore.open() as store:
        store.recover()
        sessions = {s.id for s in store.list_sessions()}
        assert set(made) <= sessions
        for sid, files in made.items():
            assert all(f.is_file() for f in files), sid
            answers = store.answers(sid)
            assert sorted(a.audio_path for a in answers) == files
            for a in answers:
                assert len(store.load_audio(a)) == 16000
    fake = FakeTranscriber()
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    for sid in made:
        assert main(["rescore", sid]) == 0
    with SessionStore.open() as store:
        for sid in made:
            assert all(a.scored for a in store.answers(sid))
        assert store.recover() == []  # idempotent


@pytest.mark.parametrize("how", ["truncated", "randomised", "header"])
def test_damaged_database_keeps_every_recording(private_data_dir, monkeypatch, how):
    with SessionStore.open() as store:
        made = _fill(store)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _flacs(private_data_dir / "audio")
    _damage(private_data_dir / "sessions.db", how)
    try:
        SessionStore.open().close()
    except StoreCorruptError:
        pass
    # The app's start: open (a damaged file is set aside) and recover.
    from simulator.session.session_log import open_store

    store, notes = open_store(None)
    assert store is not None and notes.error == ""
    store.close()
    assert _flacs(private_data_dir / "audio") == before
    _assert_all_recovered_and_rescorable(private_data_dir, made, monkeypatch)


@pytest.mark.parametrize("how", ["randomised", "deleted"])
def test_a_session_rebuilt_from_its_folder_alone_keeps_its_questions_scores_role_and_mode(private_data_dir, how):
    """Nothing of the database left: each answer's question and scores come back from the note beside
    its recording, the session's role, mode and settings from the folder's note (stop 44's explorer:
    every answer came back "(question not recorded)", unscored, role and mode blank, and `rescore` then
    judged each by a rubric it guessed)."""
    with SessionStore.open() as store:
        made = _fill(store, 2)
        expected = {sid: [(a.position, a.question, a.rubric, a.content.score) for a in store.answers(sid)]
                    for sid in made}
        settings = {sid: store.get_session(sid).settings for sid in made}
    db = private_data_dir / "sessions.db"
    if how == "deleted":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    else:
        _damage(db, how)
        with pytest.raises(StoreCorruptError):
            SessionStore.open()
    with SessionStore.open() as store:
        store.recover()
        for sid, answers in made.items():
            s = store.get_session(sid)
            assert (s.role, s.mode, s.settings["i"]) == ("retail", "practice", settings[sid]["i"])
            got = [(a.position, a.question, a.rubric, a.content.score if a.content else None) for a in store.answers(sid)]
            assert got == expected[sid]
            assert all(a.scored for a in store.answers(sid))


def test_a_damaged_note_leaves_the_answer_as_it_was_without_notes(private_data_dir):
    with SessionStore.open() as store:
        made = _fill(store, 1)
    [(sid, flacs)] = made.items()
    flacs[0].with_suffix(".json").write_text('{"question": {"id": 3, "text": []}, "columns": "x"}')
    flacs[1].with_suffix(".json").write_bytes(b"\x00\xff" * 100)
    db = private_data_dir / "sessions.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with SessionStore.open() as store:
        store.recover()
        answers = store.answers(sid)
        assert [a.question.id for a in answers] == [None, None] and not any(a.scored for a in answers)
        assert sorted(a.audio_path for a in answers) == flacs
    main(["sessions", "delete", sid, "--yes"])
    assert not (private_data_dir / "audio" / sid).exists()  # the notes are the store's files: gone too


def test_rebuilt_session_keeps_scores_and_questions_from_the_backup(private_data_dir):
    with SessionStore.open() as store:
        made = _fill(store, 3)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = private_data_dir / "sessions.db"
    raw = bytearray(db.read_bytes())
    raw[4096 * 2:4096 * 3] = os.urandom(4096)  # one page of settings: the answers table is intact
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreCorruptError):
        SessionStore.open()
    with SessionStore.open() as store:
        store.recover()
        restored = [a for sid in made for a in store.answers(sid)]
        assert len(restored) == 6
        assert all(a.question.id == question().id for a in restored)
        assert any(a.scored for a in restored)


def test_deleted_wal_keeps_every_recording(private_data_dir, tmp_path, monkeypatch):
    with SessionStore.open() as store:
        early = _fill(store, 1)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        late = _fill(store, 2)  # only in the -wal
        # The machine died and the -wal was lost: copy the main file and the recordings alone.
        copy = tmp_path / "copy"
        copy.mkdir(mode=0o700)
        shutil.copy2(store.path, copy / "sessions.db")
        shutil.copytree(store.root / "audio", copy / "audio")
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(copy))
    made = {sid: [copy / f.relative_to(private_data_dir) for f in files] for sid, files in {**early, **late}.items()}
    _assert_all_recovered_and_rescorable(copy, made, monkeypatch)


def test_lost_answer_rows_of_a_complete_session_are_reattached(private_data_dir):
    with SessionStore.open() as store:
        made = _fill(store, 1)
        (sid, files), = made.items()
        store._conn.execute("DELETE FROM answers")
        (r,) = store.recover()
        assert r.session.id == sid and len(r.recordings_attached) == 2
        assert sorted(a.audio_path for a in store.answers(sid)) == files


def test_what_cannot_be_placed_goes_to_lost_and_found(private_data_dir, capsys):
    audio = private_data_dir / "audio"
    with SessionStore.open() as store:
        _fill(store, 1)
    (audio / "not-a-session").mkdir()
    (audio / "not-a-session" / "notes.txt").write_text("mine")
    (audio / "20250101-101010-abcdef").mkdir()
    (audio / "20250101-101010-abcdef" / "1-aaaaaa.flac").write_bytes(b"not audio")
    assert main(["sessions", "recover"]) == 0
    out = capsys.readouterr().out
    lost = private_data_dir / "lost+found"
    assert "lost+found" in out
    assert (lost / "not-a-session" / "notes.txt").read_text() == "mine"
    assert (lost / "20250101-101010-abcdef" / "1-aaaaaa.flac").read_bytes() == b"not audio"
    assert not (audio / "not-a-session").exists()


def test_deleted_session_folder_left_by_a_crash_is_not_resurrected(private_data_dir, monkeypatch):
    with SessionStore.open() as store:
        made = _fill(store, 2)
        gone, kept = list(made)
        # delete_session crashed after its rows were deleted, before the folder was removed
        monkeypatch.setattr("simulator.store.writes.finish_deleting", lambda trash, session_id: None)
        store.delete_session(gone)
        monkeypatch.undo()
        assert any(gone in f.name for f in (private_data_dir / "audio").iterdir())
        store.recover()
        assert not any(gone in f.name for f in (private_data_dir / "audio").iterdir())
        assert [s.id for s in store.list_sessions()] == [kept]
        assert not (private_data_dir / "lost+found").exists()


def test_deleting_a_session_keeps_the_files_the_app_did_not_write(private_data_dir):
    """A user's notes in a session's folder went with its recordings (stop 42's bad-input run)."""
    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()
        folder = store.audio_dir(sid)
        (folder / "notes.txt").write_text("mine")
        (folder / "mine").mkdir()
        store.delete_session(sid)
        kept = store.kept_aside()[sid]
        assert kept == private_data_dir / "lost+found" / sid and not folder.exists()
        assert sorted(p.name for p in kept.iterdir()) == ["mine", "notes.txt"]
        assert store.list_sessions() == [] and store.unlisted_recordings() == []
        store.recover()
        assert (kept / "notes.txt").read_text() == "mine"


def test_a_crashed_deletions_leftover_does_not_block_deleting_the_session_again(private_data_dir):
    """A folder an earlier, crashed deletion of the session left behind (``.deleting-<id>``) with a
    file of the user's in it: deleting the session refused until the user moved it by hand. Its
    recordings are now deleted, as asked then, and the user's file goes to lost+found."""
    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()
        leftover = private_data_dir / "audio" / f".deleting-{sid}"
        leftover.mkdir()
        (leftover / files[0].name).write_bytes(files[0].read_bytes())
        (leftover / "notes.txt").write_text("mine")
        store.delete_session(sid)
        assert store.list_sessions() == [] and not leftover.exists() and not store.audio_dir(sid).exists()
        [kept] = store.kept_aside().values()
        assert kept.parent.name == "lost+found" and [p.name for p in kept.iterdir()] == ["notes.txt"]
        assert not list(private_data_dir.rglob("*.flac"))


def test_a_crashed_deletion_finished_by_recovery_keeps_the_users_files(private_data_dir, monkeypatch):
    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()
        (store.audio_dir(sid) / "notes.txt").write_text("mine")
        monkeypatch.setattr("simulator.store.writes.finish_deleting", lambda trash, session_id: None)
        store.delete_session(sid)
        monkeypatch.undo()
        store.recover()
        kept = [p for p in private_data_dir.rglob("notes.txt")]
        assert len(kept) == 1 and not list(private_data_dir.rglob("*.flac"))


def test_failed_deletion_puts_the_folder_back(private_data_dir, monkeypatch):
    from simulator.errors import StoreError

    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()

        def broken(*a, **k):
            raise StoreError("disk I/O error")

        monkeypatch.setattr(type(store.db), "write", broken)
        with pytest.raises(StoreError):
            store.delete_session(sid)
        monkeypatch.undo()
        assert all(f.is_file() for f in files)
        assert store.recover() == []
        assert len(store.answers(sid)) == 2


def test_deletion_killed_before_its_rows_went_is_undone(private_data_dir, monkeypatch):
    import time

    from simulator.store.writes import _set_for_deletion

    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()
        _set_for_deletion(store.audio_dir(sid))  # then the process died
        store.recover()
        assert not all(f.is_file() for f in files)  # a deletion may still be running: left alone
        later = time.time() + 120
        monkeypatch.setattr("simulator.store.rebuild.time.time", lambda: later)
        store.recover()
        assert all(f.is_file() for f in files)
        assert len(store.answers(sid)) == 2


def test_a_database_with_the_version_but_not_the_tables_is_set_aside_and_recovered(private_data_dir, capsys):
    # A valid SQLite file carrying our schema version but other tables (rebuilt by another program,
    # or another database under our name) made every command end in "no such column", recover too.
    import sqlite3  # noqa: PLC0415

    with SessionStore.open() as store:
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
    for suffix in ("", "-wal", "-shm"):
        (private_data_dir / f"sessions.db{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(private_data_dir / "sessions.db")
    conn.executescript("CREATE TABLE sessions(x); CREATE TABLE answers(y); PRAGMA user_version = 3;")
    conn.close()
    assert main(["sessions", "list"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was damaged" in err[0] and "sessions recover" in err[0]
    assert len(list(private_data_dir.glob("sessions.db.corrupt-*"))) == 1  # kept, not deleted
    assert main(["sessions", "recover"]) == 0
    assert f"Rebuilt lost session {s.id}" in capsys.readouterr().out
    with SessionStore.open() as store:
        assert [x.id for x in store.list_sessions()] == [s.id]


def test_recovery_reads_the_rows_past_a_damaged_page_and_keeps_typed_sessions(private_data_dir):
    """Stop 42's bad-input run: with 8 KB of the store overwritten, recovery rebuilt sessions from
    their folders only. A typed role-play (no recording) vanished, and answers whose rows were still
    readable past the damage came back unscored, without their question."""
    report, _ = scored_answer()
    with SessionStore.open() as store:
        made = _fill(store, 6)
        typed = store.start_session(role="retail", mode="roleplay")
        store.add_answer(typed.id, question(), report, None)
        store.add_answer(typed.id, question(), report, None)
        store.finish_session(typed.id)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = private_data_dir / "sessions.db"
    import sqlite3

    conn = sqlite3.connect(db)
    leaves = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'answers' AND pagetype = 'leaf' ORDER BY pageno")]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(leaves) >= 3, leaves  # the answers span several pages: damage the first one only
    raw = bytearray(db.read_bytes())
    raw[(leaves[0] - 1) * page:leaves[0] * page] = b"\xde\xad\xbe\xef" * (page // 4)
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreCorruptError):
        SessionStore.open()
    with SessionStore.open() as store:
        store.recover()
        ids = {s.id for s in store.list_sessions()}
        assert set(made) | {typed.id} <= ids
        assert [a.question.id for a in store.answers(typed.id)] == [question().id] * 2  # typed: back whole
        with_question = [a for sid in made for a in store.answers(sid) if a.question.id == question().id]
        assert with_question, "no answer row was read past the damaged page"
        assert all(len(store.answers(sid)) == 2 for sid in made)  # the rest rebuilt from their recordings


def test_a_typed_session_deleted_after_recovery_stays_deleted(private_data_dir):
    """A review of stop 42's change: every recovery restored the backup's typed sessions again, so a
    typed session the user deleted came back at the next start of the app."""
    report, _ = scored_answer()
    with SessionStore.open() as store:
        typed = store.start_session(role="retail", mode="roleplay")
        store.add_answer(typed.id, question(), report, None)
        store.finish_session(typed.id)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(private_data_dir / "sessions.db", private_data_dir / "sessions.db.corrupt-20250101-000000")
    (private_data_dir / "sessions.db").unlink()
    with SessionStore.open() as store:
        store.recover()
        assert [s.id for s in store.list_sessions()] == [typed.id]  # restored once
        store.delete_session(typed.id)
        store.recover()
        assert store.list_sessions() == []  # and not again
        assert len(store.corrupt_backups()) == 1  # the marker beside the backup is not a backup


def test_deleting_keeps_only_the_stores_own_file_names(private_data_dir):
    """A FLAC of the user's own in a session's folder is not one of the store's (``<n>-<hex>.flac``)."""
    with SessionStore.open() as store:
        (sid, files), = _fill(store, 1).items()
        folder = store.audio_dir(sid)
        shutil.copyfile(files[0], folder / "my-own-take.flac")
        store.delete_session(sid)
        kept = store.kept_aside()[sid]
        assert kept.parent.name == "lost+found" and sorted(p.name for p in kept.iterdir()) == ["my-own-take.flac"]
        assert not folder.exists() and store.unlisted_recordings() == []


def test_a_rescore_is_what_a_rebuild_brings_back(private_data_dir):
    from dataclasses import replace

    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="practice")
        old = store.add_answer(s.id, question(), report, samples)
        store.replace_answer(old, replace(report, content=replace(report.content, score=42)))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{private_data_dir / 'sessions.db'}{suffix}").unlink(missing_ok=True)
    with SessionStore.open() as store:
        store.recover()
        [back] = store.answers(s.id)
        assert back.content.score == 42 and back.question.id == question().id
