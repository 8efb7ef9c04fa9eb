"""The interview run headless, without Textual: what comes after each answer in rehearsal and drills,
follow-ups stored under their main question, the session closed at the end or kept as cancelled,
and a failing store reported without stopping the interview."""

from __future__ import annotations

import pytest

from simulator.answer.build import typed_report
from simulator.errors import StoreError
from simulator.roleplay.followups import OUTCOME_PROBE
from simulator.rubric import load_bank, score_content
from simulator.session.interview import Plan
from simulator.session.interview_run import InterviewRun
from simulator.session.session_log import SessionLog
from simulator.store import SessionStore
from simulator.store.writes import parent_question_id

NO_RESULT = ("Last year at the store a customer was shouting because her order was missing. My job was to "
             "sort it out. I listened, apologised, checked the system and called the warehouse to trace it.")
OUTCOME = "In the end she got the parcel the next morning and thanked us, and complaints went down twenty percent."


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture
def store(tmp_path):
    with SessionStore.open(tmp_path / "sessions.db") as s:
        yield s


def typed(run: InterviewRun, bank, text: str):
    q = run.interview.current
    return typed_report(text, lambda t: score_content(t, question=q, bank=bank))


def test_rehearsal_shows_feedback_after_each_answer_and_closes_the_session_at_the_end(bank, store):
    run = InterviewRun.start(Plan(role="retail", mode="rehearsal", count=2, seed=1), bank,
                             session_log=SessionLog(store), engine="typed", model="")
    steps = []
    for _ in range(2):
        steps.append(run.keep(typed(run, bank, NO_RESULT)))
        steps.append(run.advance())
    assert steps == ["feedback", "next question", "feedback", "summary"]
    (session,) = store.list_sessions()
    assert session.status == "complete" and session.mode == "rehearsal"
    assert session.settings["questions"] == [q.id for q in run.interview.questions]
    assert [a.question.id for a in store.answers(session.id)] == [q.id for q in run.interview.questions]


def test_a_drill_moves_straight_on(bank, store):
    run = InterviewRun.start(Plan(role="retail", mode="drill", count=2, seed=1), bank, session_log=SessionLog(store))
    assert run.keep(typed(run, bank, NO_RESULT)) == "next question"


def test_a_follow_up_is_asked_and_stored_under_its_main_question(bank, store):
    star = [q for q in bank.questions_for(role="retail") if q.rubric == "star"][:1]
    run = InterviewRun.start(Plan(role="retail", mode="drill", count=1, seed=1, follow_ups="one"), bank,
                             session_log=SessionLog(store))
    run.interview.questions = star  # a STAR question, whose story without a result draws the outcome probe
    main = run.interview.current
    run.keep(typed(run, bank, NO_RESULT))
    assert run.advance() == "next question"
    assert run.interview.current.text == OUTCOME_PROBE
    run.keep(typed(run, bank, OUTCOME))
    assert run.advance() == "summary"
    (session,) = store.list_sessions()
    stored = store.answers(session.id)
    assert [parent_question_id(a) for a in stored] == [None, main.id] and stored[0].question.id == main.id


def test_a_silent_answer_draws_no_follow_up(bank, store):
    """A drill answer in which nothing was said got "Can you give me an example?" (hands-on review);
    a one-word answer still does."""
    star = [q for q in bank.questions_for(role="retail") if q.rubric == "star"][:1]
    for said, asked in (("", False), ("Yes.", True)):
        run = InterviewRun.start(Plan(role="retail", mode="drill", count=1, seed=1, follow_ups="one"), bank,
                                 session_log=SessionLog(store))
        run.interview.questions = star
        run.keep(typed(run, bank, said))
        assert (run.interview.follow_up_due is not None) is asked


def test_leaving_before_a_word_stores_nothing_and_after_an_answer_keeps_it_as_cancelled(bank, store):
    run = InterviewRun.start(Plan(role="retail", count=2, seed=1), bank, session_log=SessionLog(store))
    run.cancel()
    assert store.list_sessions() == []
    run = InterviewRun.start(Plan(role="retail", count=2, seed=1), bank, session_log=SessionLog(store))
    run.keep(typed(run, bank, NO_RESULT))
    run.cancel()
    (session,) = store.list_sessions()
    assert session.shown_status == "cancelled" and len(store.answers(session.id)) == 1


def test_a_quit_part_way_never_deletes_a_scored_answer_and_escape_keeps_a_quiet_voice(bank, store):
    """The review of stop 43: a quit part-way went through Escape's path, which deletes a session
    whose answers hold no words, and a scored answer was judged by its transcript alone, so a quiet
    voice the recogniser read as nothing was deleted with its recording."""
    import numpy as np

    from tests.tui.fakes import speech_like

    room = np.random.default_rng(3).normal(0, 0.0005, 9 * 16000).astype(np.float32)
    silent = typed(InterviewRun.start(Plan(role="retail", count=2, seed=1), bank), bank, "")
    for samples, drop_if_silent, kept in ((room, False, True),  # a quit: scored answers stay
                                          (room + 0.02 * speech_like([(0.5, 8.0)], 9.0), True, True),  # Escape
                                          (room, True, False)):  # Escape, nothing said: dropped
        run = InterviewRun.start(Plan(role="retail", count=2, seed=1), bank, session_log=SessionLog(store))
        sid = run.session_log.session.id
        run.keep(silent, samples=samples)
        run.cancel(drop_if_silent=drop_if_silent)
        assert (sid in [s.id for s in store.list_sessions()]) is kept, (drop_if_silent, kept)


def test_a_failing_store_is_reported_and_the_interview_goes_on(bank, store, monkeypatch):
    errors = []
    log = SessionLog(store)
    run = InterviewRun.start(Plan(role="retail", count=2, seed=1), bank, session_log=log, on_store_error=errors.append)

    def full(*args, **kwargs):
        raise StoreError("the disk is full")

    monkeypatch.setattr(log, "save", full)
    assert run.keep(typed(run, bank, NO_RESULT)) == "feedback"
    assert errors == ["Could not save to the session store: the disk is full"]
    assert len(run.answers) == 1 and run.advance() == "next question"
    # Said at exit: a typed answer the store could not keep, in full (it exists nowhere else).
    [line] = run.unsaved_lines()
    assert line.startswith("Answer 1 (typed) could not be saved") and NO_RESULT[:40] in line


def test_a_session_the_store_could_not_open_keeps_its_recordings_outside_it_and_says_where(bank, store, tmp_path,
                                                                                             monkeypatch):
    """A disk full as the interview starts: no session, so each take is written under the recordings
    folder, and the line at exit gives that file rather than a store command that knows nothing of it."""
    import numpy as np

    log = SessionLog(store)
    monkeypatch.setattr(log, "start", lambda **kwargs: (_ for _ in ()).throw(StoreError("the disk is full")))
    run = InterviewRun.start(Plan(role="retail", count=1, seed=1), bank, session_log=log, recordings_dir=tmp_path)
    assert not run.storing
    path = run.audio_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"RIFF")
    report = typed(run, bank, NO_RESULT)
    run.keep(report, path, samples=np.zeros(16000, dtype=np.float32))
    assert run.is_unsaved(report)
    [line] = run.unsaved_lines()
    assert line.startswith("Answer 1 could not be saved to the session store") and str(path) in line


def test_save_again_scores_the_recording_the_close_kept_instead_of_storing_it_twice(bank, store, monkeypatch):
    """A spoken answer the store could not save (a full disk) has its streamed recording closed into an
    unscored answer when the session ends; saving it again later scores that answer, one row, not two."""
    from tests.tui.fakes import speech_like

    log = SessionLog(store)
    run = InterviewRun.start(Plan(role="retail", count=1, seed=1), bank, session_log=log)
    sid = log.session.id
    samples = (0.05 * speech_like([(0.3, 4.0)], 4.5)).astype("float32")
    position, writer = run.open_answer_audio()
    writer.write(samples)
    save = log.save
    monkeypatch.setattr(log, "save", lambda *a, **k: (_ for _ in ()).throw(StoreError("the disk is full")))
    report = typed(run, bank, NO_RESULT)
    run.keep(report, samples=samples, position=position)
    assert run.is_unsaved(report)
    run.advance()  # the last question: the session closes, keeping the recording unscored
    assert [a.scored for a in store.answers(sid)] == [False]
    monkeypatch.setattr(log, "save", save)
    assert run.save_again() is None and not run.unsaved
    [answer] = store.answers(sid)
    assert answer.scored and answer.position == position and answer.transcript.text == report.transcript.text


def test_without_a_store_takes_are_written_under_the_recordings_folder(bank, tmp_path):
    run = InterviewRun.start(Plan(role="retail", count=2, seed=1), bank, recordings_dir=tmp_path)
    first = run.audio_path()
    assert first is not None and first.parent.parent == tmp_path
    assert first.name == f"01-{run.interview.current.id}.wav"
    assert run.open_answer_audio() is None
