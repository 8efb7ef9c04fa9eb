"""Help: what each mode does and which keys do what."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Interview simulator — help

**Rehearsal**: the question is shown and spoken, then the microphone listens. Just start talking,
and take your time: a pause to think does not end the answer. When you stop, the app waits, then asks
"Are you done?"; press **space** to finish at any moment. Feedback follows each answer (speaking
again soon after it carries the answer on); **r** records it again, **n** goes to the next question.

**Timed drill**: a think-time countdown (just start talking, or press **space**, to start early), then
a hard answer limit with a countdown and an automatic stop; the next question follows at once. Feedback for every answer
is in the summary. **Rapid fire** is a drill with short think time and 30-second answers.

| Key | Does |
|-----|------|
| space | start / stop answering |
| t | type the answer instead (no microphone), before you start answering |
| p | play the question again, before you start answering |
| d | choose the microphone and speaker, or type answers |
| r | re-record (feedback screen) |
| n | next question |
| x | export the chosen session as an HTML report (history screen) |
| a | your attempts at the question side by side, and a model outline (history, replay) |
| s | save again the answers a full disk kept out of the store (summary; shown only then) |
| escape | cancel / go back (the recording so far is kept); in an interview with answers, press it twice |
| ctrl+p | command palette |
| f1 | this help |
| ctrl+q | quit |

No microphone, or it went away? The app says so: press **d** to choose another device, or **t**
to type the answer. Plugged in a headset? Press **r** in the device list to look again. Without a
speaker the questions are only shown.

Scores are coaching aids, not hiring predictions. Everything is processed on this computer.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape", "dismiss", "Close"), ("f1", "dismiss", "Close"), ("q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
