"""Content engine on hand-written transcripts: every rubric, the traps, and the edge cases."""

from __future__ import annotations

import pytest

from simulator.rubric import CompanyProfile, load_bank, score_content

BANK = load_bank()


def score(text, **kw):
    return score_content(text, bank=BANK, **kw)


def known_miss(reason: str):
    """Both engines: the cue patterns must pass; the hybrid engine (the default) is known to miss
    this one, said as a strict xfail so that a refit that fixes it is noticed and the mark removed."""
    return pytest.mark.parametrize("engine", [
        "regex", pytest.param("hybrid", marks=pytest.mark.xfail(strict=True, reason=f"known miss by meaning: {reason}"))])


def test_options_like_is_an_option_not_a_filler():
    r = score("um i'd give them options like an exchange or store credit", rubric="de-escalation")
    assert r.criterion("options").met
    assert "exchange" in r.criterion("options").evidence.text


def test_i_like_helping_people_alone_is_vague():
    r = score("i like helping people", rubric="motivation")
    assert "vague" in r.flag_ids
    assert r.score < 20


def test_platitude_with_concrete_story_is_not_vague():
    text = ("i like helping people and in my last job at a phone shop i fixed a customer's broken setup "
            "and your posting mentions technical troubleshooting and i want to grow into a team lead")
    assert "vague" not in score(text, rubric="motivation").flag_ids


@pytest.mark.parametrize("text, flag", [
    ("i just need a job", "vague"),
    ("my last manager was terrible so i left", "negativity"),
    ("i'd make up an answer so they're not waiting", "bluffing"),
    ("the customer was wrong so i hung up", "blames_customer"),
    ("the salary is better and its close to my house", "extrinsic_motivation"),
])
def test_traps_raise_the_right_flag(text, flag):
    r = score(text, rubric="motivation" if flag in ("vague", "extrinsic_motivation") else "de-escalation")
    assert flag in r.flag_ids, r.red_flags
    hit = next(f for f in r.red_flags if f.id == flag)
    assert hit.evidence.text and hit.evidence.text in text


def test_negated_flag_does_not_fire():
    r = score("i would never hang up on a customer and i would never make up an answer", rubric="de-escalation")
    assert not {"blames_customer", "bluffing"} & r.flag_ids


def test_a_platitude_flagged_as_one_is_not_also_praised():
    """Stop 43: "✔ Relevance" and "! Platitudes with nothing concrete" quoted the same clause, and
    ``attempts`` offered it as the model outline."""
    r = score("um so like i think uh customer services you know um helping people. like uh making sure not to "
              "happen", rubric="about-yourself")
    assert "vague" in r.flag_ids and not any(c.met for c in r.criteria)


def test_praise_never_quotes_a_flagged_clause_nor_the_same_words_twice():
    """Stop 44's explorer: "because it pays two pounds more an hour" was praised as the scene and as a
    figure and flagged in one answer; one fragment was praised as the result and as the insight."""
    r = score("I applied to the shop because it pays two pounds more an hour. One day a customer lost her "
              "bag and I helped her find it, she was really happy and I learned to stay calm.", rubric="star")
    flagged = [f.evidence.text for f in r.red_flags]
    assert any("two pounds" in f for f in flagged)
    praise = [line.text for line in r.feedback if line.kind == "strength"]
    assert praise and not any("two pounds" in line for line in praise)
    quoted = [line.split("“", 1)[1] for line in praise if "“" in line]
    assert len(quoted) == len(set(quoted))


@pytest.mark.parametrize("text, blames", [
    # Stop 43: telling the customer it was not their fault raised "blames the customer".
    ("when the customer came back angry i told her it was not her fault at all apologised and swapped "
     "the blender the same day and she thanked me", False),
    ("i told him it was not his fault and we sorted it together", False),
    ("honestly it was her own fault for not reading the terms so i said no", True),
    ("she never reads the receipt her own fault so i said no", True),  # a "never" about her, not an exoneration
])
def test_saying_it_was_not_the_customers_fault_is_not_blame(text, blames):
    assert ("blames_customer" in score(text, rubric="star").flag_ids) is blames


@known_miss("one clause carries both the range and the research; it counts only for the nearer criterion")
def test_salary_rubric_does_not_punish_talking_about_pay(engine):
    r = score("based on my research im looking for between twenty eight and thirty thousand", rubric="salary",
              engine=engine)
    assert "extrinsic_motivation" not in r.flag_ids
    assert r.criterion("range").met and r.criterion("research").met


def test_policy_with_empathy_is_not_blaming():
    r = score("i understand why youre upset and im sorry but thats the policy so let me offer an exchange",
              rubric="de-escalation")
    assert "blames_customer" not in r.flag_ids


def test_star_story_with_all_parts_and_balance():
    text = ("at my last job a customer called about a double charge i needed to get her money back so i "
            "apologised and pulled up her account and raised a refund and emailed her the reference "
            "in the end she thanked me and stayed with us and i learned to always explain each step")
    r = score(text, rubric="star")
    assert r.met_ids == {"situation", "task", "action", "result", "insight"}
    assert r.balance is not None and 0.3 < r.balance.action_result_share <= 1
    assert all(c.evidence.text in text for c in r.criteria)


@pytest.mark.parametrize("engine", ["regex", "hybrid"])
def test_missing_result_gets_specific_feedback(engine):
    # Hybrid used to take the action "so i called housekeeping" for the result.
    r = score("when i worked at the hotel a guest was upset so i called housekeeping and i wrote a card",
              rubric="star", engine=engine)
    assert not r.criterion("result").met
    texts = " ".join(f.text for f in r.feedback)
    assert "result" in texts.lower()
    assert r.feedback[0].kind == "strength"
    assert 2 <= len(r.feedback) <= 5


@pytest.mark.parametrize("text", ["", "   ", "um uh", "yes"])
def test_empty_and_one_word_answers_are_not_assessable(text):
    r = score(text, rubric="star")
    assert r.assessable is False
    assert "could not assess" in r.reason
    assert r.score == 0 and not r.red_flags
    assert 2 <= len(r.feedback) <= 5


@pytest.mark.parametrize("text", [
    "hola me llamo juan y trabajo en una tienda de ropa desde hace tres años con clientes",
    "je travaille dans un magasin depuis trois ans et j'aime beaucoup aider les clients",
    "asdkjh qwpoe zxmcnb qweoiu asdlkj qwelkj zzxcv",
    "这是一个测试 我喜欢帮助客户 谢谢",
])
def test_non_english_or_garbage_is_not_assessable(text):
    r = score(text, rubric="definition")
    assert r.assessable is False
    assert "could not assess" in r.reason


LONG_STORY = ("um so at my last job a customer called really upset and i listened and apologised and i "
              "checked her account and offered a refund and in the end she thanked me and i learned a lot ")


def test_very_long_answer_is_assessable():
    """How long it takes is checked in tests/integration/test_time_bounds.py."""
    text = " ".join([LONG_STORY] * 80)  # about 3,000 words
    assert len(text.split()) >= 2900
    r = score(text, rubric="star")
    assert r.assessable and r.score > 50


def test_punctuation_does_not_change_the_judgement():
    plain = "i would say sorry and ask what happened then offer an exchange and follow up tomorrow"
    punct = "I would say sorry, and ask what happened. Then offer an exchange, and follow up tomorrow."
    a, b = score(plain, rubric="de-escalation"), score(punct, rubric="de-escalation")
    assert a.met_ids == b.met_ids


def test_deterministic():
    text = "to me customer service means making sure customers feel heard and they come back"
    assert score(text, rubric="definition") == score(text, rubric="definition")


def test_question_picks_its_rubric_and_prompt_is_inferred():
    assert score("i worked in retail for two years", question=BANK.get_question("five-years")).rubric == "five-years"
    assert score("i'd say sorry", prompt="A customer demands a refund outside policy").rubric == "de-escalation"
    assert score("i'd ask about training", prompt="Do you have any questions for us?").rubric == "closing"
    assert score("anything", prompt="Tell me about a time you went the extra mile").rubric == "star"


def test_job_terms_used_and_missed():
    jd = ("We are hiring for high-volume inbound calls. Technical troubleshooting and de-escalation "
          "skills required. High-volume inbound calls experience preferred.")
    company = CompanyProfile(name="Acme Mobile", values=("speed and precision",))
    r = score("i handled inbound calls all day and love troubleshooting and i admire acme mobile",
              rubric="motivation", job_description=jd, company=company)
    assert r.job_terms is not None
    assert "Acme Mobile" in r.job_terms.used
    assert "speed and precision" in r.job_terms.missed
    assert any("inbound" in t for t in r.job_terms.used)


def test_metrics_are_found():
    r = score("our first contact resolution went from seventy percent to 85 percent and csat rose",
              rubric="skills-metrics")
    found = " ".join(m.text for m in r.metrics_mentioned)
    assert "first contact resolution" in found and "85 percent" in found and "csat" in found


def test_to_dict_shape():
    r = score("i'd apologise and offer an exchange and get my manager if needed", rubric="de-escalation")
    d = r.to_dict()
    assert set(d) == {"content", "feedback"}
    for key in ("rubric", "criteria", "red_flags", "score", "balance", "job_terms"):
        assert key in d["content"]
    assert set(d["content"]["criteria"][0]) == {"id", "label", "met", "score", "evidence"}
    assert all(set(f) == {"kind", "text"} for f in d["feedback"])
    import json
    json.dumps(d)


@pytest.mark.parametrize("rubric", sorted(BANK.rubrics))
def test_every_rubric_scores_a_handwritten_answer(rubric):
    text = ("um so in my last job i worked on a support team for three years and i always listened first "
            "and asked questions and then i offered options and followed up by the end of the day")
    r = score(text, rubric=rubric)
    assert r.assessable and 0 <= r.score <= 100
    assert [c.id for c in r.criteria] == [c.id for c in BANK.rubrics[rubric].criteria]
    assert all((c.evidence is not None) for c in r.criteria if c.met)


# --- Generalisation rules (one weak cue never meets a criterion; words must carry the meaning) ---

def test_fillers_between_words_do_not_hide_a_cue():
    r = score("at my last job a customer was upset so i um called uh the warehouse and i uh rebooked the delivery "
              "and she was really happy", rubric="star")
    assert r.criterion("action").met
    assert r.criterion("result").met


STORY = ("A customer was angry because his order was late. My task was to calm him and get the order to him. "
         "I listened and{0} I apologized. And I{1} called the warehouse and found the order. He got it the next "
         "day and thanked me. I learned that listening first calms people down.")


@pytest.mark.parametrize("asides", [(", uh,", ", like,"), (", um,", ", you know,"), (", erm,", ", i mean,"),
                                    (", uh, um,", ", uh, like,")])
def test_a_story_with_fillers_set_off_by_commas_scores_as_without_them(asides):
    # Whisper sets a spoken filler off with commas. The clauses used to be cut at those commas, and the
    # action fell into slivers: "like, called the warehouse" was quoted as the situation, the action
    # met at 0.50 on "I listened and", and the balance note said 17% action where the same words typed
    # plainly gave 44%.
    plain, spoken = score(STORY.format("", ""), rubric="star"), score(STORY.format(*asides), rubric="star")
    assert spoken.score == plain.score
    for c in plain.criteria:
        assert spoken.criterion(c.id).score == pytest.approx(c.score, abs=0.01), c.id
    assert "like, called" not in spoken.criterion("situation").evidence.text


def test_a_comma_between_clauses_still_cuts_them_without_a_filler_in_it():
    from simulator.rubric.text import clauses, normalise

    text = "it was late, and the customer was angry, like, really angry"
    assert normalise(text).count(",") == 1  # the aside's commas went with it; the clause's comma stays
    assert [s.text for s in clauses(text, normalise(text))][0] == "it was late"


def test_naming_a_workplace_is_not_an_example():
    r = score("customer service is doing whatever the customer wants which at my last job was most of the time",
              rubric="definition")
    assert not r.criterion("example").met


def test_tautology_is_not_a_principle():
    r = score("customer service is customer service like you serve the customer basically", rubric="definition")
    assert not r.criterion("principle").met
    assert "vague" in r.flag_ids


def test_business_word_as_a_job_label_is_not_impact():
    r = score("customer service is fixing things properly and i also did some revenue reporting and worked in sales",
              rubric="definition")
    assert not r.criterion("business_impact").met


@pytest.mark.parametrize("engine", ["regex", "hybrid"])
def test_staying_calm_alone_is_not_empathy_and_customer_questions_are_not_clarifying(engine):
    r = score("i'd just stay calm and if they ask when the engineer is coming i'd tell them", rubric="de-escalation",
              engine=engine)
    assert not r.criterion("empathy").met
    assert not r.criterion("clarify").met


def test_generic_praise_of_the_company_is_not_research():
    r = score("your company is really well known and has a great reputation", rubric="motivation")
    assert not r.criterion("present").met
    r = score("i saw on your website that you train everyone in house", rubric="motivation")
    assert r.criterion("present").met


def test_fetching_a_supervisor_is_not_a_personal_action():
    r = score("one time a customer started shouting so i called my supervisor over and she dealt with it", rubric="star")
    assert not r.criterion("action").met


# --- Audit of issue 3: clause splitting, platitudes, degenerate answers, job terms ---

def test_clause_markers_are_whole_words():
    # "so" must not split "sorry", "some" or "solution"; "but" must not split "button".
    from simulator.rubric.text import clauses, normalise

    text = "i would listen and say sorry and offer a solution and some help but the button was broken"
    got = [s.text for s in clauses(text, normalise(text))]
    assert not any(s.startswith(("sorry", "some", "solution", "button")) for s in got), got
    assert any(s.startswith("but the button") for s in got), got


@pytest.mark.parametrize("text", [
    "i just really like helping people",
    "i love to help people",
    "honestly i genuinely enjoy working with customers",
])
def test_platitude_wordings_are_vague(text):
    assert "vague" in score(text, rubric="motivation").flag_ids


@pytest.mark.parametrize("text", ["the the the the the", "ok ok ok", "customer service customer service customer service"])
def test_repeating_one_or_two_words_is_not_assessable(text):
    r = score(text, rubric="definition")
    assert r.assessable is False and "could not assess" in r.reason
    assert r.score == 0 and not r.red_flags


def test_company_mission_words_are_job_terms_and_posting_boilerplate_is_not():
    company = CompanyProfile(name="Acme Mobile", mission="Keep every family connected")
    jd = "We are hiring! Skills: de-escalation. Hiring for inbound calls; inbound calls all day."
    r = score("i admire acme mobile and how you keep families connected and i love inbound calls",
              rubric="motivation", job_description=jd, company=company)
    assert "connected" in r.job_terms.used and "family" in r.job_terms.used
    assert not {"hiring", "skills"} & {t.lower() for t in (*r.job_terms.used, *r.job_terms.missed)}
    assert "inbound calls" in r.job_terms.used


# --- `interview-sim score --text`: the JSON contract and bad input ---

STAR_ANSWER = ("um so at my last job at a phone shop a customer came in really upset because her phone "
               "wouldnt connect and i needed to get it working before her trip so i apologised and i checked "
               "the settings and i called the network and got the sim activated and in the end she left happy "
               "and gave us a five star review and i learned to always check activation first")


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    from simulator.cli import main

    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(tmp_path / "data"))

    def run(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_cli_score_text_json_contract(cli, tmp_path):
    import json

    answer = tmp_path / "a.txt"
    answer.write_text(STAR_ANSWER, encoding="utf-8")
    jd = tmp_path / "jd.txt"
    jd.write_text("Phone shop advisor. Network activation and setup. Network activation every day.", encoding="utf-8")
    code, out, err = cli("score", "--text", str(answer), "--question", "proud-of-service", "--json",
                         "--job-description", str(jd))
    assert code == 0, err
    d = json.loads(out)
    c = d["content"]
    assert {"rubric", "criteria", "red_flags", "score", "balance", "job_terms"} <= set(c)
    assert c["rubric"] == "star" and [x["id"] for x in c["criteria"]] == ["situation", "task", "action", "result", "insight"]
    assert all(set(x) == {"id", "label", "met", "score", "evidence"} for x in c["criteria"])
    assert all(x["evidence"] in STAR_ANSWER for x in c["criteria"] if x["met"])
    assert set(c["balance"]) >= {"action_result_share", "context_share", "target", "verdict"}
    assert "network activation" in c["job_terms"]["used"]
    assert 2 <= len(d["feedback"]) <= 5 and d["feedback"][0]["kind"] == "strength"
    assert all(set(f) == {"kind", "text"} for f in d["feedback"])
    assert "five star" in c["metrics"]


def _one_line_error(result, needle):
    code, out, err = result
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert needle in lines[0], lines[0]


def test_cli_score_text_bad_input_is_one_line(cli, tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text(STAR_ANSWER, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    bad_company = tmp_path / "co.yaml"
    bad_company.write_text("name: [unclosed\n", encoding="utf-8")
    q = ("--question", "proud-of-service")
    _one_line_error(cli("score", "--text", str(tmp_path / "nope.txt"), *q), "no such file")
    _one_line_error(cli("score", "--text", str(empty), *q), "the answer is empty")
    _one_line_error(cli("score", "--text", str(tmp_path), *q), "is a folder")
    _one_line_error(cli("score", "--text", str(answer), "--question", "nope"), "no question with id 'nope'")
    _one_line_error(cli("score", "--text", str(answer), "--rubric", "nope"), "no rubric named 'nope'")
    _one_line_error(cli("score", "--text", str(answer), *q, "--job-description", str(tmp_path / "jd.txt")),
                    "no such file")
    _one_line_error(cli("score", "--text", str(answer), *q, "--job-description", str(empty)), "is empty")
    _one_line_error(cli("score", "--text", str(answer), *q, "--company", str(bad_company)), "starts on line 1")
    _one_line_error(cli("score", "--text", str(answer), *q, "--scenarios", str(tmp_path / "none")),
                    "no such file or folder")


def test_cli_score_text_unassessable_answer_says_so(cli, tmp_path):
    import json

    answer = tmp_path / "a.txt"
    answer.write_text("hola me llamo juan y trabajo en una tienda de ropa desde hace tres años", encoding="utf-8")
    code, out, _ = cli("score", "--text", str(answer), "--question", "why-work-here", "--json")
    assert code == 0
    c = json.loads(out)["content"]
    assert c["assessable"] is False and "could not assess" in c["reason"] and c["score"] == 0


def test_about_yourself_relevance_heard_in_a_role_like_this_one():
    """Found by hand in the app: the link to the role was said, but not as 'this role'."""
    text = ("um so i worked three years at a busy grocery store where i handled returns and complaints "
            "now i want a role like this one because you are known for fast friendly support")
    result = score_content(text, rubric="about-yourself")
    met = {c.id: c for c in result.criteria}
    assert met["relevance"].met and "like this one" in met["relevance"].evidence.text
    assert met["background"].met and not met["skills"].met


@pytest.mark.parametrize("engine", ["regex", "hybrid"])
def test_a_customers_pension_or_insurance_is_the_work_not_a_perk(engine):
    story = ("last winter an older customer called about his pension payment being late so i checked the "
             "transfer with the bank and rang him back the same day and he was really relieved")
    assert "extrinsic_motivation" not in {f.id for f in score(story, rubric="star", engine=engine).red_flags}
    about = ("i've spent three years on the claims line for a health insurance company helping members "
             "with their cover and i'm patient and clear on the phone")
    r = score(about, rubric="about-yourself", engine=engine)
    assert "extrinsic_motivation" not in {f.id for f in r.red_flags}


def test_the_employers_pension_as_the_reason_is_still_a_red_flag():
    r = score("honestly the main reason i applied is the good pension and the bonus", rubric="motivation",
              engine="regex")
    assert "extrinsic_motivation" in {f.id for f in r.red_flags}


@pytest.mark.parametrize("engine", ["regex", "hybrid"])
def test_denying_pay_as_the_reason_is_not_pay_as_the_reason(engine):
    """Stop 44's explorer: "Money is not the main reason for me" raised the pay flag, whose advice then
    recommended the answer's own next sentence. Saying it is the reason still raises it."""
    denied = ("Money is not the main reason for me. I want this position because I enjoy solving problems "
              "for customers, and your store is known for great service.")
    assert "extrinsic_motivation" not in {f.id for f in score(denied, rubric="motivation", engine=engine).red_flags}
    said = "Honestly the money is the main reason, and it pays two pounds more an hour."
    assert "extrinsic_motivation" in {f.id for f in score(said, rubric="motivation", engine=engine).red_flags}


@pytest.mark.parametrize("clause, quote", [
    ("and... Uh What I enjoy most is sorting out a problem", "What I enjoy most is sorting out a problem"),
    ("so, um, I rang the depot myself", "I rang the depot myself"),
    ("... uh, I stayed late", "I stayed late"),
    ("and I rang the depot myself", "and I rang the depot myself"),  # a connective that runs on is speech
    ("uh", "uh"),  # nothing would be left
    ("understand the customer", "understand the customer"),  # a word that starts like a hesitation
])
def test_a_quote_leaves_out_a_broken_off_start(clause, quote):
    from simulator.rubric.result import Evidence
    from simulator.rubric.text import Span

    answer = "We were busy. " + clause
    ev = Evidence.of(Span(14, len(answer), clause))
    assert ev.text == quote and answer[ev.start:ev.end] == quote


def test_evidence_quoted_in_a_scored_answer_starts_at_a_word():
    text = ("I have worked in retail for three years, first on the tills and then on the returns desk, and... "
            "Uh what I enjoy most is sorting out a problem for someone who came in upset and calming them down.")
    score = score_content(text, rubric="about-yourself")
    quotes = [c.evidence for c in score.criteria if c.met and c.evidence]
    assert quotes and all(text[e.start:e.end] == e.text for e in quotes)
    assert not any(e.text.lower().startswith(("and...", "uh", "and... uh")) for e in quotes), quotes


@pytest.mark.parametrize("clause, hypothetical", [
    ("first i would stay calm", True),
    ("i'd call a colleague to open a second till", True),
    ("so he wouldn't have to explain it all again", False),  # his, inside a story that happened
    ("i told him we would upgrade him to the suite", False),  # said, in a story
    ("or we'd be paying the chargebacks", False),  # what was at stake
    ("i'd already checked the tracking", False),  # "i had"
])
def test_what_the_speaker_would_do_is_told_apart(clause, hypothetical):
    from simulator.rubric.tense import is_hypothetical

    assert is_hypothetical(clause) is hypothetical


def test_a_hypothetical_answer_is_not_a_story_that_happened():
    """Stop 44's explorer: "First I would stay calm ... I would call a colleague ... Finally I would give
    them a clear time" scored 80/100 as a STAR story, with a situation, task and result quoted from it."""
    r = score("First I would stay calm and listen to the customer. If it is a quick return I would call a "
              "colleague to open a second till and thank him for their patience. Finally I would give them "
              "a clear time when it will be sorted.", rubric="star")
    met = {c.id for c in r.criteria if c.met}
    assert not {"situation", "task", "action", "result"} & met and r.score <= 25
    story = score("Last winter a customer's order went missing. I called the courier, found the parcel and "
                  "told her we would drive it over. She got it the same evening and left us a five star review.",
                  rubric="star")
    assert {"situation", "action", "result"} <= {c.id for c in story.criteria if c.met}
