"""The bundled question bank and its loader: completeness, validation errors, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.paths import bundled_scenarios_dir
from simulator.rubric import load_bank
from simulator.rubric.models import CATEGORIES, ROLE_FAMILIES

BANK = load_bank()


def test_bundled_bank_loads_cleanly():
    assert BANK.errors == []
    assert len(BANK.questions) >= 40
    for rid in ("star", "de-escalation", "motivation", "definition"):
        assert rid in BANK.rubrics
    assert [c.id for c in BANK.rubrics["star"].criteria] == ["situation", "task", "action", "result", "insight"]
    assert [c.id for c in BANK.rubrics["de-escalation"].criteria] == [
        "empathy", "clarify", "options", "escalation", "next_steps"]
    assert [c.id for c in BANK.rubrics["motivation"].criteria] == ["past", "present", "future"]
    assert [c.id for c in BANK.rubrics["definition"].criteria] == ["principle", "example", "business_impact"]
    assert {"extrinsic_motivation", "negativity", "vague", "blames_customer", "bluffing"} <= set(BANK.red_flags)


def test_seed_questions_present():
    texts = " | ".join(q.text.lower() for q in BANK.questions.values())
    for phrase in ("tell me about yourself", "confidential or sensitive", "questions for us",
                   "first-call resolution", "language barrier", "five years", "salary expectations",
                   "refund outside policy", "why should we hire you", "don't know the answer"):
        assert phrase in texts, phrase


def test_every_role_family_and_many_categories():
    roles = {r for q in BANK.questions.values() for r in q.roles}
    assert roles == set(ROLE_FAMILIES)
    cats = {q.category for q in BANK.questions.values()}
    assert cats == set(CATEGORIES)
    for role in ROLE_FAMILIES:
        assert BANK.questions_for(role)


def _write(dir: Path, name: str, text: str) -> Path:
    p = dir / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """kind: questions
role: retail
questions:
  - id: my-question
    text: What is your favourite product?
    category: culture-fit
    rubric: motivation
    target_s: [30, 60]
    tips: [Be specific]
    follow_ups: ["Why?"]
"""


def test_broken_file_reports_file_field_and_line_and_rest_loads(tmp_path):
    _write(tmp_path, "good.yaml", GOOD)
    _write(tmp_path, "bad.yaml", GOOD.replace("my-question", "other").replace("culture-fit", "nonsense"))
    bank = load_bank([tmp_path])
    assert "my-question" in bank.questions and "other" not in bank.questions
    assert "tell-me-about-yourself" in bank.questions
    (err,) = bank.errors
    assert err.path.name == "bad.yaml" and err.field == "questions[0].category" and err.line == 6
    assert "bad.yaml:6: questions[0].category" in str(err)


def test_unknown_rubric_and_bad_yaml_and_bad_regex(tmp_path):
    _write(tmp_path, "a.yaml", GOOD.replace("rubric: motivation", "rubric: nope"))
    _write(tmp_path, "b.yaml", "kind: questions\nrole: [unclosed\n")
    _write(tmp_path, "c.yaml", "kind: rubric\nrubric:\n  id: x\n  label: X\n  criteria:\n"
           "    - id: c\n      label: C\n      praise: p\n      advice: a\n      cues: ['(oops']\n")
    bank = load_bank([tmp_path], include_default=False)
    by_name = {}
    for e in bank.errors:
        by_name.setdefault(e.path.name, e)
    assert "unknown rubric 'nope'" in by_name["a.yaml"].message and by_name["a.yaml"].line == 7
    assert "not valid YAML" in by_name["b.yaml"].message and by_name["b.yaml"].line
    assert "bad cue pattern" in by_name["c.yaml"].message and by_name["c.yaml"].line == 10


def test_future_kinds_are_skipped(tmp_path):
    _write(tmp_path, "p.yaml", "kind: persona\nid: angry\n")
    assert load_bank([tmp_path], include_default=False).errors == []


def test_cli_validate_list_show(tmp_path, capsys):
    from simulator.cli import main

    assert main(["scenarios", "validate"]) == 0
    _write(tmp_path, "bad.yaml", GOOD.replace("target_s: [30, 60]", "target_s: [60, 30]"))
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out, err = capsys.readouterr()
    line = [l for l in out.splitlines() if "bad.yaml" in l]
    assert len(line) == 1 and "target_s" in line[0] and ":8:" in line[0]
    assert main(["scenarios", "list", "--role", "hospitality"]) == 0
    assert "room-not-ready" in capsys.readouterr().out
    assert main(["scenarios", "show", "star-nope"]) == 1
    assert main(["scenarios", "show", "refund-outside-policy"]) == 0
    assert "next_steps" in capsys.readouterr().out


# --- Audit of issue 3: every seed question, by id; error messages; user folders ---

# Every interview question in the four seed articles (../shared/seeds, never read at test time),
# quoted, with the bank question that asks it and words its text must keep.
SEED_QUESTIONS = [
    ("Tell me about yourself.", "tell-me-about-yourself", "about yourself"),
    ("How do you handle high-pressure situations or a fast-paced customer service environment?",
     "high-pressure", "high-pressure"),
    ("How would you define customer service?", "define-customer-service", "define customer service"),
    ("What is customer service? / What does customer service mean to you?", "what-does-service-mean", "mean to you"),
    ("How do you define a successful customer interaction?", "successful-interaction", "successful customer interaction"),
    ("Why should we hire you?", "why-hire-you", "hire you"),
    ("What interests you about this role?", "what-interests-you", "interests you"),
    ("Why do you want to work here?", "why-work-here", "work here"),
    ("Why are you interested in this customer service position?", "why-this-position", "this customer service position"),
    ("Can you tell me about a time you were proud of the customer service you gave?", "proud-of-service", "proud"),
    ("How would your friends describe you?", "friends-describe-you", "friends"),
    ("What are your strengths and weaknesses?", "strengths-weaknesses", "strengths and weaknesses"),
    ("How would you handle a customer who asked a question you don't know the answer to?", "dont-know-answer",
     "don't know the answer"),
    ("Do you like/use our company's products?", "use-our-products", "products"),
    ("Describe a tough customer situation you had and how you fixed it.", "tough-customer-situation", "tough customer"),
    ("How do you keep yourself motivated in a role that's sometimes repetitive?", "repetitive-motivation", "repetitive"),
    ("What is some negative feedback you've received from a customer, and what did you do with that feedback?",
     "negative-feedback", "negative feedback"),
    ("Where do you see yourself in five years? (three to five years)", "five-years", "five years"),
    ("What are some strategies you use to effectively communicate with customers, both verbally and in writing?",
     "communication-strategies", "verbally and in writing"),
    ("How do you handle escalations from unhappy customers? Can you walk me through a specific example?",
     "escalations-example", "escalations"),
    ("What strategies have you found to be effective in reducing customer wait times and increasing first-call "
     "resolution rates?", "wait-times-fcr", "first-call resolution"),
    ("In order to provide accurate and helpful information to customers, how do you stay updated on product or "
     "service knowledge?", "stay-updated", "stay updated"),
    ("How do you handle confidential or sensitive customer information in accordance with privacy regulations?",
     "confidential-information", "confidential or sensitive"),
    ("Have you ever worked with a remote customer service team? What challenges have you faced, and how did you "
     "overcome them?", "remote-team", "remote customer service team"),
    ("Can you provide an example of a time when you had to upsell or cross-sell a product or service to a customer?",
     "upsell-example", "upsell or cross-sell"),
    ("How do you measure your own performance or success in providing excellent customer service?",
     "measure-performance", "measure your own performance"),
    ("How would you handle a customer who had a language barrier or communication difficulties?", "language-barrier",
     "language barrier"),
    ("How do you prioritize and manage multiple customer inquiries or tasks simultaneously?", "prioritise-multiple",
     "multiple customer inquiries"),
    ("Tell me about a time you handled an angry customer", "angry-customer-time", "angry customer"),
    ("Describe when you exceeded expectations.", "exceeded-expectations", "exceeded"),
    ("Tell me about a time you solved a complex customer problem.", "complex-problem", "complex customer problem"),
    ("A customer demands a refund outside policy—what do you do?", "refund-outside-policy", "refund outside policy"),
    ("Which ticketing systems have you used?", "ticketing-systems", "ticketing systems"),
    ("How do you prioritise a queue? (describe your approach to a high-volume queue)", "high-volume-queue", "queue"),
    ("How would you represent our brand?", "represent-brand", "brand"),
    ("When asked about salary expectations", "salary-expectations", "salary expectations"),
    ("Questions about bots, AI-powered triage and self-service resources", "ai-and-tools", "ai triage"),
    ("How you adjust communication for different customer expectations (cross-cultural)", "cross-cultural",
     "different cultures"),
    ("Retail: role-play handling long lines or returns", "retail-returns-line", "returns line"),
    ("Retail: managing peak times", "retail-peak-times", "peak times"),
    ("Hospitality: turn unhappy guests into repeat customers", "unhappy-guest-recovery", "repeat customer"),
    ("SaaS: translating technical information; hand-off to engineering", "explain-technical", "engineering"),
    ("Remote: continuity across time zones", "time-zones", "time zones"),
    ("Be prepared with questions for them (Do you have any questions for us?)", "questions-for-us", "questions for us"),
]


@pytest.mark.parametrize("seed, qid, words", SEED_QUESTIONS, ids=[q for _, q, _ in SEED_QUESTIONS])
def test_every_seed_question_is_in_the_bank(seed, qid, words):
    q = BANK.get_question(qid)
    assert words in q.text.lower(), (seed, q.text)


def test_every_question_is_complete():
    for q in BANK.questions.values():
        assert q.category in CATEGORIES and q.rubric in BANK.rubrics, q.id
        assert 0 < q.target_s[0] <= q.target_s[1], q.id
        assert q.tips and all(t.strip() for t in q.tips), q.id
        assert q.follow_ups and all(f.strip() for f in q.follow_ups), q.id


def test_wrong_type_and_bad_syntax_errors_read_plainly(tmp_path):
    _write(tmp_path, "a.yaml", GOOD.replace("tips: [Be specific]", "tips: Be specific"))
    _write(tmp_path, "b.yaml", GOOD.replace('follow_ups: ["Why?"]', 'follow_ups: ["Why?'))  # quote never closed
    bank = load_bank([tmp_path], include_default=False)
    by_name = {e.path.name: e for e in bank.errors}
    assert by_name["a.yaml"].field == "questions[0].tips" and by_name["a.yaml"].line == 9
    assert "should be a list" in by_name["a.yaml"].message and "tuple" not in by_name["a.yaml"].message
    assert "not valid YAML" in by_name["b.yaml"].message and "starts on line 10" in by_name["b.yaml"].message


def test_user_data_dir_scenarios_folder_is_loaded(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "scenarios").mkdir(parents=True)
    _write(data / "scenarios", "mine.yaml", GOOD)
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(data))
    bank = load_bank()
    assert "my-question" in bank.questions and "tell-me-about-yourself" in bank.questions
    assert bank.errors == []


def test_cli_list_and_show_take_extra_folders(tmp_path, monkeypatch, capsys):
    from simulator.cli import main

    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(tmp_path / "data"))
    _write(tmp_path, "mine.yaml", GOOD)
    _write(tmp_path, "broken.yaml", GOOD.replace("my-question", "broken-one").replace("rubric: motivation", "rubric: nope"))
    assert main(["scenarios", "list", "--role", "retail", "--scenarios", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "my-question" in out and "broken-one" not in out and "retail-returns-line" in out
    assert len([l for l in err.splitlines() if "broken.yaml" in l]) == 1 and "unknown rubric 'nope'" in err
    assert main(["scenarios", "show", "my-question", "--scenarios", str(tmp_path)]) == 0
    assert "What is your favourite product?" in capsys.readouterr().out


def test_cli_validate_checks_roleplays_and_personas_too(tmp_path, capsys):
    from simulator.cli import main

    bundled = bundled_scenarios_dir() / "roleplays" / "room-not-ready.yaml"
    broken = bundled.read_text(encoding="utf-8").replace("- to: considering", "- to: nowhere", 1)
    _write(tmp_path, "room.yaml", broken)
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    out = capsys.readouterr().out
    assert "room.yaml:" in out and "unknown state 'nowhere'" in out

    # The bundled role-play folder is counted once, not once per loader or per root.
    assert main(["scenarios", "validate", str(bundled.parent)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok: {len(list(bundled.parent.glob('*.yaml')))} files") and "6 role-plays" in out


def test_cli_validate_reports_a_broken_roleplay_file_once(tmp_path, capsys):
    from simulator.cli import main

    _write(tmp_path, "bad.yaml", "kind: roleplay\nroleplay: [1, 2\n")
    assert main(["scenarios", "validate", str(tmp_path)]) != 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "bad.yaml:3: not valid YAML" in lines[0] and "more" not in lines[0]
