"""An answer whose content could not be assessed (a one-word reply) has no content score on any
screen: the feedback says why instead of "0/100", and the summary's average leaves it out, as the
history does (before, the summary counted it as 0 and showed half the history's average)."""

from __future__ import annotations

from simulator.answer.build import typed_report
from simulator.rubric import score_content
from simulator.session.interview import AnsweredQuestion, Interview, Plan
from simulator.tui.app import create_app
from simulator.tui.screens.feedback import content_text
from simulator.tui.screens.summary import SummaryScreen
from tests.tui.test_flow import plain, wait_for

STORY = ("Last year a customer called because her parcel was lost. I listened, apologised and checked the "
         "tracking, then I called the courier and found it at the depot. I arranged delivery the next "
         "morning and she thanked us. I learned to check the depot first, and I still do.")


def _answer(bank, question, text: str) -> AnsweredQuestion:
    report = typed_report(text, lambda t: score_content(t, question=question, bank=bank), tuple(question.target_s))
    return AnsweredQuestion(question, report)


def _star_question(bank):  # noqa: ANN001, ANN202
    return next(q for q in bank.questions_for(role="") if q.rubric == "star")


def test_feedback_says_not_assessed_and_gives_no_score(bank):
    answer = _answer(bank, _star_question(bank), "Yes.")
    assert answer.report.content is not None and not answer.report.content.assessable
    text = content_text(answer).plain
    assert "Content not assessed" in text and "/100" not in text


async def test_summary_average_leaves_out_an_answer_that_was_not_assessed(make_backends, bank):
    q = _star_question(bank)
    interview = Interview(Plan(mode="rehearsal", count=2), [q, q])
    interview.answers.extend([_answer(bank, q, STORY), _answer(bank, q, "Yes.")])
    scored = interview.answers[0].report.content.score
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(SummaryScreen(interview))
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        headline = plain(app.screen.query_one("#summary-headline"))
        assert f"Average content score {scored}/100" in headline, headline
        table = app.screen.query_one("#summary-table")
        assert str(table.get_row_at(1)[-1]) == "–"
