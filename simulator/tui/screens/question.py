"""Asking one question and recording the answer, in rehearsal or timed-drill mode.

The screen only arranges widgets and forwards events: speaking runs in one worker, recording and
transcription (:func:`simulator.session.answer_loop.run_answer`) in another; they post messages back.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.audio.early_microphone import EarlyMicrophone
from simulator.audio.onset import Prerolled
from simulator.audio.think_time import ThinkTimeListener
from simulator.errors import SimulatorError
from simulator.session.interview import Interview
from simulator.tui import screens
from simulator.tui.messages import (
    AnswerEnded,
    AnswerFailed,
    AnswerPaused,
    AnswerReady,
    AnswerResumed,
    AnswerSettled,
    LevelChanged,
    PartialTranscript,
    SpeakingDone,
    SpeakingStarted,
    ThinkTimeHeard,
)
from simulator.tui.head_start import prepare_content
from simulator.tui.screens.hints import (
    DRAFT_KEPT,
    END_WITH_DRAFT_ASK,
    MICROPHONE_OFF,
    PAUSE_HINTS,
    PHASE_HINTS,
    TIME_UP_HINT,
)
from simulator.tui.second_press import END_INTERVIEW_ASK, WINDOW_S, SecondPress
from simulator.tui.widgets.level_meter import LevelMeter

if TYPE_CHECKING:
    from simulator.session.events import Reported

SHORT_TERMINAL_ROWS = 24
"""Below this many rows the question screen drops its spacing (class ``-short`` in app.tcss)."""


class QuestionScreen(Screen):
    BINDINGS = [
        ("space", "toggle", "Start/stop"),
        ("t", "type_answer", "Type answer"),
        # Off the footer so Help and Quit fit at 80 columns (the keys still work; see Help).
        Binding("p", "replay", "Replay question", show=False),
        Binding("d", "app.devices", "Devices", show=False),
        ("escape", "cancel", "Cancel"),
        ("f1", "app.help", "Help"),
    ]

    def __init__(self, interview: Interview, audio_path: Path | None = None):
        super().__init__()
        self.interview = interview
        self.question = interview.current
        self.audio_path = audio_path
        self.phase = "speaking"
        self._stop = threading.Event()
        self._cancelled = threading.Event()
        self._think_deadline = 0.0
        self._elapsed_s = 0.0
        self._speech_started = False
        self._type_after = False  # `t` pressed while listening: the box opens once the take is over
        self._position: int | None = None  # the take's place in the stored session
        self._microphone = EarlyMicrophone()  # opened while the question is spoken
        self._question_playing = threading.Event()
        self._think_time = ThinkTimeListener()  # a drill's: an answer begun without the key
        self._unsettled: Reported | None = None
        """A report shown while the answer may still resume; stored when it settles."""
        self._leave = SecondPress()
        self.draft = ""
        """A typed answer closed unsubmitted: shown again when the dialog reopens."""

    @property
    def backends(self):  # noqa: ANN201
        return self.app.backends  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:

        with Vertical(id="question-box"):
            mode = {"rehearsal": "Rehearsal", "drill": "Timed drill", "rapid": "Rapid fire"}[self.interview.plan.mode]
            follow_up = self.interview.follow_up
            kind = f"follow-up {follow_up.number} to question" if follow_up is not None else "question"
            yield Static(f"{mode} · {kind} {self.interview.position} · {self.question.category}", id="q-meta")
            if follow_up is not None:
                yield Static(Text.assemble(("Follow-up to: ", "bold"), follow_up.parent.text), id="q-follow-up")
            yield Static(self.question.text, id="q-text")
            yield Static("", id="q-hint")
            with Horizontal(id="q-clock"):
                yield Static("", id="q-countdown")
                yield Static("", id="q-elapsed")
            yield LevelMeter(id="q-level")
            yield Static("", id="q-partial")
        yield Footer()

    def on_mount(self) -> None:
        self.set_phase("speaking")
        self.set_interval(0.1, self._tick)
        self._fit_height(self.app.size.height)
        self.speak()  # at once: the first frame draws while the question is read and starts to play

    def on_resize(self, event: events.Resize) -> None:
        self._fit_height(event.size.height)

    def _fit_height(self, height: int) -> None:
        """In a short terminal the spacing goes, so the clock and the level meter stay on screen."""
        self.set_class(height < SHORT_TERMINAL_ROWS, "-short")

    # -- phases ---------------------------------------------------------------------------------
    def set_phase(self, phase: str) -> None:
        self.phase = phase
        self.refresh_bindings()  # the footer greys out what this phase cannot do
        self.query_one("#q-hint", Static).update(PHASE_HINTS[phase])
        self.set_class(phase == "recording", "recording")

    def _tick(self) -> None:
        countdown = self.query_one("#q-countdown", Static)
        if self.phase == "thinking":
            left = self._think_deadline - self.backends.clock()
            countdown.update(f"Think time: {max(0.0, left):4.0f} s")
            if left <= 0:
                self.start_recording()
        elif self.phase == "recording" and (limit := self.interview.limit_s()) is not None:
            countdown.update(f"Time left: {max(0.0, limit - self._elapsed_s):4.0f} s")
            if self._past_limit():  # not "take your time" beside a 0 s countdown
                self.query_one("#q-hint", Static).update(TIME_UP_HINT)
        elif self.phase != "recording":
            countdown.update("")

    def _past_limit(self) -> bool:
        """Whether the answer has run past the drill's time limit (the words past it are still kept)."""
        limit = self.interview.limit_s()
        return limit is not None and self._elapsed_s >= limit

    @work(thread=True, exclusive=True, group="speak", exit_on_error=False)
    def speak(self) -> None:
        error = ""
        self._microphone.open(self.backends.source_factory)
        try:
            utterance = self.backends.speaker.render(self.question.text)
            self._prefetch_upcoming()  # rendered while this one plays, so the next speaks at once
            self.post_message(SpeakingStarted())  # the app finishes starting up while it plays
            self._microphone.wait_listening()  # words said over the question are heard from its start
            if self._cancelled.is_set() or self.phase not in ("speaking", "thinking", "ready"):
                # The screen was left while the question rendered (it is not played over the next),
                # or the answer began (space): it is not played over that.
                return
            self._question_playing.set()
            try:
                self.backends.player.play(utterance.samples, utterance.sample_rate)
            finally:
                self._question_playing.clear()
        except SimulatorError as e:
            error = str(e)
        except Exception as e:  # noqa: BLE001 - speech is optional; the question is on screen
            error = f"could not speak the question: {e}"
        self.post_message(SpeakingDone(error))

    def _take_microphone(self):  # noqa: ANN202 - an AudioSource
        """The microphone for the answer starting now. After a think time, the answer starts with what
        the watch heard of it (:meth:`watch_think_time`) and nothing the microphone heard since is
        dropped; otherwise with the words said over the question's end
        (:meth:`~simulator.audio.early_microphone.EarlyMicrophone.for_answer`)."""
        preroll = self._think_time.hand_over()
        if preroll is None:
            return self._microphone.for_answer(self.backends.source_factory)
        source = self._microphone.take(self.backends.source_factory) or self.backends.source_factory()
        if len(preroll):
            return Prerolled(source, preroll, spoken_over_s=self._think_time.spoken_over_s)
        return source

    def _close_early_microphone(self) -> None:
        self._think_time.stop()
        self._microphone.close()

    def _prefetch_upcoming(self) -> None:
        prefetch = getattr(self.backends.speaker, "prefetch", None)
        if prefetch is None:
            return
        upcoming = [q.text for q in self.interview.questions[self.interview.index + 1:]]
        try:
            prefetch(upcoming)
        except Exception:  # noqa: BLE001 - only a head start; the question renders when asked
            pass

    @on(SpeakingDone)
    def _spoken(self, message: SpeakingDone) -> None:
        if message.error:
            self.notify(message.error, severity="warning", timeout=6)
        if self.phase != "speaking":
            return
        if self.interview.plan.mode in ("drill", "rapid"):
            self._think_deadline = self.backends.clock() + self.interview.think_s()
            self.set_phase("thinking")
            self._tick()
            self._think_time.begin()
            self.watch_think_time()
        elif self.backends.source_factory is None:
            self.set_phase("ready")
            self.action_type_answer()
        else:
            self.start_recording()

    @work(thread=True, exclusive=True, group="think", exit_on_error=False)
    def watch_think_time(self) -> None:
        """Listen through the think time: a candidate who starts talking starts the answer, and the
        recording begins just before their first word (:mod:`simulator.audio.think_time`)."""
        self._think_time.listen(self._microphone.peek(), self._question_playing,
                                lambda level, started: self.post_message(ThinkTimeHeard(level, started=started)))

    @on(ThinkTimeHeard)
    def _think_time_heard(self, message: ThinkTimeHeard) -> None:
        if self.phase != "thinking":
            return
        self.query_one(LevelMeter).level_db = message.level_db
        if message.started:
            self.start_recording()

    def start_recording(self) -> None:
        if self.phase in ("recording", "analysing", "done"):
            return
        if self.backends.source_factory is None:
            self.set_phase("ready")
            self.action_type_answer()
            return
        self.backends.player.stop()
        self._stop.clear()
        opened = self.app.open_answer_audio()  # type: ignore[attr-defined]
        writer = None
        if opened is not None:
            self._position, writer = opened
        self.set_phase("recording")
        self.record(writer)

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def record(self, writer=None) -> None:  # noqa: ANN001 - an AnswerWriter streaming to the store
        from simulator.audio.endpoint import EndpointConfig  # noqa: PLC0415 - see simulator.tui.head_start
        from simulator.rubric import score_content  # noqa: PLC0415
        from simulator.session.answer_loop import AnswerOptions, run_answer  # noqa: PLC0415
        from simulator.tui.answer_worker import relay_answer  # noqa: PLC0415

        bank = self.backends.get_bank()
        q = self.question
        endpoint = EndpointConfig(end_silence_s=self.backends.end_silence_s, max_s=self.interview.limit_s())
        mode = "rehearsal" if self.interview.plan.mode == "rehearsal" else "drill"
        options = AnswerOptions(endpoint=endpoint, recover_fillers=self.backends.recover_fillers,
                                target_length_s=self.interview.target_s(), mode=mode,
                                resume_window_s=self.backends.resume_window_s,
                                preview_every_s=self.backends.preview_every_s, question=q.text)
        relay_answer(self, lambda: run_answer(
            self._take_microphone(), self.backends.transcriber, options=options, audio_path=self.audio_path,
            stop=self._stop, score_content=lambda text: score_content(text, question=q, bank=bank),
            cancelled=self._cancelled.is_set, writer=writer,
        ), cancelled=self._cancelled.is_set)

    # -- messages from the worker -----------------------------------------------------------------
    @on(LevelChanged)
    def _level(self, message: LevelChanged) -> None:
        meter = self.query_one(LevelMeter)
        meter.level_db = message.level.level_db
        meter.speaking = message.level.speaking
        self._elapsed_s = message.level.elapsed_s
        self._speech_started = message.level.speech_started
        self.query_one("#q-elapsed", Static).update(f"Elapsed: {self._elapsed_s:5.1f} s")

    @on(PartialTranscript)
    def _partial(self, message: PartialTranscript) -> None:
        self.query_one("#q-partial", Static).update(message.text)

    @on(AnswerPaused)
    def _paused(self, message: AnswerPaused) -> None:
        if self.phase == "recording":
            hint = TIME_UP_HINT if self._past_limit() else PAUSE_HINTS.get(message.pause.cue, PHASE_HINTS["recording"])
            self.query_one("#q-hint", Static).update(hint)

    @on(AnswerEnded)
    def _ended(self, message: AnswerEnded) -> None:
        if self._cancelled.is_set():
            return
        self.set_phase("analysing")
        if message.ended.note:
            self.notify(f"The answer ended: {message.ended.note}.", timeout=6)
        if message.ended.message:
            self.notify(f"{message.ended.message} Press d to choose another microphone.", severity="error",
                        timeout=10)
        if message.ended.overflows:
            self.notify(f"{message.ended.overflows} audio overflow(s): some audio may be missing.",
                        severity="warning")

    @on(AnswerReady)
    def _ready(self, message: AnswerReady) -> None:
        if self._cancelled.is_set():
            return
        reported = message.reported
        if self._type_after:
            self._type_after = False
            if reported.report.transcript.is_empty:  # silent, as it was when `t` was pressed
                self.set_phase("ready")
                self.action_type_answer()
                return
        if not reported.resumable:
            self._unsettled = None
            self.set_phase("done")
            self.app.answer_done(reported.report, reported.audio_path,  # type: ignore[attr-defined]
                                 samples=reported.samples, position=self._position)
            return
        # The microphone stays open a moment: the feedback shows now (rehearsal), the answer is
        # stored when it settles (its report kept beside the recording meanwhile, for a crash),
        # and speaking again brings this screen back (_resumed).
        self._unsettled = reported
        self.set_phase("settling")
        self.app.answer_pending(reported.report, len(reported.samples), self._position)  # type: ignore[attr-defined]
        if self.interview.plan.mode == "rehearsal":
            self.app.show_feedback(reported.report, reported.audio_path)  # type: ignore[attr-defined]

    @on(AnswerResumed)
    def _resumed(self, message: AnswerResumed) -> None:
        if self._cancelled.is_set():
            return
        self._unsettled = None
        self.app.answer_resumed(self._position)  # type: ignore[attr-defined]
        self.set_phase("recording")
        self.notify(f"You went on {message.resumed.after_s:.0f} s after the answer ended: it resumed.", timeout=5)

    @on(AnswerSettled)
    def _settled(self, message: AnswerSettled) -> None:
        self._settle(message.reported)

    def _settle(self, reported: Reported, *, leaving: bool = False) -> None:
        """The answer is over for good: store it and, in a drill, go on to the next question
        (``leaving``: the screen is going away, so only store it)."""
        if self._unsettled is not reported:
            return
        self._unsettled = None
        if not leaving:
            self.set_phase("done")
            if self.interview.plan.mode == "rehearsal":
                # The feedback has been up a while: anything said from now on is not recorded.
                self.notify(MICROPHONE_OFF, timeout=8)
        self.app.answer_done(reported.report, reported.audio_path,  # type: ignore[attr-defined]
                             samples=reported.samples, position=self._position,
                             shown=leaving or self.interview.plan.mode == "rehearsal")

    def settle_now(self) -> None:
        """Store an answer still listening on (the session is about to end or the screen to go)."""
        if self._unsettled is not None:
            self._settle(self._unsettled, leaving=True)

    @on(AnswerFailed)
    def _failed(self, message: AnswerFailed) -> None:
        if self._cancelled.is_set() or not self.is_attached:
            return
        advice = (" You can type your answer instead, or press d to choose another microphone."
                  if message.microphone_failed else " You can type your answer instead.")
        self.notify(message.error + advice, severity="error", timeout=10)
        self.set_phase("ready")
        self.backends.source_factory = None if message.microphone_failed else self.backends.source_factory
        self.action_type_answer(reason=message.error)

    # -- keys -------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Typing the answer and hearing the question again work until the answer starts; from then on
        the footer shows them greyed out (they were shown as usable while listening, and did nothing)."""
        if action == "type_answer" and self.phase == "recording" and not self._speech_started:
            return True  # listening, nothing said yet: stops listening and opens the box
        if action in ("type_answer", "replay") and self.phase not in ("speaking", "thinking", "ready"):
            return None
        return True

    def action_toggle(self) -> None:
        if self.phase in ("recording", "settling"):
            self._stop.set()
        elif self.phase in ("thinking", "ready", "speaking"):
            self.start_recording()

    def action_replay(self) -> None:
        if self.phase in ("speaking", "thinking", "ready"):
            self.speak()

    def action_type_answer(self, reason: str = "") -> None:
        if self.phase == "recording" and not self._speech_started and not self._type_after:
            # Nothing said yet: stop listening; the box opens when the silent take is over (_ready),
            # and that take is not kept as an answer. Before, `t` did nothing here and the typed
            # sentence became key presses: its first space ended the take, stored as an empty answer.
            self._type_after = True
            self._stop.set()
            return
        if self.phase in ("recording", "analysing", "done"):
            return
        if not reason and self.backends.source_factory is None:
            reason = self.backends.microphone_problem or "No microphone: type your answer."
        self._close_early_microphone()
        self.backends.player.stop()
        self.set_phase("ready")
        self.app.push_screen(screens.TypedAnswerScreen(self.question.text, reason, prepare=prepare_content,
                                                       draft=self.draft, keep_draft=self._keep_draft),
                             self._typed)

    def _keep_draft(self, text: str) -> None:
        """The typed answer was closed unsubmitted: it comes back when the dialog opens again."""
        self.draft = text
        if text:
            self.notify(DRAFT_KEPT, timeout=6)

    def _typed(self, text: str | None) -> None:
        if not text:
            return
        self.draft = ""
        from simulator.answer.build import typed_report  # noqa: PLC0415 - see simulator.tui.head_start
        from simulator.rubric import score_content  # noqa: PLC0415

        q = self.question
        report = typed_report(text, lambda t: score_content(t, question=q, bank=self.backends.get_bank()),
                              self.interview.target_s())
        self.set_phase("done")
        self.app.answer_done(report, None)  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        """Escape: end the interview (what was answered is kept; see :meth:`App.cancel_interview`)."""
        if self._has_something_to_lose() and not self._leave.confirmed():
            only_a_draft = self.draft and not self.interview.answers and not self._speech_started
            self.notify(END_WITH_DRAFT_ASK if only_a_draft else END_INTERVIEW_ASK, timeout=WINDOW_S)
            return
        self._cancelled.set()
        self._stop.set()
        self.backends.player.stop()
        self.app.cancel_interview()  # type: ignore[attr-defined]

    def _has_something_to_lose(self) -> bool:
        """Whether ending here would cut a session short: answers given, one being said, or a typed
        answer kept unsubmitted."""
        answering = self.phase in ("recording", "analysing", "settling") and self._speech_started
        return bool(self.interview.answers) or answering or bool(self.draft)

    def on_unmount(self) -> None:
        """Leaving the screen any way (quit included) ends capture and playback at once. Without
        this, quitting mid-answer left the recording worker running until the answer ended by
        itself, and the process could not exit until then (Textual joins its worker threads)."""
        if self.phase in ("speaking", "thinking", "ready", "recording", "analysing", "settling"):
            self._cancelled.set()
            self._stop.set()
        self.settle_now()  # left while listening on: the answer shown is the one kept
        self._close_early_microphone()
        if self._question_playing.is_set():
            # Only this screen's own question: the next screen's, rendered ahead, is playing by the
            # time this one unmounts, and the shared speaker's stop would cut it off.
            self.backends.player.stop()
