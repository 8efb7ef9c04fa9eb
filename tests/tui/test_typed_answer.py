"""The typed-answer dialog never drops what was typed unasked."""

from __future__ import annotations

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
