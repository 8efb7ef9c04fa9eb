"""Every bundled role-play, driven with typed turns through good, bad and mixed paths.

Each path asserts the customer's reactions along the way (a line, a state, the mood's direction)
and the final outcome, so a change to cues, mood rules or a script shows up as a failed drill.
"""

from __future__ import annotations

import re

import pytest

from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.library import load_library
from simulator.rubric.models import ROLE_FAMILIES

LIB = load_library()
NOT_LISTENING = "not even listening"

# roleplay id -> path name -> (candidate turns, expected outcome, expected state after each turn)
PATHS: dict[str, dict[str, tuple[list[str], str, list[str]]]] = {
    "refund-outside-policy": {
        "good": ([
            "I'm so sorry, that sounds really frustrating. Can you tell me what happened?",
            "Thank you for explaining. I can offer you a replacement or store credit, which would you prefer?",
            "I'll put a replacement aside for you now and text you the confirmation within the hour",
        ], "resolved", ["explaining", "weighing_options", "resolved"]),
        "bad": ([
            "That's our policy, refunds are only within 30 days",
            "That's our policy, refunds are only within 30 days",
            "You should have read the receipt",
        ], "abandoned", ["venting", "wants_manager", "walked_out"]),
        "mixed": ([
            "Refunds are only within 30 days, that's the policy",
            "I'm really sorry, I can see why you're upset. When did it stop working",
            "I can offer you an exchange for a new one or store credit",
            "I'll have the new one ready for you by tomorrow morning",
        ], "resolved", ["venting", "explaining", "weighing_options", "resolved"]),
    },
    "billing-confusion-after-hold": {
        "good": ([
            "Oh I'm sorry you had to wait so long. Can you read me the line on the letter",
            "Thank you. That is an engineer visit fee. I can take it off your bill for you",
            "It will come off this month's bill. I will send you a letter by Friday",
        ], "resolved", ["explaining", "understanding", "resolved"]),
        "bad": ([
            "The charge is in our terms and conditions which you agreed to when you signed the contract and "
            "engineer visits are billable under section four unless the fault was on our network side which "
            "our records show it was not so the charge stands and it is not possible to remove it",
            "ok",
            "You should have read the terms",
        ], "abandoned", ["worried", "wants_someone_else", "hung_up"]),
        "mixed": ([
            "It's the policy",
            "I'm sorry, I went too fast. Do you have the letter with you",
            "I can take the charge off for you",
            "It will be gone by tomorrow, I will send you a letter too",
        ], "resolved", ["worried", "explaining", "understanding", "resolved"]),
    },
    "room-not-ready": {
        "good": ([
            "I'm so sorry, after an overnight flight that's the last thing you need. I can offer you our "
            "lounge with a shower and breakfast while we finish the suite",
            "Your suite will be ready by 1 pm and I will call you personally the moment it is",
        ], "resolved", ["considering", "resolved"]),
        "bad": ([
            "Check-in is at three, that's hotel policy",
            "I'm afraid I can't do anything about it",
            "I'll fetch the duty manager for you right away",
        ], "escalated", ["furious", "wants_manager", "escalated"]),
        "mixed": ([
            "Check-in is at three o'clock, those are the rules",
            "I understand, you've had a long night. I can store your luggage and give you lounge access",
            "Housekeeping will have it ready within the hour and I'll call you",
        ], "resolved", ["furious", "considering", "resolved"]),
    },
    "outage-admin": {
        "good": ([
            "I'm sorry, I understand your whole team is blocked. Is it every user, and are you signing in with SSO",
            "Thank you. There is a confirmed incident with single sign-on and our engineering team is working "
            "on it. As a workaround I can enable password login for your tenant",
            "I will email you an update every 30 minutes until it is fixed",
        ], "resolved", ["diagnosing", "reassured", "resolved"]),
        "bad": ([
            "Our SLA says we respond within four hours",
            "It's probably your Okta configuration",
            "Please calm down",
        ], "abandoned", ["venting", "demands_escalation", "gave_up"]),
        "mixed": ([
            "It's probably a problem on your side",
            "Sorry, I shouldn't guess. I'm escalating this to our incident team now",
            "I'll send you an update every 30 minutes with the status",
        ], "resolved", ["venting", "reassured", "resolved"]),
    },
    "password-reset-language-barrier": {
        "good": ([
            "Sorry, that is stressful. Is your phone with you now",
            "Okay. I can send you a link by text. One step",
            "Did you get the message? Click the link. You can pay rent today",
        ], "resolved", ["explaining", "following", "resolved"]),
        "bad": ([
            "For security reasons our policy is that after three unsuccessful authentication attempts the "
            "account is automatically locked and you will need to complete the identity verification process "
            "through the app or the website before the credentials can be reset by our systems team",
            "As I said it is the security policy",
            "...",
        ], "abandoned", ["lost", "wants_helper", "gave_up"]),
        "mixed": ([
            "For security reasons our policy is that after three unsuccessful authentication attempts the "
            "account is automatically locked and you need to complete the identity verification process "
            "through the app or the website before the credentials can be reset by our team",
            "Sorry. I go slow. Do you have your phone",
            "I can send a link by text",
            "Do you see the link? You can log in today",
        ], "resolved", ["lost", "explaining", "following", "resolved"]),
    },
    "stock-question-unknowable": {
        "good": ([
            "I don't know the restock date, but let me check with our buying team",
            "I will text you by tomorrow at noon with the date, and I can reserve a pair for you",
        ], "resolved", ["planning", "resolved"]),
        "bad": ([
            "They'll probably be back next week",
            "I'm sure they will be back, don't worry",
            "You should have bought them earlier",
            "ok",
        ], "abandoned", ["doubtful", "doubtful", "left"]),
        "mixed": ([
            "I think it's back next week",
            "Sorry, to be honest I don't know. I'll check with the buying team",
            "I'll call you by Thursday with the date",
        ], "resolved", ["doubtful", "planning", "resolved"]),
    },
}


def run(roleplay_id: str, turns: list[str]) -> RolePlaySession:
    rp = LIB.get_roleplay(roleplay_id)
    session = RolePlaySession(rp, LIB.persona_for(rp))
    for text in turns:
        if session.finished:
            break
        session.respond(text)
    return session


def test_every_role_family_has_a_roleplay_and_every_roleplay_has_paths():
    assert LIB.errors == []
    assert {rp.role for rp in LIB.roleplays.values()} >= set(ROLE_FAMILIES)
    assert set(PATHS) == set(LIB.roleplays)


@pytest.mark.parametrize(("roleplay_id", "path"), [(r, p) for r in PATHS for p in ("good", "bad", "mixed")])
def test_path_outcome_and_states(roleplay_id, path):
    turns, outcome, states = PATHS[roleplay_id][path]
    session = run(roleplay_id, turns)
    result = session.result()
    seen = [t.state for t in result.turns if t.speaker == "customer"][1:]
    assert (result.outcome, seen) == (outcome, states)
    assert session.finished


@pytest.mark.parametrize("roleplay_id", sorted(PATHS))
def test_good_path_calms_the_customer_and_scores_higher_than_bad(roleplay_id):
    good = run(roleplay_id, PATHS[roleplay_id]["good"][0]).result()
    bad = run(roleplay_id, PATHS[roleplay_id]["bad"][0]).result()
    start = good.turns[0].mood
    assert good.score.final_mood > start
    assert all(t.mood_delta > 0 for t in good.turns if t.speaker == "candidate")
    assert good.score.overall > bad.score.overall + 20
    assert bad.score.final_mood < start


@pytest.mark.parametrize("roleplay_id", ["refund-outside-policy", "room-not-ready", "outage-admin"])
def test_bare_policy_makes_the_customer_feel_unheard(roleplay_id):
    session = run(roleplay_id, [])
    reply = session.respond("That's our policy, I'm afraid")
    cand = session.candidate_turns[-1]
    assert "bare_policy" in cand.cues and cand.mood_delta < 0
    assert NOT_LISTENING in reply.text
    assert "quoted policy without acknowledging" in cand.feedback


def test_repeated_failures_make_the_customer_ask_for_a_manager_then_escalation_ends_it():
    session = run("refund-outside-policy", ["That is the policy", "It's still the policy"])
    assert session.state == "wants_manager"
    assert "manager" in session.turns[-1].text.lower()
    reply = session.respond("I understand. I'll get my manager for you now")
    assert session.outcome == "escalated" and "manager" in reply.text


def test_same_turns_same_conversation():
    turns = PATHS["room-not-ready"]["mixed"][0]
    a, b = run("room-not-ready", turns).result(), run("room-not-ready", turns).result()
    assert a.to_dict() == b.to_dict()


def test_running_out_of_turns_abandons_with_the_timeout_line():
    # Kind words that never get to an answer: each new, so the customer does not leave angry first (the
    # same line said again would take the mood down and end it sooner).
    rp = LIB.get_roleplay("stock-question-unknowable")
    lines = ["I understand you need them for the trip", "That sounds really stressful before a holiday",
             "I can see why this matters so much to you", "I hear you, the timing is awful",
             "It must be frustrating to come all this way", "I know how much you were counting on this",
             "That is a lot of pressure with the flight so close", "Nobody wants to travel without the right kit"]
    session = run(rp.id, lines[: rp.max_turns])
    assert session.outcome == "abandoned"
    assert session.turns[-1].text == rp.timeout_line


def test_a_slow_turn_is_over_time_and_total_time_limit_ends_the_drill():
    rp = LIB.get_roleplay("outage-admin")
    session = RolePlaySession(rp, LIB.persona_for(rp))
    session.respond("I'm sorry, is every user affected", elapsed_s=rp.turn_limit_s + 5)
    assert "over_time" in session.candidate_turns[-1].cues
    session.respond("Can you tell me when it started", elapsed_s=rp.total_limit_s)
    assert session.outcome == "abandoned"


def test_unfinished_when_turns_run_out_and_respond_after_end_is_refused():
    session = run("refund-outside-policy", PATHS["refund-outside-policy"]["good"][0][:1])
    assert session.result().outcome == "unfinished"
    done = run("refund-outside-policy", PATHS["refund-outside-policy"]["good"][0])
    with pytest.raises(ValueError, match="over"):
        done.respond("hello?")


def test_result_json_shape_and_debrief():
    result = run("refund-outside-policy", PATHS["refund-outside-policy"]["mixed"][0]).result()
    d = result.to_dict()
    assert d["outcome"] == "resolved"
    assert {"speaker", "text", "cues", "mood"} <= set(d["turns"][0])
    assert d["turns"][0]["speaker"] == "customer" and d["turns"][1]["speaker"] == "candidate"
    assert d["score"]["overall"] == result.score.overall and 0 <= result.score.overall <= 100
    assert d["debrief"][0].startswith("Turn 1: Escalated the customer")
    assert any(line.startswith("Turn 2: Calmed the customer") for line in d["debrief"])


# What each de-escalation criterion's advice line starts with (scenarios/rubrics/de-escalation.yaml).
ADVICE = {"empathy": "Start by acknowledging", "clarify": "Add a clarifying step",
          "options": "Offer the customer", "escalation": "Say when you would involve",
          "next_steps": "Finish by confirming"}
SHOWS = {"acknowledgement": "empathy", "apology": "empathy", "question": "clarify", "option": "options",
         "escalation": "escalation", "commitment": "next_steps"}


@pytest.mark.parametrize(("roleplay_id", "path"), [(r, p) for r in PATHS for p in ("good", "bad", "mixed")])
def test_overall_score_and_advice_agree_with_what_the_turns_did(roleplay_id, path):
    result = run(roleplay_id, PATHS[roleplay_id][path][0]).result()
    shown = {SHOWS[c] for t in result.turns if t.speaker == "candidate" for c in t.cues if c in SHOWS}
    assert shown <= set(result.score.criteria_met)
    advice = [line for line in result.debrief if not line.startswith(("Turn ", "Outcome:"))]
    for crit in shown:
        assert not any(line.startswith(ADVICE[crit]) for line in advice), (crit, advice)


def test_a_question_to_the_customer_counts_as_clarifying():
    # The rubric listens for "I'd ask them what happened"; in a drill the candidate asks the customer.
    result = run("refund-outside-policy", PATHS["refund-outside-policy"]["mixed"][0]).result()
    assert "clarify" in result.score.criteria_met
    assert result.score.de_escalation >= 70


def test_too_little_said_gets_roleplay_advice_not_an_answer_length():
    result = run("outage-admin", ["ok"]).result()
    assert result.score.de_escalation == 0
    assert not any("seconds" in line for line in result.debrief)
    assert any(line.startswith("Too little was said to judge de-escalation") for line in result.debrief)


@pytest.mark.parametrize("roleplay_id", sorted(PATHS))
def test_two_failures_in_a_row_make_every_customer_ask_for_someone_else(roleplay_id):
    session = run(roleplay_id, ["That's our policy, I'm afraid", "ok"])
    assert not session.finished and session.streak == 2
    line = session.turns[-1].text
    assert re.search(r"manager|supervisor|someone|other person", line, re.I), line


def test_unknowable_question_customer_asks_for_a_manager_and_escalation_ends_it():
    session = run("stock-question-unknowable", ["Our policy is we cannot give restock dates",
                                                "As I said, our policy is we cannot give restock dates"])
    assert session.state == "wants_manager" and "manager" in session.turns[-1].text
    session.respond("I understand. Let me get my manager, she can check with the buying team today")
    assert session.outcome == "escalated"


def test_a_turn_with_two_faults_does_not_get_the_same_stock_line_twice():
    rp = LIB.get_roleplay("stock-question-unknowable").model_copy(update={"always": ()})
    session = RolePlaySession(rp, LIB.persona_for(rp))
    first = session.respond("Our policy is we cannot give restock dates").text
    cand = session.candidate_turns[-1]
    second = session.respond("As I said, our policy is we cannot give restock dates").text
    assert "bare_policy" in cand.cues
    assert {"bare_policy", "repetition"} <= set(session.candidate_turns[-1].cues)
    assert first != second and "said that already" in second
