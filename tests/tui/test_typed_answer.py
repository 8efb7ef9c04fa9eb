"""The typed-answer dialog never drops what was typed unasked."""

from __future__ import annotations

import numpy as np
from textual.app import App
from textual.widgets import TextArea

from simulator.tui.screens.typed_answer import TimedTypedAnswer


class _Host(App):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(TimedTypedAnswer("Customer: “Where is my refund?”", limit_s=600.0), self.results.append)


async def test_escape_over_a_typed_reply_asks_before_it_is_discarded():
    # A role-play reply has no draft to come back to: the first Escape only says how to discard it.
    app = _Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one(TextArea).text = "I'm sorry, let me check that for you"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TimedTypedAnswer) and app.results == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_escape_over_an_empty_box_closes_it_at_once():
    app = _Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_t_while_listening_before_a_word_stops_listening_and_opens_the_box(make_backends):
    """Stop 44's explorer: `t` did nothing once the microphone opened, so the typed sentence became key
    presses: its first space ended the take, which was stored as an empty answer beside the real one."""
    from simulator.audio.capture import ArraySource  # noqa: PLC0415
    from simulator.session.interview import Plan  # noqa: PLC0415
    from simulator.tui.app import create_app  # noqa: PLC0415
    from simulator.tui.screens.question import QuestionScreen  # noqa: PLC0415
    from simulator.tui.screens.typed_answer import TypedAnswerScreen  # noqa: PLC0415
    from tests.tui.test_flow import SIZE, wait_for  # noqa: PLC0415

    backends = make_backends(end_silence_s=None)
    backends.source_factory = lambda: ArraySource(np.zeros(16000 * 60, np.float32), realtime=True)
    app = create_app(backends, Plan(role="retail", mode="rehearsal", count=1, seed=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen))
        assert app.interview.answers == []  # the silent take is not an answer
