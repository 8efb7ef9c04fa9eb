"""Issue 16 item 6, headless: attempts at one question compared, and the model outline, over a real
SQLite store (report/progress.py and `interview-sim attempts`)."""

from __future__ import annotations

import json

import pytest

from simulator.cli import main as cli_main
from simulator.report.progress import compare_attempts, model_outline, progress_from_bank, short_label
from simulator.report.progress_text import NOTHING_TO_COMPARE, progress_lines
from simulator.rubric import load_bank
from simulator.store import SessionStore
from tests.attempts_seed import PAY_QUOTE, RELEVANCE_QUOTE, SKILLS_QUOTE, TEXTS, seed_attempts
from tests.tui.seed import QUESTION, spoken_answer


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture
def db(private_data_dir):
    return private_data_dir / "sessions.db"


def attempts(db, question=QUESTION):
    with SessionStore.open(db) as store:
        return store.attempts(question)


def test_three_attempts_show_what_was_added_and_dropped(db, bank):
    seed_attempts(db, bank)
    answers = attempts(db)
    assert len(answers) == 3
    first, second = compare_attempts(answers)
    assert (first.before, first.after, second.before, second.after) == (1, 2, 2, 3)
    assert (first.score_before, first.score_after) == (answers[0].content.score, answers[1].content.score)

    added = {c.id: c for c in first.criteria}
    assert set(added) == {"skills", "relevance"} and all(c.change == "added" for c in added.values())
    assert SKILLS_QUOTE in added["skills"].evidence  # quoted from the later attempt
    [flag] = first.flags
    assert (flag.id, flag.change) == ("extrinsic_motivation", "appeared") and PAY_QUOTE in flag.evidence

    [dropped] = second.criteria
    assert (dropped.id, dropped.change) == ("skills", "dropped")
    assert SKILLS_QUOTE in dropped.evidence  # what they said before and left out this time
    [gone] = second.flags
    assert (gone.id, gone.change) == ("extrinsic_motivation", "gone")
    assert set(second.kept) == {"Background", "Relevance"}

    pace = {d.metric: d for d in first.delivery}
    assert set(pace) >= {"pace", "fillers", "long_pauses", "length"}
    assert pace["pace"].before.startswith(f"{answers[0].delivery.wpm:.0f} wpm")
    assert pace["pace"].after.startswith(f"{answers[1].delivery.wpm:.0f} wpm")
    assert pace["long_pauses"].before == "0" and pace["long_pauses"].after == "1"
    assert pace["long_pauses"].better is False  # a new long pause is worse
    assert "target 45–90 s" in pace["length"].label


def test_lines_name_changes_with_their_quotes_oldest_first(db, bank):
    seed_attempts(db, bank)
    lines = progress_lines(progress_from_bank(QUESTION, attempts(db), bank))
    text = [t for _k, t in lines]
    kinds = [k for k, _t in lines]
    assert [t.split()[0] for t in text if t.startswith("#")] == ["#1", "#2", "#3"]
    assert text.index("Attempt 1 → 2: content 33 → 85") < text.index("Attempt 2 → 3: content 85 → 67")
    assert any(t.startswith("+ now met: Skills") and SKILLS_QUOTE in t for t in text)
    assert any(t.startswith("- no longer met: Skills") and SKILLS_QUOTE in t for t in text)
    assert any(t.startswith("! new red flag: Pay") for t in text)
    assert any(t.startswith("+ red flag gone: Pay") for t in text)
    assert kinds.count("added") == 2 and kinds.count("dropped") == 1
    assert NOTHING_TO_COMPARE not in text


def test_outline_quotes_the_best_words_and_prefers_words_without_a_red_flag(db, bank):
    seed_attempts(db, bank)
    outline = {o.criterion_id: o for o in model_outline(attempts(db), bank.get_rubric("about-yourself"))}
    assert list(outline) == ["background", "skills", "relevance"]  # the rubric's order
    assert outline["skills"].attempt == 2 and SKILLS_QUOTE in outline["skills"].quote
    # attempt 2 met "relevance" with the pay line (a red flag); the outline quotes attempt 3 instead
    assert outline["relevance"].attempt == 3 and RELEVANCE_QUOTE in outline["relevance"].quote
    assert outline["skills"].line().startswith("Skills — yours: “")
    assert outline["skills"].line().endswith("(attempt 2)")


def test_one_attempt_has_nothing_to_compare_but_an_outline_with_the_rubrics_advice(db, bank):
    seed_attempts(db, bank, texts=TEXTS[:1])
    progress = progress_from_bank(QUESTION, attempts(db), bank)
    assert not progress.comparable and progress.steps == ()
    text = [t for _k, t in progress_lines(progress)]
    assert NOTHING_TO_COMPARE in text
    rubric = bank.get_rubric("about-yourself")
    skills = rubric.criterion("skills")
    assert f"{short_label(skills.label)} — not said yet: {skills.advice}" in text  # the rubric's own words
    assert any(t.startswith("Background — yours: “I worked at a call centre") for t in text)


def test_rescored_originals_are_not_attempts_and_typed_answers_skip_delivery(db, bank):
    seed_attempts(db, bank, texts=TEXTS[:2])
    with SessionStore.open(db) as store:
        old = store.attempts(QUESTION)[1]
        _q, report, _audio = spoken_answer(bank, words=TEXTS[2].split())
        store.replace_answer(old, report)  # a rescore: the original is kept, superseded
        s = store.start_session(role="call-centre", mode="rehearsal")
        _q, typed, _audio = spoken_answer(bank, words=TEXTS[1].split())
        store.add_answer(s.id, bank.get_question(QUESTION), typed, None)  # no recording: typed
        answers = store.attempts(QUESTION)
    assert len(answers) == 3 and answers[1].content.met_ids == {"background", "relevance"}
    last = compare_attempts(answers)[-1]
    assert last.delivery == () and "typed" in last.note
    assert {c.id for c in last.criteria} == {"skills"}  # content is still compared


def test_different_rubrics_are_not_compared_criterion_by_criterion(db, bank):
    seed_attempts(db, bank, texts=TEXTS[:2])
    answers = attempts(db)
    from dataclasses import replace  # noqa: PLC0415

    other = replace(answers[1], content=replace(answers[1].content, rubric="star"))
    [step] = compare_attempts([answers[0], other])
    assert step.criteria == () and "different rubrics" in step.note


# -- the command ------------------------------------------------------------------------------------


def test_cli_attempts_prints_changes_and_outline(db, bank, private_data_dir, capsys):
    seed_attempts(db, bank)
    assert cli_main(["attempts", QUESTION]) == 0
    out = capsys.readouterr().out
    assert "+ now met: Skills" in out and "- no longer met: Skills" in out
    assert "Model outline from your own words" in out and "Relevance — yours:" in out
    assert cli_main(["attempts", QUESTION, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["number"] for a in data["attempts"]] == [1, 2, 3]
    [dropped] = data["changes"][1]["criteria"]
    assert (dropped["id"], dropped["change"]) == ("skills", "dropped") and SKILLS_QUOTE in dropped["evidence"]
    assert [o["criterion_id"] for o in data["outline"]] == ["background", "skills", "relevance"]
    assert cli_main(["attempts"]) == 0
    assert QUESTION in capsys.readouterr().out


def test_cli_one_attempt_says_nothing_to_compare_and_shows_the_outline(db, bank, capsys):
    seed_attempts(db, bank, texts=TEXTS[:1])
    assert cli_main(["attempts", QUESTION]) == 0
    out = capsys.readouterr().out
    assert NOTHING_TO_COMPARE in out and "Skills — not said yet:" in out


@pytest.mark.parametrize("question", ["no-such-question", "roleplay:refund-outside-policy:1"])
def test_cli_unknown_question_is_one_line_and_nonzero(db, bank, capsys, question):
    seed_attempts(db, bank, texts=TEXTS[:1])
    code = cli_main(["attempts", question])
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert code != 0 and len(err) == 1 and question in err[0] and captured.out == ""
