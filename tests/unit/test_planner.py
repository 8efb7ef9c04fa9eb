"""Issue 16.3: a session is a sensible interview, varied between sessions, fixed with a seed, and
``practice|drill --plan`` prints it without starting the app."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from simulator.cli import main
from simulator.rubric import load_bank
from simulator.rubric.models import ROLE_FAMILIES
from simulator.session.interview import Interview, Plan
from simulator.session.planner import PracticeHistory, Practised, plan_questions


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def kinds(questions) -> dict[str, bool]:
    return {
        "opener": any(q.category == "opener" for q in questions),
        "story": any(q.rubric == "star" for q in questions),
        "situational": any(q.category == "situational" for q in questions),
        "motivation": any(q.category == "motivation" or q.rubric == "motivation" for q in questions),
    }


@pytest.mark.parametrize("role", ROLE_FAMILIES)
@pytest.mark.parametrize("count", [4, 5, 8])
def test_a_session_is_a_sensible_interview(bank, role, count):
    pool = bank.questions_for(role=role)
    for i in range(20):
        qs = plan_questions(pool, count, role=role, rng=random.Random(i))
        assert len(qs) == count and len({q.id for q in qs}) == count
        assert all(kinds(qs).values()), [q.id for q in qs]
        assert qs[0].category == "opener"
        rubrics = Counter(q.rubric for q in qs)
        assert max(rubrics.values()) == 1, rubrics  # fewer questions than rubrics: no rubric twice


def test_retail_three_has_an_opener_and_a_story_and_no_two_on_one_rubric(bank):
    pool = bank.questions_for(role="retail")
    for i in range(30):
        qs = plan_questions(pool, 3, role="retail", rng=random.Random(i))
        k = kinds(qs)
        assert k["opener"] and k["story"] and (k["situational"] or k["motivation"])
        assert len({q.rubric for q in qs}) == 3
        assert [q.category for q in qs].count("definition") <= 1


def test_rubrics_repeat_only_when_the_count_exceeds_them(bank):
    pool = bank.questions_for(role="retail")
    n_rubrics = len({q.rubric for q in pool})
    qs = plan_questions(pool, n_rubrics, role="retail", rng=random.Random(1))
    assert len({q.rubric for q in qs}) == n_rubrics
    more = plan_questions(pool, n_rubrics + 3, role="retail", rng=random.Random(1))
    assert len(more) == n_rubrics + 3 and len({q.id for q in more}) == len(more)
    assert max(Counter(q.rubric for q in more).values()) == 2  # spread: no rubric a third time yet
    assert more[-1].category == "closing"  # "any questions for us?" comes last
    assert len(plan_questions(pool, 1000, rng=random.Random(1))) == len(pool)


def test_sessions_vary_without_a_seed_and_are_fixed_with_one(bank):
    pool = bank.questions_for(role="retail")
    plans = {tuple(q.id for q in plan_questions(pool, 5, role="retail")) for _ in range(10)}
    assert len(plans) > 3
    history = PracticeHistory({"tell-me-about-yourself": Practised(9, 10.0)})
    seeded = {tuple(q.id for q in plan_questions(pool, 5, role="retail", seed=7, history=h))
              for h in (None, history) for _ in range(3)}
    assert len(seeded) == 1
    # the bank's order does not matter either
    assert [q.id for q in plan_questions(list(reversed(pool)), 5, role="retail", seed=7)] == list(seeded.pop())


def test_history_prefers_what_was_not_practised_then_the_worst_scored(bank):
    pool = bank.questions_for(role="general")
    stories = [q for q in pool if q.rubric == "star"]
    practised = {q.id: Practised(2, 80.0) for q in stories[1:]}
    history = PracticeHistory(practised)
    for i in range(10):
        qs = plan_questions(pool, 5, history=history, rng=random.Random(i))
        assert stories[0] in qs  # the one story never answered
    # every story answered: the worst scored one is asked
    practised[stories[0].id] = Practised(2, 80.0)
    practised[stories[2].id] = Practised(2, 15.0)
    for i in range(10):
        qs = plan_questions(pool, 5, history=PracticeHistory(practised), rng=random.Random(i))
        assert stories[2] in qs


def test_history_from_answers():
    h = PracticeHistory.from_answers([("a", "star", 40.0), ("a", "star", 60.0), ("b", "definition", None)])
    assert h.of("a") == Practised(2, 50.0) and h.of("b") == Practised(1, None) and h.of("c") == Practised()
    assert h.rubric_scores == {"star": 50.0}


def test_interview_from_bank_uses_the_plan(bank):
    iv = Interview.from_bank(Plan(role="retail", count=4, seed=3), bank)
    assert [q.id for q in iv.questions] == \
           [q.id for q in plan_questions(bank.questions_for(role="retail"), 4, role="retail", seed=3)]
    assert all(kinds(iv.questions).values())


def test_plan_flag_prints_the_questions_without_starting_the_app(private_data_dir, monkeypatch, capsys):
    def no_app(*a, **k):
        raise AssertionError("--plan must not start the app")

    monkeypatch.setattr("simulator.tui.launch.run_app", no_app)
    for command in ("practice", "drill"):
        assert main([command, "--role", "retail", "--questions", "4", "--plan", "--json", "--seed", "2"]) == 0
        rows = json.loads(capsys.readouterr().out)
        assert [set(r) for r in rows] == [{"id", "rubric", "text"}] * 4
        assert rows[0]["id"] == "tell-me-about-yourself"
    assert main(["practice", "--role", "retail", "--questions", "4", "--plan", "--seed", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith(" 1. tell-me-about-yourself")
    assert not (private_data_dir / "sessions.db").exists()  # nothing stored


def test_plan_flag_prefers_questions_not_practised(private_data_dir, bank, capsys):
    from tests.unit.test_store_fakes import scored_answer

    from simulator.store import SessionStore

    pool = bank.questions_for(role="retail")
    motivation = [q for q in pool if q.category == "motivation" or q.rubric == "motivation"]
    report, samples = scored_answer()
    with SessionStore.open() as store:
        s = store.start_session(role="retail", mode="rehearsal")
        for q in motivation[1:]:
            store.add_answer(s.id, q, report, None)
        store.finish_session(s.id)
    for _ in range(5):
        assert main(["practice", "--role", "retail", "--questions", "4", "--plan", "--json"]) == 0
        ids = [r["id"] for r in json.loads(capsys.readouterr().out)]
        assert motivation[0].id in ids


def test_json_without_plan_is_a_usage_error(capsys):
    assert main(["practice", "--role", "retail", "--json"]) != 0
    err = capsys.readouterr().err
    assert "--json needs --plan" in err and "Traceback" not in err
