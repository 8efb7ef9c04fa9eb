"""The Textual app, built by :func:`create_app` from injectable backends (real or fake).

The app owns the :class:`~simulator.session.interview.Interview` and moves between screens; the
screens forward key presses and worker results here. The speech model loads in a worker at start-up
so the home screen appears at once.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.screen import Screen

from simulator.errors import SimulatorError
from simulator.pipeline import AnswerReport
from simulator.session.interview import AnsweredQuestion, Interview, Plan
from simulator.tui.backends import Backends
from simulator.tui.messages import ModelFailed, ModelReady
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.help import HelpScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.summary import SummaryScreen


class InterviewApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Interview simulator"
    SUB_TITLE = "coaching aid — not a hiring prediction"
    BINDINGS = [("f1", "help", "Help"), ("ctrl+q", "quit", "Quit")]

    def __init__(self, backends: Backends, plan: Plan | None = None, *, start_immediately: bool = False):
        super().__init__()
        self.backends = backends
        self.plan = plan
        self.start_immediately = start_immediately
        self.interview: Interview | None = None
        self.model_status = "Loading the speech model…"
        self.microphone_status = ("Microphone ready." if backends.source_factory is not None
                                  else f"No microphone: {backends.microphone_problem or 'answers will be typed.'}")
        self._session_stamp = time.strftime("%Y%m%d-%H%M%S")

    def on_mount(self) -> None:
        self.load_model()
        self.push_screen(HomeScreen(self.plan))
        if self.start_immediately and self.plan is not None:
            self.call_after_refresh(self.start_interview, self.plan)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def load_model(self) -> None:
        try:
            self.backends.transcriber.load()
            t = self.backends.transcriber
            self.post_message(ModelReady(f"{t.engine} {t.model_name}"))
        except SimulatorError as e:
            self.post_message(ModelFailed(str(e)))

    @on(ModelReady)
    def _model_ready(self, message: ModelReady) -> None:
        self.model_status = f"Speech model ready ({message.label})."
        self._refresh_home()

    @on(ModelFailed)
    def _model_failed(self, message: ModelFailed) -> None:
        self.model_status = f"Speech model unavailable: {message.error} Answers can be typed."
        self.backends.source_factory = None
        self.microphone_status = "Spoken answers are off until the model is fixed (`interview-sim doctor`)."
        self.notify(message.error, severity="error", timeout=10)
        self._refresh_home()

    def _refresh_home(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_status()

    # -- the interview flow -------------------------------------------------------------------------
    def start_interview(self, plan: Plan) -> None:
        try:
            self.interview = Interview.from_bank(plan, self.backends.get_bank())
        except SimulatorError as e:
            self.notify(str(e), severity="error")
            return
        self.push_screen(self._question_screen())

    def _question_screen(self) -> QuestionScreen:
        assert self.interview is not None
        path = None
        if self.backends.recordings_dir is not None:
            q = self.interview.current
            path = Path(self.backends.recordings_dir) / self._session_stamp / f"{self.interview.index + 1:02d}-{q.id}.wav"
        return QuestionScreen(self.interview, path)

    def answer_done(self, report: AnswerReport, audio_path: Path | None) -> None:
        assert self.interview is not None
        self.interview.record(report, audio_path)
        if self.interview.plan.mode == "rehearsal":
            self.switch_screen(FeedbackScreen(self.interview.answers[-1]))
        else:
            self.next_question()

    def next_question(self) -> None:
        assert self.interview is not None
        self.interview.advance()
        if self.interview.finished:
            self.switch_screen(SummaryScreen(self.interview))
        else:
            self.switch_screen(self._question_screen())

    def rerecord(self) -> None:
        self.switch_screen(self._question_screen())

    def cancel_interview(self) -> None:
        """Escape during an interview: show what was answered, or go home."""
        if self.interview is not None and self.interview.answers and not isinstance(self.screen, SummaryScreen):
            self.switch_screen(SummaryScreen(self.interview))
        else:
            self.go_home()

    def go_home(self) -> None:
        while len(self.screen_stack) > 2 or not isinstance(self.screen, HomeScreen):
            if len(self.screen_stack) <= 1:
                break
            self.pop_screen()

    @property
    def answered(self) -> list[AnsweredQuestion]:
        return self.interview.answers if self.interview else []

    # -- help and the command palette ---------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen):  # noqa: ANN201
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and modes", self.action_help)
        yield SystemCommand("Home", "Back to the start screen", self.go_home)


def create_app(backends: Backends, plan: Plan | None = None, *, start_immediately: bool = False) -> InterviewApp:
    """Build the app; tests pass fake backends, the CLI real ones."""
    return InterviewApp(backends, plan, start_immediately=start_immediately)
