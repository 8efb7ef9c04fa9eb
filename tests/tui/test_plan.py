"""Issue 16.3 in the app: the interview the app starts is the planner's (an opener first, a story,
a situational and a motivation question), and it prefers what the stored history has not practised."""

from __future__ import annotations

from textual.widgets import TextArea

from simulator.store import SessionStore
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.home import HomeScreen
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
        # The home screen under the question composes its form once the model is in: let it finish,
        # so the app does not close while its selects mount (a fresh-clone run failed on that once).
        (home,) = [s for s in app.screen_stack if isinstance(s, HomeScreen)]
        await wait_for(pilot, lambda: home.form == "ready")


async def test_a_follow_up_asking_for_motivation_is_shown_and_judged_as_motivation(make_backends):
    """Issue 16.1 on screen: the follow-up's category and rubric are its own, and so is its stored rubric."""
    from simulator.tui.screens.feedback import FeedbackScreen
    from tests.tui.test_home_modes import type_reply

    app = create_app(make_backends(microphone=False), Plan(role="general", count=1, follow_ups="one"),
                     start_immediately=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await type_reply(pilot, app, "I have three years in retail on the tills and I was the go-to person "
                                     "for complaints, and now I want to grow into a support role.")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        assert app.interview.main_question.rubric == "about-yourself"
        app.interview.follow_up_due = "What made you move into customer service?"
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and app.screen.query_one(TextArea))
        (question,) = [s for s in app.screen_stack if isinstance(s, QuestionScreen)]
        assert "motivation" in plain(question.query_one("#q-meta"))
        await type_reply(pilot, app, "I moved into customer service because at my first job I loved fixing "
                                     "problems for regulars, and this role lets me do that every day.")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        assert "(motivation)" in plain(app.screen.query_one("#fb-content"))
        first, follow_up = app.store.answers(app.store.list_sessions()[0].id)
        assert (first.rubric, follow_up.rubric) == ("about-yourself", "motivation")
        assert follow_up.content.rubric == "motivation"
