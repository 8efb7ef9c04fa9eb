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


# -- a report held while the answer may still resume (its feedback on screen) ------------------------
def _recover_after_a_crash(store: SessionStore, session_id: str) -> list:
    """The process dies; the next start's recovery: the answers it attaches, every partial file gone."""
    _dead(store)
    (r,) = store.recover()
    assert not list(store.audio_dir(session_id).glob("*.partial*"))
    return list(r.recordings_attached)


def test_a_crash_while_the_feedback_shows_recovers_the_answer_scored(private_data_dir):
    """Rehearsal shows the feedback while the microphone listens on for 10 s; a kill in that window
    kept only the recording ("interrupted", every score blank) though the candidate had seen it scored."""
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session()
        _stream(store, s.id, 1, samples)
        store.hold_report(s.id, 1, question(), report, len(samples))
        (a,) = _recover_after_a_crash(store, s.id)
        assert a.scored and a.question.id == QUESTION_ID
        assert a.transcript.text == report.transcript.text
        assert a.content.score == report.content.score and len(a.feedback) == len(report.content.feedback)
        assert a.rubric == report.content.rubric
        assert len(store.load_audio(a)) == len(samples)


def test_a_held_report_is_not_used_for_an_answer_that_went_on(private_data_dir):
    """The answer resumed (more audio than the report covers) and then the process died: the report
    no longer describes the recording, so it is kept unscored, for rescore, as before."""
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session()
        w = store.open_answer_audio(s.id, 1, question())
        w.write(samples[: len(samples) // 2])
        store.hold_report(s.id, 1, question(), report, len(samples) // 2)
        w.write(samples[len(samples) // 2:])  # it went on before the resume released the report
        w.close()
        (a,) = _recover_after_a_crash(store, s.id)
        assert not a.scored and len(store.load_audio(a)) == len(samples)


def test_a_released_or_damaged_held_report_leaves_the_answer_unscored(private_data_dir):
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session()
        _stream(store, s.id, 1, samples)
        _stream(store, s.id, 2, samples)
        store.hold_report(s.id, 1, question(), report, len(samples))
        store.release_report(s.id, 1)  # resumed
        (store.audio_dir(s.id) / "2.partial.report.json").write_text('{"samples": 5, "columns": [1, 2]}')
        assert [a.scored for a in _recover_after_a_crash(store, s.id)] == [False, False]


def test_a_held_report_is_a_store_file_and_goes_when_the_answer_is_saved(private_data_dir):
    from simulator.store.recordings import is_recording_file

    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session()
        _stream(store, s.id, 1, samples)
        store.hold_report(s.id, 1, question(), report, len(samples))
        held = store.audio_dir(s.id) / "1.partial.report.json"
        assert is_recording_file(held) and held.stat().st_mode & 0o077 == 0
        store.add_answer(s.id, question(), report, samples, position=1)
        assert not held.exists()
        assert [a.scored for a in store.answers(s.id)] == [True]
