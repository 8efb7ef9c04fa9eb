"""What the customer hears in one candidate turn (moves by meaning, facts by rule), and how the
customer's mood moves."""

from __future__ import annotations

import pytest

from simulator.roleplay.hearing import hear_turn
from simulator.roleplay.models import Temperament
from simulator.roleplay.mood import level, move_mood


@pytest.mark.parametrize(("text", "cue"), [
    ("I completely understand why you're upset", "acknowledgement"),
    ("That must be really frustrating", "acknowledgement"),
    ("I'm so sorry about that", "apology"),
    ("oh no, i am really sorry, five weeks is not long for a blender", "apology"),
    ("no no i'm so sorry about that", "apology"),
    ("i will have it packed and ready at the front desk for you by five this evening", "commitment"),
    ("i'll ring you back this afternoon once the courier confirms", "commitment"),
    ("can you tell me your order number", "question"),
    ("when did it stop working", "question"),
    ("what happened when you tried to log in", "question"),
    ("Is your phone with you now", "question"),
    ("Did that work?", "question"),
    ("I can offer you an exchange or store credit", "option"),
    ("would you prefer a callback", "option"),
    ("I'll ask my supervisor to approve it", "escalation"),
    ("let me bring in our engineering team", "escalation"),
    ("I will call you back by tomorrow", "commitment"),
    ("you'll get an email within 24 hours", "commitment"),
    ("I'll send you an update every 30 minutes", "commitment"),
    ("I don't know, but let me find out", "find_out"),
    ("It'll probably be fine", "bluff"),
    ("You should have read the terms", "blame"),
    ("what bit of no refunds is confusing you", "blame"),
    ("Honestly that's your own fault for not reading the receipt", "blame"),
    ("It's not my fault the policy says thirty days", "blame"),
    ("That's our policy", "bare_policy"),
    # A bare "I understand, but" is the hollow phrase customer-service coaching warns against: the
    # "but" takes back the understanding and the customer hears the rule. Named feeling or
    # consequence ("how frustrating this is") is what acknowledges them (test_cue_not_found).
    ("I understand, but that is our policy", "bare_policy"),
    ("i hear you but rules are rules", "bare_policy"),
    ("ok", "nothing_new"),
    ("", "silence"),
])
def test_cue_found(text, cue):
    assert cue in hear_turn(text).cues


@pytest.mark.parametrize(("text", "cue"), [
    ("What I can do is offer you a replacement", "question"),   # a statement, not a question
    pytest.param("I understand how frustrating this is, but that is our policy", "bare_policy",
                 marks=pytest.mark.xfail(strict=False, reason=(
                     "a close call that depends on the CPU: its empathy clause scores +0.155 against the "
                     "line +0.162 on an AMD EPYC (the encoder multiplies in int8, accuracy_level 4), and "
                     "was above the line on the machine of stop 30"))),
    ("I completely understand why you're upset, but that is our policy", "bare_policy"),  # policy with empathy
    ("We can't offer a refund", "option"),                       # a refused option is no option
    ("I'm sorry, you should check the terms yourself", "nothing_new"),
    ("You should have called us within 24 hours", "commitment"),  # said in the words that blame
    ("I'm not sure, I'll check with the team and I'm sure it's in stock", "bluff"),
    ("what bit of no refunds is confusing you", "question"),    # asked to put them down: blame
    ("did you even look at the email we sent", "question"),
    ("did you actually get a confirmation email", "blame"),      # a real question
    # Telling the customer it is not their fault was heard as blame, every time, and the customer
    # escalated (stop 43, a helper trying the app).
    ("I'm so sorry, it is not your fault at all. I can give you a new blender right now.", "blame"),
    ("It isn't your fault, none of this is your fault", "blame"),
    ("That was never your fault, and no one is blaming you", "blame"),
])
def test_cue_not_found(text, cue):
    assert cue not in hear_turn(text).cues


def test_a_good_turn_said_again_calms_no_one():
    # Found trying the CLI as a user: the same empathic offer said six times took the mood from 20 to 100
    # while the customer answered "You already said that".
    from simulator.roleplay.models import Temperament
    from simulator.roleplay.mood import move_mood

    said = "I am sorry, I can offer a refund or store credit, which would you prefer?"
    first, again = hear_turn(said), hear_turn(said, [said])
    assert {"apology", "option"} <= set(first.cues)
    assert "repetition" in again.cues and not {"acknowledgement", "apology", "question", "option"} & set(again.cues)
    assert move_mood(60, again.cues, Temperament()).delta < 0
    # What a repeat adds is heard: the same offer, now with a manager brought in.
    more = hear_turn(said + " Or I can bring in my manager right now to look at it.", [said])
    assert "repetition" in more.cues and "escalation" in more.cues and "option" not in more.cues
    assert "escalation" in more.criteria and "options" not in more.criteria


def test_repetition_against_earlier_turns_and_long_turn():
    said = "Refunds are only possible within thirty days of purchase"
    assert "repetition" in hear_turn("refunds are only possible within 30 days of purchase", [said]).cues
    assert "repetition" not in hear_turn("I can offer you store credit instead", [said]).cues
    assert "long_turn" in hear_turn("word " * 60).cues


def test_evidence_quotes_the_candidate():
    found = hear_turn("Honestly, I'm sorry. Can you tell me your order number")
    assert found.evidence["apology"] == "sorry"
    assert found.evidence["question"].lower().startswith("can you tell me")


def test_mood_moves_by_rules_and_temperament():
    calm = move_mood(20, ("acknowledgement", "apology", "option"), Temperament())
    assert calm.after == 20 + 15 + 14  # empathy capped at 15
    hot = move_mood(20, ("bare_policy", "nothing_new"), Temperament(heats_by=1.5))
    assert hot.after == 0  # clamped; nothing_new is not counted on top of bare policy
    assert hot.raw == -27 and hot.delta == -20
    custom = move_mood(50, ("long_turn",), Temperament(cue_weights={"long_turn": -20}))
    assert custom.after == 30
    assert "you quoted policy without acknowledging" in hot.explain()
    assert calm.explain().startswith("Calmed the customer (+29)")


def test_levels():
    assert [level(m) for m in (0, 25, 50, 70, 95)] == ["furious", "angry", "tense", "calming", "calm"]


def test_a_bad_turn_at_the_bottom_of_the_meter_is_not_called_no_change():
    """At mood 0 the meter cannot fall: the debrief said "No change in the customer's mood: ... Two
    turns in a row made things worse" (hands-on review). It says the turn made things worse."""
    from simulator.roleplay.mood import MoodMove  # noqa: PLC0415

    floor = MoodMove(before=0, after=0, parts=(("bare_policy", -12),))
    assert floor.explain().startswith("Made things worse (-12")
    top = MoodMove(before=100, after=100, parts=(("acknowledgement", 8),))
    assert top.explain().startswith("Kept the customer calm")
    assert MoodMove(before=40, after=40, parts=()).explain().startswith("No change")
