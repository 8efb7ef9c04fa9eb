"""A spoken role-play: the customer speaks, the candidate answers, turn by turn, then a debrief.

The screen arranges widgets and forwards events; the conversation is a
:class:`~simulator.roleplay.engine.RolePlaySession` and each spoken turn is
:func:`simulator.session.roleplay_turns.run_turn` in a worker. The customer's lines are spoken with the
persona's voice settings. A mood meter shows how the customer feels, a turn timer shows the script's
turn limit (recording and typing both end at it). The screen needs only :class:`Backends`, so any
app can push it: ``app.push_screen(RolePlayScreen(roleplay, persona, backends))``. Given a
:class:`~simulator.session.session_log.SessionLog`, the role-play is stored as a session (mode
``roleplay``): each turn's audio streams to the store, each turn is saved as an answer to the
customer's line with its de-escalation score, and the outcome and mood trail are kept at the end.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.audio.early_microphone import EarlyMicrophone
from simulator.audio.endpoint import EndReason
from simulator.errors import SimulatorError, StoreError
from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.models import Persona, RolePlay
from simulator.session.end_of_turn import Cue
from simulator.session.roleplay_turns import TurnCutOff, TurnTaken, run_turn, speak_customer, take_turn
from simulator.store.roleplays import roleplay_cut_off_question
from simulator.tui.backends import Backends
from simulator.tui.answer_worker import relay_answer
from simulator.tui.messages import (
    AnswerEnded, AnswerFailed, AnswerPaused, AnswerResumed, LevelChanged, PartialTranscript,
)
from simulator.tui.screens.roleplay_debrief import RolePlayDebriefScreen
from simulator.tui.screens.typed_answer import TimedTypedAnswer
from simulator.session.session_log import ROLEPLAY_MODE, SessionLog, roleplay_settings, roleplay_turn_question
from simulator.tui.widgets.level_meter import LevelMeter
from simulator.tui.widgets.mood_meter import MoodMeter
from simulator.tui.head_start import prepare_content
from simulator.tui.screens.hints import PAUSE_HINTS

HINTS = {
    "speaking": "The customer is speaking…",
    "ready": "Press space to answer aloud, or t to type.",
    "recording": "Your turn — just talk. Pause or press space when you are done.",
    "typing": "Type your reply.",
    "analysing": "The customer is about to answer… go on if you had more to say, or press space.",
    "over": "The role-play is over.",
}
TURN_PAUSE_HINTS = {**PAUSE_HINTS,
                    Cue.NO_SIGNAL: "Your microphone sends only silence — is it muted? Unmute it and talk."}


@dataclass
class CustomerSpoken(Message):
    error: str = ""


@dataclass
class TurnDone(Message):
    taken: TurnTaken


@dataclass
class TurnInterrupted(Message):
    cut: TurnCutOff


CUT_OFF_HINT = ("The microphone stopped during your turn, so the customer did not hear it: press d to choose "
                "another microphone, space to say it again, or t to type it.")


class RolePlayScreen(Screen):
    DEFAULT_CSS = """
    RolePlayScreen #rp-box { padding: 1 2; height: auto; }
    RolePlayScreen #rp-customer { margin: 1 0; text-style: bold; }
    RolePlayScreen #rp-clock { height: 1; }
    RolePlayScreen #rp-timer, RolePlayScreen #rp-elapsed { width: 1fr; }
    RolePlayScreen #rp-level { height: 1; }
    RolePlayScreen #rp-log { height: 1fr; border-top: solid $primary; padding: 0 2; }
    """
    BINDINGS = [
        ("space", "toggle", "Start/stop"),
        ("t", "type_answer", "Type reply"),
        # Off the footer so Help and Quit fit at 80 columns (the keys still work; see Help).
        Binding("p", "replay", "Replay customer", show=False),
        Binding("d", "app.devices", "Devices", show=False),
        ("escape", "leave", "Leave"),
    ]

    def __init__(self, roleplay: RolePlay, persona: Persona, backends: Backends | None = None, *,
                 session_log: SessionLog | None = None):
        super().__init__()
        self.roleplay = roleplay
        self.persona = persona
        self._backends = backends
        self.session_log = session_log
        self._position: int | None = None  # the turn's place in the stored session
        self.session: RolePlaySession | None = None
        self.phase = "speaking"
        self.taken: list[TurnTaken] = []
        self.line = roleplay.opening
        self._stop = threading.Event()
        self._cancelled = threading.Event()
        self._leave_after_turn = False
        self._elapsed_s = 0.0
        self._stamp = time.strftime("%Y%m%d-%H%M%S")
        self._microphone_lost = False
        """The microphone died during the last turn: wait for the candidate instead of recording again."""
        self._draft = ""
        """The words of a turn the microphone cut off: the typed box starts with them."""
        self._microphone = EarlyMicrophone()  # opened while the customer speaks
        self._log_lines: list[str] = []
        """The conversation so far, as shown in the log under the customer."""

    @property
    def backends(self) -> Backends:
        return self._backends if self._backends is not None else self.app.backends  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="rp-box"):
            yield Static(f"Role-play · {self.roleplay.title} · customer: {self.persona.name}", id="rp-meta")
            yield Static(f"Brief: {self.roleplay.brief}", id="rp-brief")
            yield MoodMeter(id="rp-mood")
            yield Static("", id="rp-customer")
            yield Static("", id="rp-hint")
            with Horizontal(id="rp-clock"):
                yield Static("", id="rp-timer")
                yield Static("", id="rp-elapsed")
            yield LevelMeter(id="rp-level")
            yield Static("", id="rp-partial")
        with VerticalScroll(id="rp-log"):
            yield Static("", id="rp-log-text")
        yield Footer()

    def on_mount(self) -> None:
        self.session = RolePlaySession(self.roleplay, self.persona, bank=self.backends.bank)
        self._start_log()
        self.query_one(MoodMeter).mood = self.session.mood
        self._show_customer(self.session.opening.text)
        self.set_interval(0.1, self._tick)
        self.set_phase("speaking")
        self.call_after_refresh(self.speak)

    # -- the stored session -------------------------------------------------------------------------
    @property
    def storing(self) -> bool:
        return self.session_log is not None and self.session_log.active

    def _store_call(self, fn, *args, **kwargs):  # noqa: ANN001, ANN202, ANN002, ANN003
        """Run a store write; a failure is a notification (the role-play goes on unsaved)."""
        try:
            return fn(*args, **kwargs)
        except (StoreError, OSError) as e:
            self.notify(f"Could not save to the session store: {e}", severity="error", timeout=10)
            return None

    def _start_log(self) -> None:
        if self.session_log is None:
            return
        t = self.backends.transcriber
        self._store_call(self.session_log.start, role=self.roleplay.role, mode=ROLEPLAY_MODE,
                    settings=roleplay_settings(self.roleplay, self.persona, self.backends.end_silence_s),
                    engine=t.engine, model=t.model_name)

    def _turn_question(self):  # noqa: ANN202 - a QuestionRef: the customer's line being answered
        return roleplay_turn_question(self.roleplay.id, len(self.taken) + 1, self.line)

    # -- display ----------------------------------------------------------------------------------
    def set_phase(self, phase: str, hint: str | None = None) -> None:
        self.phase = phase
        self.query_one("#rp-hint", Static).update(hint if hint is not None else HINTS[phase])
        self.set_class(phase == "recording", "recording")

    def _show_customer(self, text: str) -> None:
        self.line = text
        self._elapsed_s = 0.0  # the last turn's clock is stale once the customer speaks again
        self.query_one("#rp-elapsed", Static).update("")
        self.query_one("#rp-customer", Static).update(f"{escape(self.persona.name)}: “{escape(text)}”")
        self._log(f"[b]Customer:[/b] {escape(text)}")

    def _log(self, line: str) -> None:
        log = self.query_one("#rp-log-text", Static)
        self._log_lines.append(line)
        log.update("\n".join(self._log_lines))

    def _tick(self) -> None:
        timer = self.query_one("#rp-timer", Static)
        if self.phase == "recording":
            left = self.roleplay.turn_limit_s - self._elapsed_s
            timer.update(f"Turn time left: {max(0.0, left):4.0f} s")
        elif self.phase != "typing":
            timer.update("")

    # -- the customer speaks ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="rp-speak", exit_on_error=False)
    def speak(self) -> None:
        error = ""
        if not self._microphone_lost and not (self.session is not None and self.session.finished):
            self._microphone.open(self.backends.source_factory)  # words said over the line's end are kept
        try:
            speak_customer(self.backends.speaker, self.backends.player, self.persona, self.line,
                           before_play=self._ready_to_play)
        except SimulatorError as e:
            error = str(e)
        except Exception as e:  # noqa: BLE001 - speech is optional; the line is on screen
            error = f"could not speak the customer's line: {e}"
        self.post_message(CustomerSpoken(error))

    def _ready_to_play(self) -> bool:
        """Play the line once the microphone hears, unless the screen was left or the candidate
        began meanwhile (space): the line is not played over their turn."""
        self._microphone.wait_listening()
        return not self._cancelled.is_set() and self.phase in ("speaking", "ready")

    @on(CustomerSpoken)
    def _spoken(self, message: CustomerSpoken) -> None:
        if message.error:
            self.notify(message.error, severity="warning", timeout=6)
        assert self.session is not None
        if self.session.finished:
            self._debrief()
        elif self.phase == "speaking":
            if self.backends.source_factory is None:
                self.set_phase("ready")
                self.action_type_answer()
            elif self._microphone_lost:
                self.set_phase("ready", "The microphone stopped: press d to choose another, space to try it "
                                        "again, or t to type.")
            else:
                self.start_recording()

    # -- the candidate answers --------------------------------------------------------------------
    def start_recording(self) -> None:
        if self.phase in ("recording", "analysing", "over", "typing"):
            return
        if self.backends.source_factory is None:
            self.action_type_answer()
            return
        self.backends.player.stop()
        self._stop.clear()
        self._microphone_lost = False
        self._elapsed_s = 0.0
        self.query_one("#rp-partial", Static).update("")
        writer, self._position = None, None
        if self.storing:
            opened = self._store_call(self.session_log.open_audio, self._turn_question())  # type: ignore[union-attr]
            if opened is not None:
                self._position, writer = opened
        self.set_phase("recording")
        self.record(writer)

    def _audio_path(self) -> Path | None:
        if self.backends.recordings_dir is None or self.storing:
            return None
        n = len(self.taken) + 1
        folder = Path(self.backends.recordings_dir) / f"roleplay-{self._stamp}-{self.roleplay.id}"
        path, take = folder / f"{n:02d}-turn.wav", 1
        while path.exists():  # a turn said again after the microphone cut it off: both recordings kept
            take += 1
            path = folder / f"{n:02d}-turn-take{take}.wav"
        return path

    @work(thread=True, exclusive=True, group="rp-record", exit_on_error=False)
    def record(self, writer=None) -> None:  # noqa: ANN001 - an AnswerWriter streaming to the store
        assert self.session is not None
        audio_path = None if writer is not None else self._audio_path()
        relay_answer(self, lambda: run_turn(
            self.session, self._microphone.for_answer(self.backends.source_factory),  # type: ignore[arg-type]
            self.backends.transcriber,
            end_silence_s=self.backends.end_silence_s, audio_path=audio_path, stop=self._stop,
            cancelled=self._cancelled.is_set, writer=writer, bank=self.backends.bank,
        ), cancelled=self._cancelled.is_set, more={TurnTaken: TurnDone, TurnCutOff: TurnInterrupted})

    @on(LevelChanged)
    def _level(self, message: LevelChanged) -> None:
        meter = self.query_one(LevelMeter)
        meter.level_db = message.level.level_db
        meter.speaking = message.level.speaking
        if self.phase != "recording":
            return  # a late level from a turn already over: the clock stays cleared
        self._elapsed_s = message.level.elapsed_s
        self.query_one("#rp-elapsed", Static).update(f"Elapsed: {self._elapsed_s:5.1f} s")

    @on(PartialTranscript)
    def _partial(self, message: PartialTranscript) -> None:
        self.query_one("#rp-partial", Static).update(message.text)

    @on(AnswerPaused)
    def _paused(self, message: AnswerPaused) -> None:
        if self.phase == "recording":
            hint = TURN_PAUSE_HINTS.get(message.pause.cue, HINTS["recording"])
            self.query_one("#rp-hint", Static).update(hint)

    @on(AnswerEnded)
    def _ended(self, message: AnswerEnded) -> None:
        if self._cancelled.is_set():
            return
        hint = "Time's up for this turn." if message.ended.reason.value == "time limit" else None
        if message.ended.reason is EndReason.DEVICE_LOST:
            hint = "The microphone stopped."
        self.set_phase("analysing", hint)
        if message.ended.reason is EndReason.DEVICE_LOST:
            self._microphone_lost = True
            self.notify(f"{message.ended.message} Press d to choose another microphone.", severity="error",
                        timeout=8)
        elif message.ended.message:
            self.notify(message.ended.message, severity="error", timeout=8)

    @on(AnswerResumed)
    def _resumed(self, message: AnswerResumed) -> None:
        """The candidate went on while the customer waited: the same turn records on."""
        if self._cancelled.is_set() or self.phase != "analysing":
            return
        self.set_phase("recording")

    @on(AnswerFailed)
    def _failed(self, message: AnswerFailed) -> None:
        if self._cancelled.is_set() or not self.is_attached:
            return  # the worker of a role-play already left: its store was closed under it
        if self._left_as_asked():
            return
        self.notify(message.error + " You can type your reply instead, or press d to choose another microphone.",
                    severity="error", timeout=10)
        if message.microphone_failed:
            self.backends.source_factory = None
        self.set_phase("ready")
        self.action_type_answer(reason=message.error)

    def action_type_answer(self, reason: str = "") -> None:
        if self.phase in ("recording", "analysing", "over", "typing") or self._cancelled.is_set():
            return
        if not reason and self.backends.source_factory is None:
            reason = self.backends.microphone_problem or "No microphone: type your reply."
        self.backends.player.stop()
        self._microphone.close()
        self.set_phase("typing")
        dialog = TimedTypedAnswer(f"{self.persona.name}: “{self.line}”", self.roleplay.turn_limit_s, reason,
                                  prepare=prepare_content, draft=self._draft)
        self.app.push_screen(dialog, lambda text: self._typed(dialog, text))

    def _typed(self, dialog: TimedTypedAnswer, text: str | None) -> None:
        if text is None:  # cancelled: back to choosing
            self.set_phase("ready")
            return
        assert self.session is not None
        elapsed = time.monotonic() - dialog.started
        reason = "time limit" if dialog.timed_out else "typed"
        self._position = None  # typed: stored without audio at the next free position
        self.post_message(TurnDone(take_turn(self.session, text, elapsed, end_reason=reason,
                                             bank=self.backends.bank)))

    @on(TurnDone)
    def _turn_done(self, message: TurnDone) -> None:
        if self._cancelled.is_set():
            return
        taken = message.taken
        if self.storing and taken.report is not None:
            log = self.session_log
            assert log is not None
            record = self._store_call(log.save, self._turn_question(), taken.report, taken.samples, self._position)
            if record is not None:
                taken = replace(taken, audio_path=record.audio_path)
        self._position = None
        self._draft = ""
        self.taken.append(taken)
        meter = self.query_one(MoodMeter)
        meter.mood, meter.delta = taken.candidate.mood, taken.candidate.mood_delta
        timed_out = " (time's up)" if taken.end_reason == "time limit" else ""
        self._log(f"[b]You{timed_out}:[/b] {escape(taken.text)}")
        self._log(f"  [i]{escape(taken.candidate.feedback)}[/i]")
        if self._leave_after_turn:
            self._leave_after_turn = False
            self._cancelled.set()
            self._debrief()
            return
        self._show_customer(taken.reply.text)
        self.set_phase("speaking")
        self.speak()

    @on(TurnInterrupted)
    def _turn_cut_off(self, message: TurnInterrupted) -> None:
        """The microphone stopped mid-turn: the customer waits for the turn again (said or typed; the
        words so far start the typed box), and its recording stays open in the store, kept unscored
        when the role-play ends."""
        if self._cancelled.is_set():
            return
        cut = message.cut
        if self.storing and cut.report is not None:
            # Kept as a take of its own, not as the turn: the turn is still to come, and a stored
            # role-play's turns are numbered by the takes that are turns.
            question = roleplay_cut_off_question(self.roleplay.id, len(self.taken) + 1, self.line)
            self._store_call(self.session_log.save, question, cut.report, cut.samples,  # type: ignore[union-attr]
                             self._position)
        self._position = None
        if cut.said:
            self._log(f"[b]You (cut off, not heard by the customer):[/b] {escape(cut.said)}")
            self._draft = cut.said  # a second cut-off that caught nothing keeps the first one's words
        if self._left_as_asked():
            return
        self.set_phase("ready", CUT_OFF_HINT)

    def _left_as_asked(self) -> bool:
        """Leave now if leaving was asked for as a turn that brought no reply ended (failed or cut off):
        nothing more to take. Whether it left."""
        if not self._leave_after_turn:
            return False
        self._leave_after_turn = False
        self.phase = "ready"
        self.action_leave()
        return True

    # -- keys -------------------------------------------------------------------------------------
    def action_toggle(self) -> None:
        if self.phase in ("recording", "analysing"):
            self._stop.set()  # analysing: the customer answers without waiting for more
        elif self.phase in ("ready", "speaking"):
            self.start_recording()

    def action_replay(self) -> None:
        if self.phase in ("speaking", "ready"):
            self.speak()

    def action_leave(self) -> None:
        if self.phase == "analysing" and not self._cancelled.is_set():
            # The turn is said and the customer is about to answer: take it (it counts in the debrief
            # and is stored scored), then leave (_turn_done).
            self._leave_after_turn = True
            self._stop.set()
            return
        self._cancelled.set()
        self._stop.set()
        self.backends.player.stop()
        if self.session is not None and self.session.candidate_turns and not self.session.finished:
            self._debrief()
        else:
            if self.storing:  # left before a turn was in: kept as cancelled, or dropped if nothing was said
                self._store_call(self.session_log.cancel)  # type: ignore[union-attr]
            self.app.pop_screen()

    def on_unmount(self) -> None:
        """Leaving the screen any way (quit included) ends capture and playback at once, so the app
        can exit without waiting for the turn to end by itself."""
        if self.phase in ("speaking", "ready", "typing", "recording", "analysing"):
            self._cancelled.set()
            self._stop.set()
        self.backends.player.stop()
        self._microphone.close()

    def _debrief(self) -> None:
        assert self.session is not None
        self._microphone.close()
        self.set_phase("over")
        result = self.session.result()
        if self.storing:
            self._store_call(self.session_log.finish_roleplay, result)  # type: ignore[union-attr]
        self.app.switch_screen(RolePlayDebriefScreen(
            result, self.roleplay, retry=lambda: RolePlayScreen(self.roleplay, self.persona, self._backends,
                                                                session_log=self.session_log)))
