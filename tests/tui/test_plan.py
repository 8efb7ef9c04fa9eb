"""Issue 16.3 in the app: the interview the app starts is the planner's (an opener first, a story,
a situational and a motivation question), and it prefers what the stored history has not practised."""

from __future__ import annotations

from textual.widgets import TextArea

from simulator.session import SessionStore
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.typed_answer import TypedAnswerScreen
from tests.tui.test_flow import plain, wait_for


async def test_the_app_asks_a_planned_interview_preferring_what_was_not_practised(make_backends, bank):
    backends = make_backends(microphone=False)
    pool = bank.questions_for(role="retail")
    motivation = sorted((q for q in pool if q.category == "motivation" or q.rubric == "motivation"),
                        key=lambda q: q.id)
    from tests.unit.test_store_fakes import scored_answer

    report, _ = scored_answer()
    backends.store_path.parent.mkdir(parents=True, exist_ok=True)
    with SessionStore.open(backends.store_path) as store:
        s = store.start_session(role="retail", mode="rehearsal")
        for q in motivation[1:]:  # every motivation question but one was practised
            store.add_answer(s.id, q, report, None)
        store.finish_session(s.id)

    app = create_app(backends, Plan(role="retail", mode="rehearsal", count=4), start_immediately=True)
    async with app.run_test(size=(100, 40)) as pilot:
        # (no microphone: the typed-answer box opens over the question at once)
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and app.screen.query_one(TextArea))
        questions = app.interview.questions
        assert questions[0].id == "tell-me-about-yourself"
        (screen,) = [s for s in app.screen_stack if isinstance(s, QuestionScreen)]
        assert "Tell me about yourself" in plain(screen.query_one("#q-text"))
        assert {q.rubric for q in questions} >= {"about-yourself", "star", "motivation"}
        assert any(q.category == "situational" for q in questions)
        assert motivation[0] in questions  # the one not practised yet
        assert len({q.rubric for q in questions}) == 4
        session = app.session_log.session
        assert session.settings["questions"] == [q.id for q in questions]
