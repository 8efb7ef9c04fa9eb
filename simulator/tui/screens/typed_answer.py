"""A dialog for typing an answer when there is no microphone (or the candidate prefers to)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea


class TypedAnswerScreen(ModalScreen[str | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "submit", "Submit")]

    def __init__(self, question: str, reason: str = ""):
        super().__init__()
        self.question = question
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="typed-box"):
            if self.reason:
                yield Label(self.reason, id="typed-reason")
            yield Label(self.question, id="typed-question")
            yield TextArea(id="typed-text")
            yield Button("Submit (ctrl+s)", variant="primary", id="typed-submit")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        text = self.query_one(TextArea).text.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
