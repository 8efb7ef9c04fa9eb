"""The store under stress: old schemas, corrupt files, recovery of a partial recording.

Concurrent writers and kills mid-write run real processes: tests/integration/test_store_processes.py."""

from __future__ import annotations

import json
import os
import sqlite3

import numpy as np
import pytest

from simulator.errors import StoreError
from simulator.store import SessionStore, StoreCorruptError
from simulator.store.schema import SCHEMA_VERSION
from tests.unit.test_store_fakes import question, scored_answer

V1_SCHEMA = """
CREATE TABLE sessions (id TEXT PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT,
    role TEXT NOT NULL DEFAULT '', mode TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'complete', 'recovered')),
    settings TEXT NOT NULL DEFAULT '{}');
CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    question_id TEXT, question_text TEXT NOT NULL DEFAULT '', audio_path TEXT,
    duration_s REAL NOT NULL DEFAULT 0, transcript TEXT, delivery TEXT, content TEXT,
    feedback TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL);
CREATE INDEX answers_by_session ON answers(session_id, position);
PRAGMA user_version = 1;
"""


def test_migrates_a_version_1_database(private_data_dir):
    report, samples = scored_answer()
    from simulator.store import models as m

    db = private_data_dir / "sessions.db"
    c = sqlite3.connect(db)
    c.executescript(V1_SCHEMA)
    c.execute("INSERT INTO sessions VALUES ('old-1', '2024-01-02T10:00:00+00:00', "
              "'2024-01-02T10:20:00+00:00', 'retail', 'practice', 'complete', '{\"voice\": \"en-gb\"}')")
    c.execute(
        "INSERT INTO answers (session_id, position, question_id, question_text, audio_path, duration_s, "
        "transcript, delivery, content, feedback, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        ("old-1", 1, "proud-of-service", "Proud?", "audio/old-1/1.flac", 3.5,
         json.dumps(m.transcript_to_json(report.transcript)), json.dumps(m.delivery_to_json(report.delivery)),
         json.dumps(m.content_to_json(report.content)), json.dumps(m.feedback_to_json(report.content.feedback)),
         "2024-01-02T10:01:00+00:00"),
    )
    c.commit()
    c.close()

    with SessionStore.open() as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        s = store.get_session("old-1")
        assert (s.role, s.status, s.settings, s.engine) == ("retail", "complete", {"voice": "en-gb"}, "")
        (a,) = store.answers("old-1")
        assert a.transcript == report.transcript and a.content == report.content
        assert a.superseded_by is None and a.audio_missing
        # New-schema features work on the migrated data.
        new = store.replace_answer(a, report)
        assert store.answer_history("old-1", 1)[0].superseded_by == new.id
        s2 = store.start_session(engine="faster-whisper")
        assert store.get_session(s2.id).engine == "faster-whisper"
    # Opening again does not re-run migrations.
    SessionStore.open().close()


def test_corrupt_database_is_backed_up_and_replaced(private_data_dir):
    db = private_data_dir / "sessions.db"
    junk = os.urandom(8192)
    db.write_bytes(junk)
    with pytest.raises(StoreCorruptError) as e:
        SessionStore.open()
    message = str(e.value)
    assert "damaged" in message and "sessions.db.corrupt-" in message and "\n" not in message
    assert isinstance(e.value, StoreError)
    backup = e.value.backup
    assert backup.read_bytes() == junk  # nothing deleted
    with SessionStore.open() as store:  # a fresh, working store took its place
        assert store.list_sessions() == []
        store.start_session()


def test_corrupt_database_in_app_mode_returns_a_fresh_store(private_data_dir):
    (private_data_dir / "sessions.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    with SessionStore.open(on_corrupt="backup") as store:
        assert store.corrupt_backup is not None and store.corrupt_backup.exists()
        assert store.list_sessions() == []


def test_truncated_pages_are_detected(private_data_dir):
    with SessionStore.open() as store:
        for _ in range(5):
            s = store.start_session(settings={"pad": "x" * 3000})
            store.add_answer(s.id, question(), *scored_answer())
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = private_data_dir / "sessions.db"
    raw = bytearray(db.read_bytes())
    raw[4096 * 2:4096 * 4] = os.urandom(8192)  # smash two pages in the middle
    db.write_bytes(bytes(raw))
    with pytest.raises(StoreCorruptError):
        SessionStore.open()


# --- recovery ------------------------------------------------------------------------------------


def test_recover_reads_a_partial_whose_header_was_never_updated(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session()
        w = store.open_answer_audio(s.id, 1)
        w.write(np.full(1600, 0.5, np.float32))
        w.close()
        path = store.audio_dir(s.id) / "1.partial.wav"
        with open(path, "ab") as f:  # samples appended after the last header update
            f.write((np.full(800, 8192, "<i2")).tobytes())
        (r,) = store.recover(include_live=True)
        (a,) = r.recordings_attached
        assert len(store.load_audio(a)) == 2400
