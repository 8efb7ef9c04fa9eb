"""Interviewer follow-ups: each rule branch, the off/one/N modes, and no repeats."""

from __future__ import annotations

import pytest

from simulator.roleplay.followups import (
    EXAMPLE_PROBE, FLAG_PROBES, OUTCOME_PROBE, choose_follow_up, follow_up_limit,
)
from simulator.rubric.models import Question
from simulator.rubric.result import ContentScore, CriterionResult, Evidence, RedFlagHit, StarBalance

STAR_Q = Question(id="angry-time", text="Tell me about a time you handled an angry customer.",
                  category="behavioural", rubric="star", target_s=(60, 120), tips=["STAR"],
                  follow_ups=["What would you do differently next time?", "How did your manager react?"])
DEF_Q = Question(id="what-is-cs", text="What is customer service to you?", category="definition",
                 rubric="definition", target_s=(30, 60), tips=["Give an example"],
                 follow_ups=["How does that show up on a busy day?"])


def score(rubric: str, met: dict[str, bool], value: int = 50, flags: tuple[str, ...] = (),
          assessable: bool = True) -> ContentScore:
    crits = tuple(CriterionResult(cid, cid, ok, 1.0 if ok else 0.0, None) for cid, ok in met.items())
    hits = tuple(RedFlagHit(f, f, Evidence("that's their problem", 0, 20)) for f in flags)
    balance = StarBalance(0.6, 0.3, 0.1) if rubric == "star" else None
    return ContentScore(rubric, crits, hits, value, assessable, balance=balance)


STAR_ALL = {"situation": True, "task": True, "action": True, "result": True, "insight": True}


def test_star_story_without_result_asks_for_the_outcome():
    s = score("star", {**STAR_ALL, "result": False})
    assert choose_follow_up(STAR_Q, s) == OUTCOME_PROBE == "What was the outcome for the customer?"


def test_no_example_asks_for_one():
    s = score("definition", {"principle": True, "example": False, "business_impact": True})
    assert choose_follow_up(DEF_Q, s) == EXAMPLE_PROBE == "Can you give me a specific example?"


def test_red_flag_comes_first_with_a_probing_question():
    s = score("star", {**STAR_ALL, "result": False}, flags=("blames_customer",))
    assert choose_follow_up(STAR_Q, s) == FLAG_PROBES["blames_customer"]
    assert choose_follow_up(STAR_Q, score("star", STAR_ALL, flags=("unheard_of",))).endswith("?")


def test_strong_answer_gets_a_deeper_probe_from_the_question():
    s = score("star", STAR_ALL, value=85)
    assert choose_follow_up(STAR_Q, s) == STAR_Q.follow_ups[0]


def test_a_question_never_asks_for_what_the_answer_already_gave():
    """A strong story whose result was met was asked the bank's own "What was the outcome for the
    customer?" (stop 43, a helper in the app, 2 of 2)."""
    asks_again = Question(id="proud", text="Tell me about a time you were proud of your service.",
                          category="behavioural", rubric="star", target_s=(60, 120), tips=["STAR"],
                          follow_ups=["What was the outcome for the customer?", "What happened afterwards?",
                                      "Can you give me an example of that at work?", "What did you say first?"])
    assert choose_follow_up(asks_again, score("star", STAR_ALL, value=100)) == "What did you say first?"
    without_result = score("star", {**STAR_ALL, "result": False}, value=75)
    assert choose_follow_up(asks_again, without_result) == OUTCOME_PROBE  # still asked when it is missing
    # A probe for a new story is no request for the example already given (the review of stop 43).
    new_story = Question(id="busy", text="How do you handle a busy queue?", category="behavioural", rubric="star",
                         target_s=(60, 120), tips=["STAR"], follow_ups=["Tell me about the busiest shift you've worked."])
    assert choose_follow_up(new_story, score("star", STAR_ALL, value=100)) == new_story.follow_ups[0]
    vague = score("star", STAR_ALL, value=40, flags=("vague",))
    assert choose_follow_up(new_story, vague) == FLAG_PROBES["vague"]


def test_unassessable_answer_asks_for_an_example():
    s = score("star", dict.fromkeys(STAR_ALL, False), value=0, assessable=False)
    assert choose_follow_up(STAR_Q, s) == EXAMPLE_PROBE


def test_modes_off_one_and_n_and_no_repeats():
    s = score("star", STAR_ALL, value=85)
    assert choose_follow_up(STAR_Q, s, mode="off") is None
    first = choose_follow_up(STAR_Q, s, mode="one")
    assert choose_follow_up(STAR_Q, s, mode="one", asked=[first]) is None
    second = choose_follow_up(STAR_Q, s, mode=2, asked=[first])
    assert second == STAR_Q.follow_ups[1] != first
    assert choose_follow_up(STAR_Q, s, mode="3", asked=STAR_Q.follow_ups) is None  # nothing left to ask


def test_without_a_question_and_middling_answer_probe_the_weakest_criterion():
    s = score("de-escalation", {"empathy": True, "clarify": True, "options": True, "escalation": True,
                                "next_steps": False}, value=60)
    assert choose_follow_up(None, s) == "How would you close the conversation and confirm the next steps?"


def test_follow_up_limit_parsing():
    assert [follow_up_limit(m) for m in ("off", "one", 3, "2")] == [0, 1, 3, 2]
    with pytest.raises(ValueError, match="follow-up mode"):
        follow_up_limit("lots")


@pytest.mark.parametrize("engine", ["regex", "hybrid"])
def test_with_the_real_engine(engine):
    # Hybrid used to take "last year a customer called" for the result (star.yaml: the result comes
    # after an action).
    from simulator.rubric import score_content  # noqa: PLC0415

    story = ("Last year a customer called because her order was late. I apologised, checked the tracking "
             "and arranged a courier.")
    result = score_content(story, rubric="star", engine=engine)
    assert choose_follow_up(STAR_Q, result) in (OUTCOME_PROBE, EXAMPLE_PROBE, *FLAG_PROBES.values())
