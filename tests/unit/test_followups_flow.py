"""Interviewer follow-ups in the interview flow: asked after the main answer, recorded as their own
answer with the parent question's id, limited by the off/one/N setting."""

from __future__ import annotations

import pytest

from simulator.roleplay.followups import OUTCOME_PROBE
from simulator.rubric import load_bank, score_content
from simulator.answer.build import typed_report
from simulator.session.interview import Interview, Plan

NO_RESULT = ("Last year at the store a customer was shouting because her order was missing. My job was to "
             "sort it out. I listened, apologised, checked the system and called the warehouse to trace it.")
OUTCOME = "In the end she got the parcel the next morning and thanked us, and complaints went down twenty percent."


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def star_interview(bank, follow_ups, count: int = 2) -> Interview:
    pool = [q for q in bank.questions_for(role="retail") if q.rubric == "star"][:count]
    return Interview(Plan(role="retail", mode="rehearsal", count=count, follow_ups=follow_ups), pool)


def answer(interview: Interview, bank, text: str) -> None:
    q = interview.current
    interview.record(typed_report(text, lambda t: score_content(t, question=q, bank=bank)))


def test_story_without_result_is_followed_by_the_outcome_question(bank):
    iv = star_interview(bank, "one")
    main = iv.current
    answer(iv, bank, NO_RESULT)
    assert iv.follow_up_due == OUTCOME_PROBE
    iv.advance()
    assert iv.index == 0 and iv.follow_up is not None  # still on the first question
    assert iv.current.text == OUTCOME_PROBE and iv.current.id != main.id
    assert iv.current.rubric == main.rubric and iv.main_question is main
    answer(iv, bank, OUTCOME)
    assert [a.parent_id for a in iv.answers] == [None, main.id]
    assert iv.answers[1].report.transcript.text == OUTCOME
    assert iv.follow_up_due is None  # "one": no second follow-up
    iv.advance()
    assert iv.index == 1 and iv.follow_up is None and iv.current is iv.questions[1]


def test_off_asks_nothing_and_keeps_the_old_flow(bank):
    iv = star_interview(bank, "off")
    answer(iv, bank, NO_RESULT)
    assert iv.follow_up_due is None
    iv.advance()
    assert iv.index == 1
    assert Plan().follow_ups == "off"  # programmatic default; the CLI asks for "one"


def test_n_allows_a_chain_without_repeats(bank):
    iv = star_interview(bank, 2)
    answer(iv, bank, NO_RESULT)
    iv.advance()
    first = iv.current.text
    answer(iv, bank, OUTCOME)
    assert iv.follow_up_due is not None and iv.follow_up_due != first
    iv.advance()
    assert iv.follow_up.number == 2 and iv.current.id.endswith("follow-up-2")
    answer(iv, bank, "I would ask more questions first.")
    assert iv.follow_up_due is None  # two asked: the limit
    iv.advance()
    assert iv.index == 1
    assert sum(a.parent_id is not None for a in iv.answers) == 2


def test_rerecording_the_main_answer_does_not_use_up_a_follow_up(bank):
    iv = star_interview(bank, "one")
    answer(iv, bank, NO_RESULT)
    answer(iv, bank, NO_RESULT)  # a re-record replaces the take and chooses again
    assert len(iv.answers) == 1 and iv.follow_up_due == OUTCOME_PROBE
    iv.advance()
    assert iv.follow_up.number == 1 and iv.current.text == OUTCOME_PROBE


def test_cli_follow_ups_option(monkeypatch):
    from simulator.cli import main

    seen = {}
    monkeypatch.setattr("simulator.tui.launch.run_app", lambda plan, opts, **kw: seen.setdefault("plan", plan) and 0)
    assert main(["practice", "--role", "retail"]) == 0
    assert seen.pop("plan").follow_ups == "one"
    main(["drill", "--follow-ups", "3"])
    assert seen.pop("plan").follow_ups == 3
    main(["practice", "--follow-ups", "off"])
    assert seen.pop("plan").follow_ups == "off"
    assert main(["practice", "--follow-ups", "lots"]) != 0


# -- stored with the parent question's id -----------------------------------------------------------
def test_follow_up_answer_is_stored_with_its_parent_and_rescore_keeps_it(bank, tmp_path):
    from simulator.store import SessionStore
    from simulator.store.store import PARENT_QUESTION_KEY, parent_question_id

    iv = star_interview(bank, "one")
    main = iv.current
    answer(iv, bank, NO_RESULT)
    iv.advance()
    follow_up = iv.current
    answer(iv, bank, OUTCOME)
    assert iv.answers[1].parent_id == main.id
    with SessionStore.open(tmp_path / "sessions.db") as store:
        s = store.start_session(role="retail", mode="rehearsal")
        first = store.add_answer(s.id, main, iv.answers[0].report, None)
        second = store.add_follow_up_answer(s.id, follow_up, iv.answers[1].report, None, parent_id=main.id)
        assert parent_question_id(first) is None
        assert parent_question_id(second) == main.id and second.question.id == follow_up.id
        assert second.question.text == OUTCOME_PROBE
        # the link survives a rescore (a new report without it) and a fresh read
        new = store.replace_answer(second, typed_report(OUTCOME, None))
        assert parent_question_id(new) == main.id
        assert [parent_question_id(a) for a in store.answers(s.id)] == [None, main.id]
        assert PARENT_QUESTION_KEY not in iv.answers[1].report.options  # the caller's report is untouched


def test_session_log_saves_follow_ups_with_their_parent(bank, tmp_path):
    from simulator.store import SessionStore
    from simulator.store.store import parent_question_id
    from simulator.session.session_log import SessionLog

    iv = star_interview(bank, "one")
    main = iv.current
    with SessionStore.open(tmp_path / "sessions.db") as store:
        log = SessionLog(store)
        log.start(role="retail", mode="rehearsal", settings={"follow_ups": "one"}, engine="fake", model="x")
        answer(iv, bank, NO_RESULT)
        log.save(iv.current, iv.answers[-1].report, None)
        iv.advance()
        answer(iv, bank, OUTCOME)
        log.save(iv.current, iv.answers[-1].report, None, parent_id=iv.follow_up.parent.id)
        session = log.finish()
        answers = store.answers(session.id)
        assert [parent_question_id(a) for a in answers] == [None, main.id]
        assert session.settings["follow_ups"] == "one"


def test_update_session_settings_merges(tmp_path):
    from simulator.store import SessionStore

    with SessionStore.open(tmp_path / "sessions.db") as store:
        s = store.start_session(role="retail", mode="roleplay", settings={"roleplay": "x"})
        updated = store.update_session_settings(s.id, roleplay_result={"outcome": "resolved"})
        assert updated.settings == {"roleplay": "x", "roleplay_result": {"outcome": "resolved"}}
        assert store.get_session(s.id).settings == updated.settings
