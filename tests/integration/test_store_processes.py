"""The store with real processes: two writers at once, SIGKILL at random points of a write loop, of
rescore and of recovery, two recoveries at once, and recovery after a writer killed mid-answer.

Each test spawns Python processes (``multiprocessing`` with the spawn context) and waits for them in
real time; the in-process store checks are in tests/unit/test_store_durability.py and
tests/unit/test_sessions_recovery.py.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time
from collections import Counter

import numpy as np
import pytest
import soundfile as sf

from simulator.store import SessionStore
from tests.unit.test_sessions_recovery import _dead, _stream
from tests.unit.test_store_fakes import question, scored_answer

# --- concurrency and kills (from test_store_durability.py) ---------------------------------------


def _writer(data_dir: str, n: int, tag: str) -> None:
    os.environ["INTERVIEW_SIM_DATA_DIR"] = data_dir
    report, samples = scored_answer()
    samples = samples[:16000]
    store = SessionStore.open()
    for i in range(n):
        s = store.start_session(role=tag, settings={"i": i})
        store.add_answer(s.id, "q", report, samples)
        store.finish_session(s.id)
    store.close()


def test_two_processes_writing_at_once(private_data_dir):
    # No store yet: both processes create and migrate it at the same moment.
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(private_data_dir), 20, f"p{k}")) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with SessionStore.open() as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sessions = store.list_sessions()
        assert sorted(s.role for s in sessions) == ["p0"] * 20 + ["p1"] * 20
        assert all(s.status == "complete" for s in sessions)
        for s in sessions:
            (a,) = store.answers(s.id)
            assert not a.audio_missing


def _endless_writer(data_dir: str, ready) -> None:  # noqa: ANN001
    os.environ["INTERVIEW_SIM_DATA_DIR"] = data_dir
    report, samples = scored_answer()
    store = SessionStore.open()
    ready.set()
    while True:
        s = store.start_session(role="killed")
        for _ in range(3):
            store.add_answer(s.id, "q", report, samples[: 16000 * 2])
        w = store.open_answer_audio(s.id, 4, "partial question")
        w.write(samples[:8000])
        w.close()
        store.delete_session(s.id) if random.random() < 0.3 else store.finish_session(s.id)


def test_killed_mid_write_leaves_a_consistent_store(private_data_dir):
    SessionStore.open().close()
    ctx = mp.get_context("spawn")
    rng = random.Random(1234)
    for _ in range(8):
        ready = ctx.Event()
        p = ctx.Process(target=_endless_writer, args=(str(private_data_dir), ready))
        p.start()
        assert ready.wait(120)
        time.sleep(0.2 + rng.random() * 1.5)  # kill at a random point of the write loop
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        with SessionStore.open() as store:
            assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
            for s in store.list_sessions():
                for a in store.answers(s.id, include_superseded=True):
                    assert not a.audio_missing, (s.id, a.position)
                    sf.info(a.audio_path)  # a complete, readable FLAC
            store.recover()
            assert all(s.status != "in_progress" for s in store.list_sessions())
    with SessionStore.open() as store:
        assert store.list_sessions(), "the writer never got to write anything; raise the sleep"


def _crash_mid_answer(data_dir: str, conn) -> None:  # noqa: ANN001
    os.environ["INTERVIEW_SIM_DATA_DIR"] = data_dir
    report, samples = scored_answer()
    store = SessionStore.open()
    s = store.start_session(role="crashy", mode="practice")
    store.add_answer(s.id, question(), report, samples)
    w = store.open_answer_audio(s.id, 2, question())
    w.write(np.full(16000, 0.25, np.float32))
    w.write(np.full(8000, -0.25, np.float32))
    conn.send(s.id)
    time.sleep(60)


def test_recover_keeps_answers_and_partial_audio(private_data_dir):
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    p = ctx.Process(target=_crash_mid_answer, args=(str(private_data_dir), child))
    p.start()
    session_id = parent.recv()
    with SessionStore.open() as store:
        assert store.recover() == []  # still running in its process: left alone
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    with SessionStore.open() as store:
        (result,) = store.recover()
        assert result.session.id == session_id and result.session.status == "recovered"
        assert result.answers_kept == 1
        (attached,) = result.recordings_attached
        assert attached.position == 2 and not attached.scored
        assert attached.question.id == "proud-of-service"
        assert attached.duration_s == pytest.approx(1.5)
        audio = store.load_audio(attached)
        assert len(audio) == 24000
        assert audio[:16000] == pytest.approx(0.25, abs=1e-3) and audio[16000:] == pytest.approx(-0.25, abs=1e-3)
        assert [a.position for a in store.answers(session_id)] == [1, 2]
        assert not list(store.audio_dir(session_id).glob("*.partial.*"))
        assert store.recover() == []  # idempotent


# --- recovery under kills (from test_sessions_recovery.py) ----------------------------------------


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
