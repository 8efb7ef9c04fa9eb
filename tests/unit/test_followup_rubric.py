"""Issue 16.1: a follow-up's rubric is decided once, from what it asks, stored with the answer and
used by ``rescore``, so the same audio always gets the same judgement."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.audio.clip import AudioClip
from simulator.cli import main
from simulator.answer.build import analyse_clip
from simulator.roleplay.followups import EXAMPLE_PROBE, OUTCOME_PROBE, follow_up_rubric
from simulator.rubric import load_bank, score_content
from simulator.store import SessionStore
from simulator.session.interview import FollowUp, Interview, Plan
from tests.unit.test_store_fakes import STAR_TEXT, answer_audio

DEFINITION = ("Customer service means solving the customer's problem while protecting the relationship, "
              "so they leave feeling heard and come back.")
BACKGROUND = ("I have three years in retail at a busy supermarket, where I was the go-to person on the tills "
              "for complaints, and now I want to grow into a support role.")
MOTIVE = ("I moved into customer service because at my first job I loved fixing problems for regulars, "
          "and helping people is what gets me up in the morning; this role lets me do that every day.")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.mark.parametrize(("text", "parent", "expected"), [
    ("Can you give me an example of that from your own work?", "definition", "star"),
    ("Can you give me an example of that at work?", "strengths-weaknesses", "star"),
    (EXAMPLE_PROBE, "skills-metrics", "star"),
    ("Tell me about the busiest shift you've worked.", "skills-metrics", "star"),
    ("What made you move into customer service?", "about-yourself", "motivation"),
    ("Beyond pay and hours, what draws you to this role?", "star", "motivation"),
    ("What would you do if you genuinely didn't know the answer?", "de-escalation", "dont-know"),
    # probes into the main answer keep its rubric
    (OUTCOME_PROBE, "star", "star"),
    ("How would you show the customer you understand how they feel?", "de-escalation", "de-escalation"),
    ("Which of those roles taught you the most?", "about-yourself", "about-yourself"),
])
def test_follow_up_rubric_comes_from_what_it_asks(text, parent, expected):
    assert follow_up_rubric(text, parent) == expected


def test_a_rubric_the_bank_lacks_is_not_chosen():
    assert follow_up_rubric("Can you give me an example?", "definition", available={"definition"}) == "definition"


def test_interview_asks_the_follow_up_with_its_own_rubric(bank):
    parent = bank.get_question("define-customer-service")
    q = FollowUp("Can you give me an example of that from your own work?", parent, 1).as_question(bank.rubrics)
    assert (q.rubric, q.category) == ("star", "behavioural")
    assert q.target_s == parent.target_s and q.id == "define-customer-service-follow-up-1"


class SequenceTranscriber:
    """A fake engine hearing the given texts in turn (one per answer), as evenly spoken words."""

    engine = "fake"
    model_name = "fake-1"

    def __init__(self, texts):
        self.texts = list(texts)
        self.i = 0

    def transcribe(self, samples, *, prompt=None):
        from simulator.speech.transcript import Transcript
        from tests.unit.synth import evenly_spoken, transcript_of

        text = self.texts[self.i % len(self.texts)]
        self.i += 1
        t = transcript_of(evenly_spoken(text, 0.5, 0.4))
        return Transcript(t.text, t.segments, engine=self.engine, model=self.model_name, options={})


def _answer(interview: Interview, text: str):
    """Score ``text`` as the app does (the current question decides the rubric) and record it."""
    q = interview.current
    samples = answer_audio(text)
    report = analyse_clip(AudioClip(samples, source="mic"), SequenceTranscriber([text]), recover=False,
                          target_length_s=tuple(float(x) for x in q.target_s),
                          score_content=lambda t: score_content(t, question=q))
    interview.record(report)
    return q, report, samples


def test_rescore_of_a_session_with_follow_ups_changes_no_rubric_and_no_score(bank, private_data_dir,
                                                                            monkeypatch, capsys):
    plan = Plan(role="general", count=2, follow_ups="one")
    iv = Interview(plan, [bank.get_question("define-customer-service"),
                          bank.get_question("tell-me-about-yourself")], rubrics=bank.rubrics)
    spoken = []
    for main_text, follow_up, follow_text in ((DEFINITION, "Can you give me an example of that from your own work?",
                                               STAR_TEXT),
                                              (BACKGROUND, "What made you move into customer service?", MOTIVE)):
        spoken.append((*_answer(iv, main_text), None))
        iv.follow_up_due = follow_up  # the interviewer's choice, whatever the rules would pick
        iv.advance()
        spoken.append((*_answer(iv, follow_text), iv.follow_up.parent.id))
        iv.follow_up_due = None
        iv.advance()
    assert iv.finished
    assert [q.rubric for q, *_ in spoken] == ["definition", "star", "about-yourself", "motivation"]

    with SessionStore.open() as store:
        s = store.start_session(role="general", mode="rehearsal", engine="fake", model="fake-1")
        for q, report, samples, parent in spoken:
            if parent is None:
                store.add_answer(s.id, q, report, samples)
            else:
                store.add_follow_up_answer(s.id, q, report, samples, parent_id=parent)
        store.finish_session(s.id)
        before = store.answers(s.id)
    assert [a.rubric for a in before] == ["definition", "star", "about-yourself", "motivation"]
    assert [a.content.rubric for a in before] == ["definition", "star", "about-yourself", "motivation"]

    fake = SequenceTranscriber([DEFINITION, STAR_TEXT, BACKGROUND, MOTIVE])
    monkeypatch.setattr("simulator.cli.rescore._transcriber", lambda args: fake)
    for _ in range(2):  # and again: a rescore of a rescore is just as stable
        assert main(["rescore", s.id, "--no-filler-recovery"]) == 0
        out = capsys.readouterr().out
        assert "rubric:" not in out
        # each answer: rescored with the same scores, or the same in every respect and not stored again
        assert out.count("scores unchanged") + out.count("not stored again") == 4, out
        with SessionStore.open() as store:
            after = store.answers(s.id)
        assert [a.rubric for a in after] == [a.rubric for a in before]
        assert [(a.content.rubric, a.content.score) for a in after] == \
               [(a.content.rubric, a.content.score) for a in before]


def test_rescore_of_an_older_follow_up_without_a_stored_rubric_judges_what_it_asks(bank, private_data_dir):
    from simulator.cli.rescore import rescore_rubric
    from simulator.store.models import QuestionRef

    parent = bank.get_question("define-customer-service")
    with SessionStore.open() as store:
        s = store.start_session(role="general", mode="rehearsal")
        _, report, samples = _answer(Interview(Plan(), [parent]), STAR_TEXT)
        legacy = QuestionRef("define-customer-service-follow-up-1",
                             "Can you give me an example of that from your own work?")
        old = store.add_follow_up_answer(s.id, legacy, report, samples, parent_id=parent.id)
    # stored before the column existed: no rubric with the question (the content's is kept, though)
    assert old.rubric == "definition"  # what it was scored with, as the app did before
    assert rescore_rubric(replace(old, rubric=None)) == "star"
