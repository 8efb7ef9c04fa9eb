"""Crash recovery edge cases: a crash between an answer's FLAC and its row, a recovery killed half-way,
and unreadable leftovers. Two recoveries at once and kills at random points of rescore and recovery
run real processes: tests/integration/test_store_processes.py."""

from __future__ import annotations

import numpy as np

from simulator.store import SessionStore
from tests.unit.test_store_fakes import QUESTION_ID, question, scored_answer


def _dead(store: SessionStore) -> None:
    store._conn.execute("UPDATE sessions SET pid = 999999999 WHERE status = 'in_progress'")


def _stream(store: SessionStore, session_id: str, position: int, samples: np.ndarray) -> None:
    w = store.open_answer_audio(session_id, position, question())
    for block in np.array_split(samples, 5):
        w.write(block)
    w.close()


def test_crash_between_the_flac_and_its_row_keeps_one_answer(private_data_dir):
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session()
        _stream(store, s.id, 1, samples)
        # add_answer got as far as the complete FLAC, then the process died before the commit.
        rel = store.writes.write_audio(s.id, 1, samples, 16000)
        _dead(store)
        (r,) = store.recover()
        (a,) = r.recordings_attached
        assert a.position == 1 and a.question.id == QUESTION_ID
        assert a.audio_path == store.root / rel
        assert [x.position for x in store.answers(s.id)] == [1]
        assert len(store.load_audio(a)) == len(samples)
        assert not list(store.audio_dir(s.id).glob("*.partial.*"))
        assert len(list(store.audio_dir(s.id).glob("*.flac"))) == 1


def test_recovery_killed_after_writing_the_flac_does_not_duplicate(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session()
        samples = np.full(16000, 0.2, np.float32)
        _stream(store, s.id, 3, samples)
        # A first recovery wrote the partial's FLAC and was killed before inserting its row.
        store.writes.write_audio(s.id, 3, samples, 16000)
        _dead(store)
        (r,) = store.recover()
        assert [a.position for a in r.recordings_attached] == [3]
        assert len(store.answers(s.id)) == 1


def test_unreadable_leftover_flac_does_not_stop_recovery(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session()
        _stream(store, s.id, 1, np.full(8000, 0.1, np.float32))
        (store.audio_dir(s.id) / "2-abcdef.flac").write_bytes(b"not a flac at all")
        _dead(store)
        (r,) = store.recover()
        assert [a.position for a in r.recordings_attached] == [1]
        assert (store.audio_dir(s.id) / "2-abcdef.flac").exists()  # nothing deleted
