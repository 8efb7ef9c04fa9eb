"""The Textual app, built by :func:`create_app` from injectable backends (real or fake).

The interview itself runs headless in a :class:`~simulator.session.interview_run.InterviewRun`
(questions, answers kept in the store, what comes next); the app moves between screens as it says,
and the screens forward key presses and worker results here. The speech model loads in a worker at
start-up so the home screen appears at once. Started straight into a question (``practice``,
``drill``), the app asks it first and finishes starting up while it plays: the model, the other
screens and the home screen's form come after (see :meth:`InterviewApp._launch_into_question`).
Sessions a crash left open are recovered at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.errors import SimulatorError, StoreError
from simulator.session.interview import AnsweredQuestion, Interview, Plan
from simulator.session.interview_run import InterviewRun
from simulator.tui import screens
from simulator.tui.backends import Backends
from simulator.tui.messages import ModelFailed, ModelReady, SpeakingDone, SpeakingStarted, WarmedUp
from simulator.tui.screens.home import HomeScreen
from simulator.tui.head_start import preload_answer
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.second_press import WINDOW_S, SecondPress
from simulator.session.session_log import SessionLog, open_store
from simulator.audio.playback import NullPlayer
from simulator.session.planner import history_from_store

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport

LAUNCH_SETTLE_AFTER_S = 3.0
"""Launched into a question that has not started to play by then: finish starting up anyway."""

STARTUP_NOTE_S = 30.0
"""How long a note from opening the store (a session recovered, a damaged store set aside) stays up."""

QUIT_DRAFT_ASK = "You typed an answer you have not submitted: {how} submits it, ctrl+q again quits without it."


class InterviewApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Interview simulator"
    SUB_TITLE = "coaching aid — not a hiring prediction"
    # Quit has priority: a focused text box (the typed-answer dialog) would otherwise take Ctrl+Q.
    BINDINGS = [("f1", "help", "Help"), Binding("ctrl+q", "quit", "Quit", priority=True)]
    DEVICE_PHASES = ("ready", "done")
    """Question-screen phases in which devices may change (nothing records, speaks or counts down)."""

    def __init__(self, backends: Backends, plan: Plan | None = None, *, start_immediately: bool = False,
                 replay_session: str | None = None):
        super().__init__()
        self.replay_session = replay_session
        self.store = None  # simulator.store.SessionStore, opened on mount
        self.session_log: SessionLog | None = None
        self.startup_notes = None  # simulator.session.session_log.StartupNotes
        self.backends = backends
        self.plan = plan
        self.start_immediately = start_immediately
        self.interview_run: InterviewRun | None = None
        self._unsaved_earlier: list[str] = []
        """What earlier interviews of this run of the app could not save, said at exit with the last one's."""
        self.model_status = "Loading the speech model…"
        self.model_failed = False
        self._launch_pending = False
        """Launched into a question whose start-up is still to finish (:meth:`_settle_launch`)."""
        self._warm_up_after_model = False
        self.microphone_status = ("Microphone ready." if backends.source_factory is not None
                                  else f"No microphone: {backends.microphone_problem or 'answers will be typed.'}")
        self.speaker_status = speaker_status(backends.speaker_problem)
        self._quit_press = SecondPress()
        self.farewell: list[str] = []
        """Lines for the terminal once the app has closed (see :meth:`exit`)."""

    def on_mount(self) -> None:
        self._open_store()
        if self.replay_session is not None:
            if self.store is None:
                self.exit(return_code=1, message="the session store could not be opened")
                return
            self.push_screen(screens.ReplayScreen(self.replay_session or None, standalone=True))
            return
        if self.start_immediately and self.plan is not None:
            self._launch_into_question(self.plan)
            return
        self.load_model()
        self.push_screen(HomeScreen(self.plan))
        self.call_after_refresh(self.warm_up)

    def _launch_into_question(self, plan: Plan) -> None:
        """Straight into the first question (``practice``, ``drill``): only what asking it needs
        comes first. The home screen goes under it (Escape and the end of the interview come back
        to it) but composes its form later, and the speech model starts loading, once the question
        is playing (:meth:`_settle_launch`): the model is needed when the answer starts, and
        loading it alongside (its imports hold the interpreter lock) slowed the launch down. It is
        ready about as early as before, as it no longer shares the CPU with the launch."""
        self._launch_pending = True
        self.push_screen(HomeScreen(plan, deferred=True))
        self.start_interview(plan)
        if self.interview_run is None:  # it could not start (notified): the home screen is left
            self._settle_launch()
        else:  # in case speaking hangs (a render waits up to 15 s for espeak)
            self.set_timer(LAUNCH_SETTLE_AFTER_S, self._settle_launch)

    @on(SpeakingStarted)
    @on(SpeakingDone)
    def _question_speaking(self) -> None:
        self._settle_launch()

    def _settle_launch(self) -> None:
        """The rest of the start-up after launching into a question (once): the model loads; once
        it is ready (or has failed) the later screens and the role-plays load (:meth:`warm_up`),
        then the home screen's form composes. The model first: the answer needs it soonest, and
        the warm-up alongside held it back."""
        if not self._launch_pending:
            return
        self._launch_pending = False
        self._warm_up_after_model = True
        self.load_model()

    def _model_settled(self) -> None:
        if self._warm_up_after_model:
            self._warm_up_after_model = False
            self.warm_up()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Load what comes after the first question, so that it is there when asked for: the
        other screens (:func:`simulator.tui.screens.preload`), the role-plays and the scoring
        engine (:meth:`Backends.warm_up`). Then a home screen still to compose is composed."""
        try:
            screens.preload()
            self.backends.warm_up()
        finally:
            self.post_message(WarmedUp())

    @on(WarmedUp)
    def _build_home(self) -> None:
        if self.backends.content_warning:
            self.notify(self.backends.content_warning[:1].upper() + self.backends.content_warning[1:],
                        severity="warning", timeout=15)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                self.call_later(screen.build)

    def _open_store(self) -> None:
        if not self.backends.use_store:
            return
        self.store, notes = open_store(self.backends.store_path)
        if self.store is not None:
            self.session_log = SessionLog(self.store)
        self.startup_notes = notes
        for severity, text in notes.messages():
            # Long enough to read once the first question has been spoken (12 s went by unread while
            # a session started at once asked its question, stop 43).
            self.notify(text, severity=severity, timeout=STARTUP_NOTE_S)  # type: ignore[arg-type]

    def _store_call(self, fn, *args, **kwargs):  # noqa: ANN001, ANN202, ANN003, ANN002
        """Run a store write; a failure is a notification (the interview goes on unsaved)."""
        try:
            return fn(*args, **kwargs)
        except (StoreError, OSError) as e:
            self.notify(f"Could not save to the session store: {e}", severity="error", timeout=10)
            return None

    @property
    def interview(self) -> Interview | None:
        return self.interview_run.interview if self.interview_run is not None else None

    def open_answer_audio(self):  # noqa: ANN201 - (position, AnswerWriter) | None
        """Where the current question's next take streams to (called as recording starts)."""
        return self.interview_run.open_answer_audio() if self.interview_run is not None else None

    def _settle_pending(self) -> None:
        """Store an answer still listening on (feedback shown over its question screen) before the
        interview moves: the answer belongs to the question asked now."""
        for screen in self.screen_stack:
            if isinstance(screen, QuestionScreen):
                screen.settle_now()

    def end_session(self) -> None:
        """Finish the stored session (end of interview, Escape, quit); idempotent. One left before its
        last question is kept as cancelled, as Escape keeps it (a quit after 1 of 3 questions was
        stored as "complete", stop 43), or dropped when nothing was said (a quit used to keep it as a
        "complete" session with no answers); a take cut short still counts as said."""
        self._settle_pending()
        if self.interview_run is not None:
            # Only closes it when the interview was finished. A quit never deletes answers that were
            # scored, whatever they hold (Escape before any answer drops a silent session, as before).
            self.interview_run.cancel(drop_if_silent=not self.interview_run.answers)
        elif self.session_log is not None and self.session_log.active:  # a role-play's
            self._store_call(self.session_log.finish)

    def exit(self, result=None, return_code: int = 0, message=None) -> None:  # noqa: ANN001
        """As Textual's, but the message is kept in :attr:`farewell` for the launcher to print once the
        terminal is back: Textual prints it while standard error still goes to the audio log, and the
        line that says an unfinished answer was kept (and how to score it) ended up there."""
        if message:
            self.farewell.append(str(message))
        super().exit(result, return_code)

    async def action_quit(self) -> None:
        if (how := self._unsubmitted_draft()) and not self._quit_press.confirmed():
            self.notify(QUIT_DRAFT_ASK.format(how=how), timeout=WINDOW_S)
            return
        self.end_session()
        self._set_aside_run()
        self.exit(message="\n".join(line for line in (self._left_unscored(), *self._unsaved_earlier) if line) or None)

    def _set_aside_run(self) -> None:
        """Forget the last interview, keeping what it could not save for the lines said at exit."""
        if self.interview_run is not None:
            self._unsaved_earlier += self.interview_run.unsaved_lines()
        self.interview_run = None

    def _unsubmitted_draft(self) -> str:
        """How to submit a typed answer that quitting would lose (on screen, or kept); "" if none."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, screens.TypedAnswerScreen):
                return "ctrl+s" if screen.typed else ""  # the box holds the draft while it is open
            if isinstance(screen, QuestionScreen) and screen.draft:
                return "t, then ctrl+s,"
        return ""

    def _left_unscored(self) -> str | None:
        """The line that says an answer cut short was kept unscored, and how to score it (once)."""
        if self.session_log is None:
            return None
        line, self.session_log.left_unscored = self.session_log.left_unscored, None
        return line

    def on_unmount(self) -> None:
        self.end_session()
        if self.store is not None:
            self.store.close()
            self.store = None

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def load_model(self) -> None:
        """Load the speech model, after what an answer needs besides it (:func:`preload_answer`):
        when launched into a question, both load while it plays."""
        try:
            preload_answer()
            self.backends.transcriber.load()
            t = self.backends.transcriber
            self.post_message(ModelReady(f"{t.engine} {t.model_name}"))
        except SimulatorError as e:
            self.post_message(ModelFailed(str(e)))

    @on(ModelReady)
    def _model_ready(self, message: ModelReady) -> None:
        self.model_status = f"Speech model ready ({message.label})."
        self._refresh_home()
        self._model_settled()

    @on(ModelFailed)
    def _model_failed(self, message: ModelFailed) -> None:
        self.model_status = f"Speech model unavailable: {message.error} Answers can be typed."
        self.model_failed = True
        self.backends.source_factory = None
        self.microphone_status = "Spoken answers are off until the model is fixed (`interview-sim doctor`)."
        self.notify(message.error, severity="error", timeout=10)
        self._refresh_home()
        self._model_settled()

    def _refresh_home(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_status()

    # -- the interview flow -------------------------------------------------------------------------
    def start_interview(self, plan: Plan) -> None:
        self._set_aside_run()
        try:
            self.interview_run = InterviewRun.start(
                plan, self.backends.get_bank(), history=self._practice_history(plan), session_log=self.session_log,
                recordings_dir=self.backends.recordings_dir, engine=self.backends.transcriber.engine,
                model=self.backends.transcriber.model_name, end_silence_s=self.backends.end_silence_s,
                on_store_error=lambda message: self.notify(message, severity="error", timeout=10))
        except SimulatorError as e:
            self.notify(str(e), severity="error")
            return
        self.push_screen(self._question_screen())

    def _practice_history(self, plan: Plan):  # noqa: ANN202 - PracticeHistory | None
        """What the user has practised (from the store), so the plan prefers what they have not."""
        if self.store is None or plan.seed is not None:
            return None
        try:
            return history_from_store(self.store)
        except StoreError:
            return None

    def _question_screen(self) -> QuestionScreen:
        assert self.interview_run is not None
        return QuestionScreen(self.interview_run.interview, self.interview_run.audio_path())

    def answer_done(self, report: AnswerReport, audio_path: Path | None, *, samples=None,  # noqa: ANN001
                    position: int | None = None, shown: bool = False) -> None:
        """Store the finished answer and move on: its feedback (rehearsal) or the next question.

        ``shown``: the feedback is on screen already (:meth:`show_feedback`, while the answer could
        still resume), so only the store is left to do.
        """
        assert self.interview_run is not None
        step = self.interview_run.keep(report, audio_path, samples=samples, position=position, shown=shown)
        if step == "feedback":
            self.switch_screen(screens.FeedbackScreen(self.interview_run.answers[-1]))
        elif step == "next question":
            self.next_question()

    def show_feedback(self, report: AnswerReport, audio_path: Path | None = None) -> None:
        """Rehearsal: the feedback, over the question screen, which listens on a moment in case
        the candidate goes on (then :meth:`answer_resumed`); the answer is stored when it settles."""
        assert self.interview_run is not None
        self.push_screen(screens.FeedbackScreen(self.interview_run.show(report, audio_path)))
        self.notify("Not finished? Just keep talking for a few seconds and your answer carries on.", timeout=6)

    def answer_pending(self, report: AnswerReport, n_samples: int, position: int | None) -> None:
        """An answer may still resume: its report is kept beside its recording until it settles."""
        assert self.interview_run is not None
        self.interview_run.hold(report, n_samples, position)

    def answer_resumed(self, position: int | None = None) -> None:
        """The candidate went on after the answer ended: back to the question screen, recording."""
        if self.interview_run is not None:
            self.interview_run.release(position)
        if isinstance(self.screen, screens.FeedbackScreen) and self._question_under_feedback():
            self.pop_screen()

    def _question_under_feedback(self) -> bool:
        return len(self.screen_stack) >= 2 and isinstance(self.screen_stack[-2], QuestionScreen)

    def switch_screen(self, screen):  # noqa: ANN001, ANN201 - Textual's signature
        """Leaving feedback shown over its question screen leaves that question screen too."""
        if isinstance(self.screen, screens.FeedbackScreen) and self._question_under_feedback():
            self.pop_screen()
        return super().switch_screen(screen)

    def next_question(self) -> None:
        assert self.interview_run is not None
        self._settle_pending()
        if self.interview_run.advance() == "summary":
            self.switch_screen(self._summary_screen())
        else:
            self.switch_screen(self._question_screen())

    def _summary_screen(self) -> screens.SummaryScreen:
        run = self.interview_run
        assert run is not None
        return screens.SummaryScreen(run.interview, unsaved=run.is_unsaved, save_again=run.save_again)

    def start_roleplay(self, roleplay_id: str) -> None:
        """Open a role-play from the home screen; it is stored as a session like an interview."""
        try:
            library = self.backends.get_roleplays()
            roleplay = library.get_roleplay(roleplay_id)
            persona = library.persona_for(roleplay)
        except SimulatorError as e:
            self.notify(str(e), severity="error")
            return
        self._set_aside_run()
        self.push_screen(screens.RolePlayScreen(roleplay, persona, session_log=self.session_log))

    def rerecord(self) -> None:
        self._settle_pending()
        self.switch_screen(self._question_screen())

    def cancel_interview(self) -> None:
        """Escape during an interview: show what was answered, or go home. A session cut short is
        stored as cancelled, or not at all when nothing was said."""
        self._settle_pending()
        if self.interview_run is not None:
            self.interview_run.cancel()
        self.end_session()
        if (self.interview is not None and self.interview.answers
                and not isinstance(self.screen, screens.SummaryScreen)):
            self.switch_screen(self._summary_screen())
        else:
            self.go_home()
        if line := self._left_unscored():
            self.notify(line, timeout=12)

    def go_home(self) -> None:
        self._settle_launch()  # left the first question before it played: start-up finishes now
        self.end_session()
        while len(self.screen_stack) > 2 or not isinstance(self.screen, HomeScreen):
            if len(self.screen_stack) <= 1:
                break
            self.pop_screen()

    @property
    def answered(self) -> list[AnsweredQuestion]:
        return self.interview.answers if self.interview else []

    # -- audio devices ------------------------------------------------------------------------------
    def action_devices(self) -> None:
        """The device picker, between answers (not while a question is spoken, counted down or answered)."""
        if isinstance(self.screen, screens.DeviceScreen):
            return
        phase = getattr(self.screen, "phase", "ready")
        if phase not in self.DEVICE_PHASES:
            hint = "stop this answer first (space)" if phase == "recording" else "wait for the prompt to answer"
            self.notify(f"Devices change between answers: {hint}, or use the home or feedback screen.",
                        severity="warning")
            return
        self.push_screen(screens.DeviceScreen())

    def choose_device(self, kind: str, index: int | None, name: str = "") -> str:
        """Switch the microphone (``kind`` "input") or speaker; ``index`` None turns it off (typed
        answers, questions on screen only). Returns what to tell the user."""
        b = self.backends
        label = f" ({name})" if name else ""
        if kind == "input":
            if index is None:
                b.source_factory = None
                b.microphone_problem = "you chose to type your answers."
                self.microphone_status = "No microphone: you chose to type your answers."
                message = "Answers will be typed."
            elif self.model_failed:
                return "The speech model is unavailable, so answers are typed (`interview-sim doctor`)."
            else:
                b.source_factory = b.devices.microphone(index)
                b.input_device, b.microphone_problem = index, ""
                self.microphone_status = f"Microphone ready{label}."
                message = f"Microphone: {name or index}."
        else:
            b.player.stop()
            if index is None:
                b.player = NullPlayer()
                b.speaker_problem = "you chose no sound."
                message = "Questions will be shown, not spoken."
            else:
                b.player = b.devices.speaker(index)
                b.output_device, b.speaker_problem = index, ""
                message = f"Speaker: {name or index}."
            self.speaker_status = speaker_status(b.speaker_problem)
        self._refresh_home()
        return message

    # -- help and the command palette ---------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, screens.HelpScreen):
            self.push_screen(screens.HelpScreen())

    def get_system_commands(self, screen: Screen):  # noqa: ANN201
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and modes", self.action_help)
        yield SystemCommand("Audio devices", "Choose the microphone and speaker, or type answers",
                            self.action_devices)
        yield SystemCommand("Home", "Back to the start screen", self.go_home)
        yield SystemCommand("History", "Trends over sessions, attempts per question", self.action_history)
        yield SystemCommand("Replay", "Play back a stored answer with its transcript", self.action_replay)

    def action_history(self) -> None:
        if self.store is None:
            self.notify("No session store: nothing to show.", severity="warning")
        elif not isinstance(self.screen, screens.HistoryScreen):
            self.push_screen(screens.HistoryScreen())

    def action_replay(self, session_id: str | None = None) -> None:
        if self.store is None:
            self.notify("No session store: nothing to replay.", severity="warning")
        elif not isinstance(self.screen, screens.ReplayScreen):
            self.push_screen(screens.ReplayScreen(session_id))


def speaker_status(problem: str) -> str:
    """The home screen's line about the speaker: empty when questions can be spoken."""
    if not problem:
        return ""
    line = f"No speaker: {problem}"
    return line if "shown on screen" in line else f"{line} Questions are shown on screen."


def create_app(backends: Backends, plan: Plan | None = None, *, start_immediately: bool = False,
               replay_session: str | None = None) -> InterviewApp:
    """Build the app; tests pass fake backends, the CLI real ones. ``replay_session`` (an id, or
    "" to choose one) opens the replay screen on its own instead of the home screen."""
    return InterviewApp(backends, plan, start_immediately=start_immediately, replay_session=replay_session)
