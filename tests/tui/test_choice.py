"""The home form's drop-down choices when the app closes while they mount (CI at stop 44: a test
that ended as the deferred home form composed failed inside Textual's Select, "No nodes match
'#label' on SelectCurrent", and a quick quit did the same in a terminal)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.css.query import NoMatches

from simulator.tui.widgets.choice import Choice

OPTIONS = [("Off", "off"), ("One per question", "one")]


class ClosingApp(App):
    """An app whose ``is_running`` a test can turn off, as Textual does when shutdown begins."""

    closing = False

    @property
    def is_running(self) -> bool:
        return not self.closing and super().is_running

    def compose(self) -> ComposeResult:
        yield Choice(OPTIONS, value="off", allow_blank=False, id="choice")


async def torn_down_choice(app: ClosingApp) -> Choice:
    """The choice as shutdown leaves it: its label removed before its value is written."""
    choice = app.query_one("#choice", Choice)
    await choice.query_one("#label").remove()
    return choice


async def test_a_choice_whose_label_is_gone_while_the_app_closes_keeps_its_value_quietly():
    app = ClosingApp()
    async with app.run_test():
        choice = await torn_down_choice(app)
        app.closing = True
        choice.value = "one"
        assert choice.value == "one"
        app.closing = False


async def test_a_missing_label_while_the_app_runs_is_still_an_error():
    app = ClosingApp()
    with pytest.raises(NoMatches):
        async with app.run_test():
            choice = await torn_down_choice(app)
            choice.value = "one"
