"""A dialog for typing an answer when there is no microphone (or the candidate prefers to)."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from simulator.tui.second_press import WINDOW_S, SecondPress


DISCARD_ASK = "Press Escape again to discard what you typed (ctrl+s submits it)."


class TypedAnswerScreen(ModalScreen[str | None]):
    BINDINGS = [("escape", "cancel", "Cancel"), ("ctrl+s", "submit", "Submit")]

    def __init__(self, question: str, reason: str = "", prepare: Callable[[str], None] | None = None, *,
                 draft: str = "", keep_draft: Callable[[str], None] | None = None):
        """``prepare``: called in the background with the answer so far as it is typed (the content
        engine's head start, :func:`simulator.rubric.warm`), so Submit finds most of it scored.
        ``draft``: text typed before, shown again. ``keep_draft``: given what was typed when the
        dialog is closed without submitting; without it, Escape over typed text asks first."""
        super().__init__()
        self.question = question
        self.reason = reason
        self.draft = draft
        self._keep_draft = keep_draft
        self._discard = SecondPress()
        self._warmer = None
        if prepare is not None:
            from simulator.session.content_warmer import ContentWarmer  # noqa: PLC0415 - loads the engine

            self._warmer = ContentWarmer(prepare)

    def compose(self) -> ComposeResult:
        with Vertical(id="typed-box"):
            if self.reason:
                yield Label(self.reason, id="typed-reason")
            yield Label(self.question, id="typed-question")
            yield TextArea(self.draft, id="typed-text")
            yield Button("Submit (ctrl+s)", variant="primary", id="typed-submit")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)  # a draft goes on where it stopped

    @property
    def typed(self) -> str:
        """What is in the box now, trimmed ("" before anything is typed)."""
        return self.query_one(TextArea).text.strip() if self.is_mounted else ""

    @on(TextArea.Changed)
    def _typed_so_far(self, event: TextArea.Changed) -> None:
        if self._warmer is not None:
            self._warmer.submit(event.text_area.text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        self.dismiss(self.typed or None)

    def action_cancel(self) -> None:
        """Close without submitting. What was typed is never dropped unasked: it is handed to
        ``keep_draft``, or a second Escape must confirm it goes."""
        if self._keep_draft is not None:
            self._keep_draft(self.typed)  # "" when the box was cleared: no draft any more
        elif self.typed and not self._discard.confirmed():
            self.notify(DISCARD_ASK, timeout=WINDOW_S)
            return
        self.dismiss(None)


class TimedTypedAnswer(TypedAnswerScreen):
    """The typed-answer dialog with the turn timer: at the limit it submits what has been typed."""

    def __init__(self, prompt: str, limit_s: float, reason: str = "",
                 prepare: Callable[[str], None] | None = None, *, draft: str = ""):
        super().__init__(prompt, reason, prepare, draft=draft)
        self.limit_s = limit_s
        self.started = time.monotonic()
        self.timed_out = False

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Label("", id="typed-timer")

    def on_mount(self) -> None:  # TypedAnswerScreen.on_mount runs too (Textual calls it along the MRO)
        self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        if self.timed_out or not self.is_attached:
            return
        left = self.limit_s - (time.monotonic() - self.started)
        self.query_one("#typed-timer", Label).update(f"Turn time left: {max(0.0, left):4.0f} s")
        if left <= 0 and not self.timed_out:
            self.timed_out = True
            self.dismiss(self.query_one(TextArea).text.strip() or "")

