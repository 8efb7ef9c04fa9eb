"""The session store: round trips of every field, answers, rescore history, deletion, permissions."""

from __future__ import annotations

import sqlite3
import stat

import numpy as np
import pytest
import soundfile as sf

from simulator.store.schema import SCHEMA_VERSION
from simulator.errors import StoreError
from simulator.report.json_report import report_to_dict
from simulator.store import QuestionRef, SessionStore, UnknownSessionError
from tests.unit.test_store_fakes import QUESTION_ID, question, scored_answer


@pytest.fixture
def store(private_data_dir):
    with SessionStore.open() as s:
        yield s


def test_store_lives_in_the_data_dir_with_private_modes(store, private_data_dir):
    assert store.path == private_data_dir / "sessions.db"
    s = store.start_session(role="retail")
    report, samples = scored_answer()
    a = store.add_answer(s.id, question(), report, samples)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(a.audio_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(a.audio_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((private_data_dir / "audio").stat().st_mode) == 0o700
    assert a.audio_path.parent == private_data_dir / "audio" / s.id
    assert a.audio_path.suffix == ".flac"


def test_pragmas(store):
    c = store._conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


def test_session_round_trip(store):
    settings = {"persona": "friendly", "questions": 5, "nested": {"a": [1, 2]}}
    s = store.start_session(role="call-centre", mode="practice", settings=settings,
                            engine="faster-whisper", model="tiny.en", rubric_version="2024.1")
    again = SessionStore.open().get_session(s.id)
    assert again == s
    assert (again.role, again.mode, again.status) == ("call-centre", "practice", "in_progress")
    assert again.settings == settings
    assert (again.engine, again.model, again.rubric_version) == ("faster-whisper", "tiny.en", "2024.1")
    assert again.ended_at is None
    done = store.finish_session(s.id)
    assert done.status == "complete" and done.ended_at >= done.started_at


def test_answer_round_trip_every_field(store):
    s = store.start_session(role="retail")
    report, samples = scored_answer()
    saved = store.add_answer(s.id, question(), report, samples)
    with SessionStore.open() as other:  # a fresh connection reads it from disk
        (a,) = other.answers(s.id)
    assert a == saved
    assert a.session_id == s.id and a.position == 1
    assert a.question == QuestionRef(QUESTION_ID, question().text)
    assert a.duration_s == pytest.approx(len(samples) / 16000, abs=1e-3)
    assert a.transcript == report.transcript  # segments, words with times and probabilities, options
    assert a.words and a.words == report.transcript.words
    assert a.delivery == report.delivery  # pauses, fillers, verdicts, pace series
    assert a.fillers and [f.text for f in a.fillers] == ["so", "um", "uh"]
    assert a.delivery.pace_series
    assert a.content == report.content  # criteria with evidence offsets, flags, balance, feedback
    assert a.feedback == report.content.feedback and a.feedback
    assert a.source == "test.wav" and a.options == report.options
    assert a.created_at and a.superseded_by is None and a.scored and not a.audio_missing
    assert report_to_dict(a.report()) == report_to_dict(report)
    audio = store.load_audio(a)
    assert len(audio) == len(samples)
    assert np.max(np.abs(audio - samples)) < 1e-3  # 16-bit FLAC


def test_positions_and_question_forms(store):
    s = store.start_session()
    report, samples = scored_answer()
    a1 = store.add_answer(s.id, "Why this job?", report, samples)
    a2 = store.add_answer(s.id, None, report, samples)
    a3 = store.add_answer(s.id, QuestionRef("x", "y"), report, samples, position=7)
    assert [a.position for a in store.answers(s.id)] == [1, 2, 7]
    assert a1.question == QuestionRef(None, "Why this job?") and a2.question == QuestionRef(None, "")
    assert a3.question == QuestionRef("x", "y")
    assert len({a.audio_path for a in (a1, a2, a3)}) == 3


def test_unknown_session_and_prefix(store):
    s = store.start_session()
    assert store.get_session(s.id[:12]).id == s.id
    with pytest.raises(UnknownSessionError, match="no session 'nope'"):
        store.get_session("nope")
    with pytest.raises(UnknownSessionError):
        store.add_answer("nope", None, *scored_answer())
    assert isinstance(UnknownSessionError("x"), StoreError)


def test_missing_audio_file_is_reported_and_the_rest_works(store):
    s = store.start_session()
    a = store.add_answer(s.id, question(), *scored_answer())
    a.audio_path.unlink()
    (b,) = store.answers(s.id)
    assert b.audio_missing
    assert b.transcript == a.transcript and b.content == a.content
    with pytest.raises(StoreError, match="audio missing"):
        store.load_audio(b)
    assert store.summaries()[0].mean_wpm is not None


def test_rescore_keeps_the_original(store):
    s = store.start_session()
    old = store.add_answer(s.id, question(), *scored_answer())
    report2, _ = scored_answer("I helped a customer and fixed the refund quickly.", model_name="fake-2")
    new = store.replace_answer(old, report2)
    assert new.audio_path == old.audio_path and new.position == old.position
    assert [a.id for a in store.answers(s.id)] == [new.id]
    history = store.answer_history(s.id, old.position)
    assert [a.id for a in history] == [old.id, new.id]
    assert history[0].superseded_by == new.id
    assert history[0].transcript.model == "fake-1" and history[1].transcript.model == "fake-2"
    with pytest.raises(StoreError, match="already rescored"):
        store.replace_answer(history[0], report2)


def test_delete_session_removes_rows_and_files(store, private_data_dir):
    keep = store.start_session(role="keep")
    gone = store.start_session(role="gone")
    kept = store.add_answer(keep.id, question(), *scored_answer())
    a = store.add_answer(gone.id, question(), *scored_answer())
    store.replace_answer(a, scored_answer()[0])
    w = store.open_answer_audio(gone.id, 5)
    w.write(np.zeros(1600, np.float32))
    w.close()
    store.delete_session(gone.id)
    assert not (private_data_dir / "audio" / gone.id).exists()
    c = sqlite3.connect(store.path)
    assert c.execute("SELECT COUNT(*) FROM answers WHERE session_id = ?", (gone.id,)).fetchone()[0] == 0
    assert c.execute("SELECT COUNT(*) FROM sessions WHERE id = ?", (gone.id,)).fetchone()[0] == 0
    assert [x.id for x in store.list_sessions()] == [keep.id]
    assert kept.audio_path.is_file()
    # The deleted transcripts' words are not left behind in the database file or its WAL.
    store.delete_session(keep.id)
    raw = b"".join(p.read_bytes() for p in private_data_dir.glob("sessions.db*"))
    assert b"partner hotels" not in raw


def test_delete_all(store, private_data_dir):
    for _ in range(3):
        s = store.start_session()
        store.add_answer(s.id, question(), *scored_answer())
    assert store.delete_all() == 3
    assert store.list_sessions() == []
    assert not (private_data_dir / "audio").exists() or not any((private_data_dir / "audio").iterdir())


def test_summaries(store):
    s = store.start_session(role="retail", mode="practice")
    report, samples = scored_answer()
    store.add_answer(s.id, question(), report, samples)
    store.add_answer(s.id, question(), report, samples)
    empty = store.start_session()
    (one, two) = store.summaries()
    assert one.session.id == s.id and one.answers == 2
    assert one.mean_wpm == pytest.approx(report.delivery.wpm, abs=0.1)
    assert one.fillers_per_min == pytest.approx(report.delivery.fillers.per_minute, abs=0.01)
    assert one.content_score == pytest.approx(report.content.score)
    assert two.session.id == empty.id and two.answers == 0 and two.mean_wpm is None


def test_summaries_average_each_questions_last_take(store):
    # history averaged every take, a re-recorded one too: 58 where the session's summary said 50.
    from dataclasses import replace

    s = store.start_session(role="retail", mode="practice")
    report, samples = scored_answer()
    scored = lambda n: replace(report, content=replace(report.content, score=n))  # noqa: E731
    store.add_answer(s.id, question(), scored(80), samples)  # the take re-recorded over
    store.add_answer(s.id, question(), scored(50), samples)
    store.add_answer(s.id, QuestionRef("why-this-role", "Why this role?"), scored(70), samples)
    (one,) = store.summaries()
    assert one.content_score == 60 and one.answers == 3


def test_a_re_take_cut_off_unscored_does_not_hide_the_scored_take(store):
    # Re-record, then quit half-way: history showed the session's only scored take as "-" (stop 43).
    s = store.start_session(role="retail", mode="practice")
    report, samples = scored_answer()
    store.add_answer(s.id, question(), report, samples)
    store.add_answer(s.id, question(), None, samples)  # the re-take, kept unscored
    (one,) = store.summaries()
    assert one.content_score == pytest.approx(report.content.score) and one.answers == 2


def test_answers_whose_question_is_unknown_are_each_their_own_take(store):
    # A session rebuilt from its recordings alone: every answer's question unknown. They collapsed into
    # one "last take" (the last, unscored), and history showed only dashes (stop 44's explorer).
    from dataclasses import replace

    s = store.start_session(role="retail", mode="practice")
    report, samples = scored_answer()
    scored = lambda n: replace(report, content=replace(report.content, score=n))  # noqa: E731
    store.add_answer(s.id, QuestionRef(None, ""), scored(80), samples)
    store.add_answer(s.id, QuestionRef(None, ""), scored(40), samples)
    (one,) = store.summaries()
    assert one.content_score == 60 and one.answers == 2


def test_streamed_audio_is_replaced_by_the_saved_answer(store):
    s = store.start_session()
    writer = store.open_answer_audio(s.id, 1, question())
    report, samples = scored_answer()
    for block in np.array_split(samples, 10):
        writer.write(block)
    path = writer.close()
    assert path.name == "1.partial.wav" and stat.S_IMODE(path.stat().st_mode) == 0o600
    data, sr = sf.read(path, dtype="float32")
    assert sr == 16000 and len(data) == len(samples)
    store.add_answer(s.id, question(), report, samples, position=1)
    assert not path.exists()
    assert not list(path.parent.glob("*.partial.*"))


def test_newer_schema_is_refused(private_data_dir):
    db = private_data_dir / "sessions.db"
    c = sqlite3.connect(db)
    c.execute("PRAGMA user_version = 99")
    c.close()
    with pytest.raises(StoreError, match="newer interview-sim"):
        SessionStore.open()
    assert db.exists()
