"""Issue 16.2: a role-play is its own kind of session everywhere: history, the trend, the exports and
the per-question view report its outcome, mood trail, 3C checklist and debrief, never a turn judged
as an interview answer; typed role-plays are stored like spoken ones."""

from __future__ import annotations

import json
import re

import pytest

from simulator.cli import main
from simulator.report.html import render_html
from simulator.report.markdown import render_markdown
from simulator.report.session_json import session_to_dict
from simulator.store import SessionStore
from simulator.store.roleplays import ROLEPLAY_MODE, roleplay_record
from tests.unit.test_roleplay_cli import GOOD, run
from tests.unit.test_store_fakes import question, scored_answer


def play_typed(monkeypatch, capsys, *extra: str, stdin: str = GOOD):
    r = run(monkeypatch, capsys, "--scenario", "refund-outside-policy", "--text", *extra, stdin=stdin)
    assert r.returncode == 0, r.stderr
    return r


def stored_roleplay():
    with SessionStore.open() as store:
        (s,) = [s for s in store.list_sessions() if s.mode == ROLEPLAY_MODE]
        return s, store.answers(s.id)


def test_typed_roleplay_is_stored_like_a_spoken_one(monkeypatch, capsys):
    r = play_typed(monkeypatch, capsys)
    overall = int(re.search(r"score (\d+)/100", r.stdout).group(1))
    assert "Saved as session" in r.stdout
    session, answers = stored_roleplay()
    assert session.status == "complete" and session.settings["roleplay"] == "refund-outside-policy"
    result = session.settings["roleplay_result"]
    assert result["outcome"] == "resolved" and result["overall"] == overall
    assert len(result["mood_trail"]) == len(answers) + 1 and "criteria_met" in result and result["debrief"]
    assert [a.question.id for a in answers] == [f"roleplay:refund-outside-policy:{i}" for i in (1, 2, 3)]
    assert answers[0].question.text.startswith("This blender broke")  # the customer's opening line
    assert all(a.audio_path is None and a.rubric == "de-escalation" for a in answers)


def test_no_save_keeps_nothing_and_json_stays_one_object(monkeypatch, capsys):
    play_typed(monkeypatch, capsys, "--no-save")
    with SessionStore.open() as store:
        assert store.list_sessions() == []
    r = play_typed(monkeypatch, capsys, "--json")
    payload = json.loads(r.stdout)
    assert payload["outcome"] == "resolved" and payload["session"]
    assert "Saved as session" in r.stderr


@pytest.fixture
def mixed_history(monkeypatch, capsys):
    """One interview answer, then one typed role-play."""
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="rehearsal")
        store.add_answer(s.id, question(), *scored_answer())
        store.finish_session(s.id)
    play_typed(monkeypatch, capsys)
    return stored_roleplay()


def test_history_reports_the_debriefs_outcome_and_score_not_a_turn_mean(mixed_history, capsys):
    session, answers = mixed_history
    overall = session.settings["roleplay_result"]["overall"]
    turn_mean = sum(a.content.score for a in answers) / len(answers)
    assert round(turn_mean) != overall  # the figure the bug showed differs from the debrief's
    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    interview, roleplay = rows
    assert (roleplay["mode"], roleplay["outcome"], roleplay["roleplay_score"]) == ("roleplay", "resolved", overall)
    assert roleplay["content_score"] is None
    assert interview["outcome"] is None and interview["content_score"] is not None
    assert main(["history"]) == 0
    line = [x for x in capsys.readouterr().out.splitlines() if "roleplay" in x][0]
    assert f" {overall} " in line and "resolved" in line


def test_trend_and_attempts_per_question_leave_role_plays_out(mixed_history):
    from simulator.tui.widgets.trend import series, session_score

    with SessionStore.open() as store:
        summaries = store.summaries()
        asked = [qid for qid, _, _ in store.questions_answered()]
    assert len(series(summaries, "content_score")) == 1
    assert asked == [question().id]  # no customer lines
    assert session_score(summaries[1]).startswith("resolved ")


def test_exports_show_outcome_mood_trail_and_the_3c_checklist(mixed_history):
    session, answers = mixed_history
    result = session.settings["roleplay_result"]
    trail = " → ".join(str(m) for m in result["mood_trail"])
    md = render_markdown(session, answers)
    html = render_html(session, answers)
    for text in (md, html):
        assert "resolved" in text and trail in text
        assert "Empathy" in text and "Escalation" in text  # the 3C checklist, met and not
        assert "target 60" not in text and "too short" not in text  # no interview length verdicts
        assert "This blender broke" in text  # the customer's lines, as the conversation
    assert "## 3C across the conversation" in md and "- [x] Empathy" in md
    assert '<svg class="chart mood"' in html
    data = session_to_dict(session, answers)
    assert data["roleplay"]["outcome"] == "resolved" and data["roleplay"]["mood_trail"] == result["mood_trail"]
    assert {c["id"] for c in data["roleplay"]["checklist"]} >= {"empathy", "clarify", "options"}


def test_a_role_plays_red_flags_are_shown_by_their_labels(monkeypatch, capsys, private_data_dir):
    """The exports listed a role-play's red flags by id ("blames\\_customer" in Markdown; stop 43)."""
    play_typed(monkeypatch, capsys, stdin="That's your own fault, you should have read the receipt. Rules are rules.\n")
    session, answers = stored_roleplay()
    assert "blames_customer" in session.settings["roleplay_result"]["red_flags"]
    for text in (render_markdown(session, answers), render_html(session, answers)):
        assert "Blames the customer" in text and "blames_customer" not in text.replace("\\_", "_")


def test_an_interview_session_is_no_role_play(mixed_history):
    with SessionStore.open() as store:
        interview = store.list_sessions()[0]
        assert roleplay_record(interview, store.answers(interview.id)) is None
        assert "Rubric" in render_markdown(interview, store.answers(interview.id))


def test_a_take_the_microphone_cut_off_is_kept_but_not_counted_as_a_turn(private_data_dir):
    """The turn cut off by a lost microphone is stored as a take of its own; the turn said again is
    turn 1, and each turn keeps its own mood from the trail (stop 41 review: with both stored as
    turn 1, the report counted three turns for two and shifted every mood by one)."""
    from simulator.session.session_log import SessionLog  # noqa: PLC0415
    from simulator.store.roleplays import roleplay_cut_off_question, roleplay_turn_question  # noqa: PLC0415

    with SessionStore.open() as store:
        log = SessionLog(store)
        log.start(role="", mode=ROLEPLAY_MODE, settings={"roleplay": "refund-outside-policy"}, engine="fake",
                  model="fake")
        report, samples = scored_answer()
        position, writer = log.open_audio(roleplay_turn_question("refund-outside-policy", 1, "I want my money!"))
        writer.write(samples[:16000])
        log.save(roleplay_cut_off_question("refund-outside-policy", 1, "I want my money!"), report, samples[:16000],
                 position)
        for n, line in ((1, "I want my money!"), (2, "Fine, what then?")):
            position, writer = log.open_audio(roleplay_turn_question("refund-outside-policy", n, line))
            writer.write(samples)
            log.save(roleplay_turn_question("refund-outside-policy", n, line), report, samples, position)
        session = log.session
        store.update_session_settings(session.id, roleplay_result={"mood_trail": [20, 35, 49], "outcome": "resolved"})
        log.finish()
        session, answers = store.get_session(session.id), store.answers(session.id)
    assert len(answers) == 3 and all(a.audio_path is not None and a.audio_path.exists() for a in answers)
    rp = roleplay_record(session, answers)
    assert [(t.number, t.mood_after) for t in rp.turns] == [(1, 35), (2, 49)]
    assert [t.customer for t in rp.turns] == ["I want my money!", "Fine, what then?"]
    assert "- Turns: 2" in render_markdown(session, answers)
