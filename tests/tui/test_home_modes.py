"""Pilot tests of the home screen's role-play mode and follow-up setting, and of how both are stored."""

from __future__ import annotations

from types import SimpleNamespace

from textual.widgets import Select, Static, TextArea

from simulator.roleplay.library import load_library
from simulator.store.store import parent_question_id
from simulator.tui.app import create_app
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.home import HomeScreen, roleplay_choices
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.replay import ReplayScreen
from simulator.tui.screens.roleplay import RolePlayScreen
from simulator.tui.screens.roleplay_debrief import RolePlayDebriefScreen
from simulator.tui.screens.typed_answer import TimedTypedAnswer
from simulator.tui.screens.summary import SummaryScreen
from simulator.tui.screens.typed_answer import TypedAnswerScreen
from tests.tui.test_flow import SIZE, plain, wait_for
from tests.tui.test_roleplay_screen import GOOD

LIB = load_library()
NO_RESULT = ("Last year at the store a customer was shouting because her order was missing. My job was to "
             "sort it out. I listened, apologised, checked the system and called the warehouse to trace it.")
OUTCOME = "In the end she got the parcel the next morning and thanked us, and complaints went down twenty percent."


def test_roleplay_choices_filter_by_family_or_show_all():
    assert [rp_id for _, rp_id in roleplay_choices(LIB, "hospitality")] == ["room-not-ready"]
    only_retail = SimpleNamespace(roleplays={"refund-outside-policy": LIB.get_roleplay("refund-outside-policy")})
    assert [rp_id for _, rp_id in roleplay_choices(only_retail, "hospitality")] == ["refund-outside-policy"]


async def select(pilot, widget_id: str, value) -> None:  # noqa: ANN001
    pilot.app.screen.query_one(widget_id, Select).value = value
    await pilot.pause()


async def type_reply(pilot, app, text: str, screen_type=TypedAnswerScreen) -> None:  # noqa: ANN001
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type) and bool(app.screen.query(TextArea)))
    app.screen.query_one(TextArea).text = text
    await pilot.press("ctrl+s")


async def test_home_starts_a_typed_roleplay_that_is_stored_and_replays(make_backends):
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#follow-ups", Select).value == "one"  # the default
        assert not home.query_one("#roleplay-options").display
        await select(pilot, "#mode", "roleplay")
        assert home.query_one("#roleplay-options").display and not home.query_one("#interview-options").display
        await select(pilot, "#role", "hospitality")
        assert home.query_one("#roleplay", Select).value == "room-not-ready"  # only that family's
        await select(pilot, "#role", "retail")
        assert home.chosen_roleplay() == "refund-outside-policy"
        await pilot.click("#start")
        await wait_for(pilot, lambda: any(isinstance(s, RolePlayScreen) for s in app.screen_stack))
        roleplay = next(s for s in app.screen_stack if isinstance(s, RolePlayScreen))
        for n, text in enumerate(GOOD, 1):
            await type_reply(pilot, app, text, TimedTypedAnswer)
            await wait_for(pilot, lambda n=n: len(roleplay.taken) == n)
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayDebriefScreen))
        assert app.screen.result.outcome == "resolved"

        [session] = app.store.list_sessions()
        assert session.mode == "roleplay" and session.status == "complete"
        assert session.settings["roleplay"] == "refund-outside-policy"
        assert session.settings["roleplay_result"]["outcome"] == "resolved"
        answers = app.store.answers(session.id)
        assert [a.transcript.text for a in answers] == GOOD
        assert answers[0].question.text == LIB.get_roleplay("refund-outside-policy").opening
        assert all(a.audio_path is None and a.source == "typed" for a in answers)  # typed: no audio
        assert all(a.content.rubric == "de-escalation" for a in answers)
        [summary] = app.store.summaries()
        # shows in history by its outcome and the debrief's score, not a mean of its turns' rubric
        assert summary.answers == 3 and summary.outcome == "resolved" and summary.content_score is None
        assert summary.roleplay_score == session.settings["roleplay_result"]["overall"]

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one("#recent").row_count == 1
        app.action_replay(session.id)
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.session_id == session.id)
        assert len(app.screen.answers) == 3
        shown = plain(app.screen.query_one("#replay-question", Static)).split()
        assert shown[:6] == answers[0].question.text.split()[:6]  # the customer's line it answered


async def test_follow_up_is_asked_labelled_and_stored_with_its_parent(make_backends):
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "#role", "retail")
        await select(pilot, "#follow-ups", "two")
        assert app.screen.chosen_plan().follow_ups == 2
        await select(pilot, "#follow-ups", "one")
        app.screen.query_one("#count").value = "1"
        await pilot.click("#start")
        await type_reply(pilot, app, NO_RESULT)
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        main = app.interview.main_question
        assert app.interview.plan.follow_ups == "one" and app.interview.follow_up_due is not None
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen))
        question = next(s for s in app.screen_stack if isinstance(s, QuestionScreen))
        assert plain(question.query_one("#q-follow-up", Static)).strip() == f"Follow-up to: {main.text}"
        assert "follow-up 1" in plain(question.query_one("#q-meta", Static))
        assert plain(question.query_one("#q-text", Static)).strip() == app.interview.current.text
        await type_reply(pilot, app, OUTCOME)
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("n")  # "one": no second follow-up, and one question: the summary
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert app.screen.query_one("#summary-table").row_count == 2

        [session] = app.store.list_sessions()
        assert session.settings["follow_ups"] == "one"
        first, follow_up = app.store.answers(session.id)
        assert first.question.id == main.id and parent_question_id(first) is None
        assert parent_question_id(follow_up) == main.id and follow_up.question.id != main.id
        assert follow_up.transcript.text == OUTCOME


async def test_first_question_has_no_follow_up_label(make_backends):
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#start")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen))
        question = next(s for s in app.screen_stack if isinstance(s, QuestionScreen))
        assert not question.query("#q-follow-up")
        assert "follow-up" not in plain(question.query_one("#q-meta", Static))
