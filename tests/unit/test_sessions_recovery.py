"""Crash recovery edge cases: a crash between an answer's FLAC and its row, a recovery killed half-way,
two recoveries at once, unreadable leftovers, and kills at random points of rescore and recovery."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time
from collections import Counter

import numpy as np
import soundfile as sf

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


def _recover_at(data_dir: str, go) -> None:  # noqa: ANN001
    os.environ["INTERVIEW_SIM_DATA_DIR"] = data_dir
    store = SessionStore.open()
    go.wait(60)
    store.recover()
    store.close()


def test_two_recoveries_at_once_attach_each_recording_once(private_data_dir):
    with SessionStore.open() as store:
        s = store.start_session()
        for pos in range(1, 6):
            _stream(store, s.id, pos, np.full(16000, 0.1 * pos, np.float32))
        _dead(store)
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    procs = [ctx.Process(target=_recover_at, args=(str(private_data_dir), go)) for _ in range(2)]
    for p in procs:
        p.start()
    time.sleep(1.0)
    go.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with SessionStore.open() as store:
        answers = store.answers(s.id)
        assert [a.position for a in answers] == [1, 2, 3, 4, 5]
        assert store.get_session(s.id).status == "recovered"
        assert len(list(store.audio_dir(s.id).glob("*.flac"))) == 5


# --- kills at random points of rescore and recovery ----------------------------------------------


def _rescore_and_recover_forever(data_dir: str, ready) -> None:  # noqa: ANN001
    os.environ["INTERVIEW_SIM_DATA_DIR"] = data_dir
    report, samples = scored_answer()
    samples = samples[:16000]
    store = SessionStore.open()
    ready.set()
    while True:
        s = store.start_session(role="killed")
        a = store.add_answer(s.id, question(), report, samples)
        for pos in (2, 3):
            w = store.open_answer_audio(s.id, pos, question())
            w.write(samples)
            w.close()
        store._conn.execute("UPDATE sessions SET pid = 999999999 WHERE id = ?", (s.id,))
        store.recover()
        store.replace_answer(a, report)
        store.update_session_settings(s.id, rescores=[{"engine": "fake"}])


def test_killed_during_rescore_or_recovery_leaves_no_duplicates(private_data_dir):
    SessionStore.open().close()
    ctx = mp.get_context("spawn")
    rng = random.Random(5)
    for _ in range(4):
        ready = ctx.Event()
        p = ctx.Process(target=_rescore_and_recover_forever, args=(str(private_data_dir), ready))
        p.start()
        assert ready.wait(120)
        time.sleep(0.3 + rng.random() * 1.2)
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        with SessionStore.open() as store:
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
            store.recover()
            for s in store.list_sessions():
                assert s.status != "in_progress"
                current = store.answers(s.id)
                positions = Counter(a.position for a in current)
                assert all(n == 1 for n in positions.values()), (s.id, positions)
                assert set(positions) <= {1, 2, 3}
                for a in store.answers(s.id, include_superseded=True):
                    assert not a.audio_missing
                    sf.info(a.audio_path)
    with SessionStore.open() as store:
        assert store.list_sessions()
