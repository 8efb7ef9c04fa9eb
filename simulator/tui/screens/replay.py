"""Replay: pick a stored session and answer, play it back with the transcript following word by word.

Left, the sessions and the chosen session's answers; right, the answer's transcript (current word
highlighted, fillers and long pauses marked), the playback status, and the scores and feedback as
they were given. The playback itself is :class:`~simulator.audio.replay.ReplayPlayback`; this
screen only forwards keys to it and redraws the transcript when the current word changes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.analysis.marking import MarkedTranscript, mark_words
from simulator.analysis.moments import Moment, delivery_moments
from simulator.errors import StoreError
from simulator.report.view import red_flag_label
from simulator.store import AnswerRecord
from simulator.session.interview import AnsweredQuestion
from simulator.store.roleplays import RolePlayRecord, roleplay_record
from simulator.audio.replay import ReplayPlayback
from simulator.tui.screens.feedback import content_text, delivery_table
from simulator.tui.widgets.replay_transcript import replay_text, word_at
from simulator.tui.widgets.trend import session_score, when
from simulator.tui.screens.attempts import open_attempts


LEAD_IN_S = 0.5
"""A moment plays from this long before it starts, so the ear hears what led into it."""


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


class ReplayScreen(Screen):
    BINDINGS = [
        Binding("space", "toggle", "Play/pause", priority=True),
        # Pairs shown as one footer key each, so Help and Quit fit at 80 columns.
        Binding("left", "word(-1)", "Word", priority=True, key_display="←/→"),
        Binding("right", "word(1)", "Next word", priority=True, show=False),
        Binding("left_square_bracket", "slower", "Speed", key_display="[/]"),
        Binding("right_square_bracket", "faster", "Faster", key_display="]", show=False),
        # Not in the footer, so Help and Quit still fit at 80 columns; the help screen lists it.
        Binding("a", "attempts", "Attempts", show=False),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, session_id: str | None = None, *, standalone: bool = False):
        super().__init__()
        self.initial_session = session_id
        self.standalone = standalone  # `interview-sim replay`: escape quits
        self.session_id: str | None = None
        self.answers: list[AnswerRecord] = []
        self.roleplay: RolePlayRecord | None = None
        self.answer: AnswerRecord | None = None
        self.marked: MarkedTranscript | None = None  # the answer's transcript as every renderer marks it
        self.moments: list[Moment] = []  # the answer's fillers, long pauses and tone moments
        self.playback: ReplayPlayback | None = None
        self.current_word: int | None = None

    @property
    def store(self):  # noqa: ANN201
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Horizontal(id="replay-box"):
            with Vertical(id="replay-left"):
                yield Static("Sessions", classes="section")
                yield DataTable(id="replay-sessions", cursor_type="row")
                yield Static("Answers", classes="section")
                yield DataTable(id="replay-answers", cursor_type="row")
                yield Static("Moments (enter: hear it)", classes="section")
                yield DataTable(id="replay-moments", cursor_type="row")
            with VerticalScroll(id="replay-right"):
                yield Static("", id="replay-question")
                yield Static("", id="replay-status")
                yield Static("", id="replay-transcript")
                yield Static("Delivery", classes="section")
                yield Static("", id="replay-delivery")
                yield Static("Content and feedback", classes="section")
                yield Static("", id="replay-content")
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.query_one("#replay-sessions", DataTable)
        sessions.add_columns("Date", "Role", "Mode", "Score")
        summaries = list(reversed(self.store.summaries()))
        for s in summaries:
            sessions.add_row(when(s.session.started_at), s.session.role or "–", s.session.mode or "–",
                             session_score(s), key=s.session.id)
        self.query_one("#replay-answers", DataTable).add_columns("#", "Question", "Audio")
        self.query_one("#replay-moments", DataTable).add_columns("At", "What", "Detail")
        self.set_interval(0.05, self.tick)
        chosen = None
        if self.initial_session:
            try:
                chosen = self.store.get_session(self.initial_session).id
            except StoreError as e:
                self.notify(str(e), severity="error")
        elif summaries:
            chosen = summaries[0].session.id
        if chosen is None:
            self._show_empty("No stored sessions yet." if not summaries else "Choose a session.")
            return
        sessions.move_cursor(row=sessions.get_row_index(chosen))
        self.load_session(chosen)

    # -- choosing ---------------------------------------------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "replay-sessions" and event.row_key.value != self.session_id:
            self.load_session(str(event.row_key.value))
        elif event.data_table.id == "replay-answers" and 0 <= event.cursor_row < len(self.answers):
            if self.answers[event.cursor_row] is not self.answer:
                self.load_answer(self.answers[event.cursor_row])

    def load_session(self, session_id: str) -> None:
        self.session_id = session_id
        self.answers = self.store.answers(session_id)
        self.roleplay = roleplay_record(self.store.get_session(session_id), self.answers)
        table = self.query_one("#replay-answers", DataTable)
        table.clear()
        for a in self.answers:
            table.add_row(str(a.position), (a.question.text or "(question not known)")[:34],
                          f"{a.duration_s:.0f} s" if a.audio_path else "typed", key=str(a.id))
        if self.answers:
            self.load_answer(self.answers[0])
        else:
            self._show_empty("This session has no answers.")

    def load_answer(self, answer: AnswerRecord) -> None:
        """Show ``answer`` and get its playback ready (paused at the start)."""
        if self.playback is not None:
            self.playback.stop()
        self.answer = answer
        self.marked = None
        samples, audio_note = None, ""
        if answer.audio_path is None:
            audio_note = "typed answer: no recording"
        else:
            try:
                samples = self.store.load_audio(answer)
            except StoreError:
                audio_note = "audio missing: the words follow the clock in silence"
        words = answer.words
        duration = answer.duration_s or (answer.delivery.duration_s if answer.delivery else 0.0)
        if words:
            duration = max(duration, words[-1].end_s)
        backends = self.app.backends  # type: ignore[attr-defined]
        self.playback = ReplayPlayback(backends.player, samples, duration, clock=backends.clock)
        self.audio_note = audio_note
        self.current_word = None
        self.query_one("#replay-question", Static).update(
            Text(answer.question.text or "(question not known)", style="bold"))
        report = answer.report()
        if report is None:
            self.query_one("#replay-delivery", Static).update(
                f"Not scored yet (recovered recording): run `interview-sim rescore {answer.session_id}`.")
            self.query_one("#replay-content", Static).update("")
        else:
            shown = AnsweredQuestion(answer.question, report)
            rp = self.roleplay
            self.query_one("#replay-delivery", Static).update(delivery_table(shown, length=rp is None))
            self.query_one("#replay-content", Static).update(
                content_text(shown) if rp is None else roleplay_text(rp, answer))
        self._show_moments(answer.delivery)
        self._render_transcript()
        self._render_status()

    def _show_moments(self, delivery) -> None:  # noqa: ANN001 - DeliveryMetrics | None
        self.moments = delivery_moments(delivery) if delivery is not None else []
        table = self.query_one("#replay-moments", DataTable)
        table.clear()
        for i, m in enumerate(self.moments):
            table.add_row(_clock(m.start_s), m.label, m.detail, key=str(i))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a moment: play from just before it."""
        if event.data_table.id == "replay-moments" and 0 <= event.cursor_row < len(self.moments):
            self.hear_moment(self.moments[event.cursor_row])

    def hear_moment(self, moment: Moment) -> None:
        if self.playback is None:
            return
        self.playback.seek(max(0.0, moment.start_s - LEAD_IN_S))
        if not self.playback.playing:
            self.playback.play()
        self.tick()

    def _show_empty(self, text: str) -> None:
        self.answer = None
        self.marked = None
        self.playback = None
        self._show_moments(None)
        self.query_one("#replay-question", Static).update(text)
        for wid in ("#replay-status", "#replay-transcript", "#replay-delivery", "#replay-content"):
            self.query_one(wid, Static).update("")

    # -- following the playback -----------------------------------------------------------------
    def tick(self) -> None:
        if self.playback is None or self.answer is None:
            return
        index = word_at(self.answer.words, self.playback.position_s) if self.playback.position_s > 0 else None
        if index != self.current_word:
            self.current_word = index
            self._render_transcript()
        self._render_status()

    def _render_transcript(self) -> None:
        a = self.answer
        if a is None:
            return
        widget = self.query_one("#replay-transcript", Static)
        if not a.words:
            text = a.transcript.text if a.transcript is not None else ""
            widget.update(text or "(no transcript: this answer was not transcribed)")
            return
        if self.marked is None:
            self.marked = mark_words(a.words, a.fillers, a.long_pauses)
        widget.update(replay_text(self.marked, self.current_word))

    def _render_status(self) -> None:
        p = self.playback
        if p is None:
            return
        state = "▶ playing" if p.playing else ("■ finished" if p.finished and p.position_s > 0 else "❚❚ paused")
        text = Text(f"{state}  {_clock(p.position_s)} / {_clock(p.duration_s)}  ·  speed {p.speed:g}×")
        if self.audio_note:
            text.append(f"  ·  {self.audio_note}", style="bold red")
        if p.error:
            text.append(f"  ·  {p.error}", style="red")
        widget = self.query_one("#replay-status", Static)
        if str(widget.content) != text.plain:
            widget.update(text)

    # -- keys -------------------------------------------------------------------------------------
    def action_toggle(self) -> None:
        if self.playback is not None:
            self.playback.toggle()
            self.tick()

    def action_word(self, step: int) -> None:
        if self.answer is None or not self.answer.words:
            return
        words = self.answer.words
        index = (self.current_word if self.current_word is not None else -1) + step
        self.seek_word(min(max(index, 0), len(words) - 1))

    def action_seek_word(self, index: int) -> None:
        """A click on a word: its ``@click`` meta names ``screen.seek_word(i)``, which Textual runs
        as this action (a plain method of that name is never called)."""
        self.seek_word(index)

    def seek_word(self, index: int) -> None:
        """Move playback to the start of word ``index`` (arrow keys, or a click on the word)."""
        if self.playback is None or self.answer is None or not 0 <= index < len(self.answer.words):
            return
        self.playback.seek(self.answer.words[index].start_s)
        self.current_word = index
        self._render_transcript()
        self._render_status()

    def action_slower(self) -> None:
        if self.playback is not None:
            self.playback.slower()
            self._render_status()

    def action_faster(self) -> None:
        if self.playback is not None:
            self.playback.faster()
            self._render_status()

    def action_attempts(self) -> None:
        """Every attempt at the shown answer's question, compared (``a``)."""
        if self.playback is not None and self.playback.playing:
            self.playback.toggle()
        open_attempts(self, self.answer.question.id if self.answer is not None and self.roleplay is None else None)

    def action_back(self) -> None:
        if self.playback is not None:
            self.playback.stop()
        if self.standalone:
            self.app.exit()
        else:
            self.app.pop_screen()

    def on_unmount(self) -> None:
        if self.playback is not None:
            self.playback.stop()


def roleplay_text(rp: RolePlayRecord, answer: AnswerRecord) -> Text:
    """A role-play turn in replay: the conversation's outcome and score as the debrief gave them, the
    mood after this turn, the 3C checklist across the conversation and the debrief."""
    out = Text()
    out.append(f"Role-play: {rp.title or rp.roleplay_id}\n", style="bold")
    out.append(f"Outcome {rp.headline()}\n", style="bold")
    if rp.mood_trail:
        out.append("Mood: " + " → ".join(str(m) for m in rp.mood_trail) + "\n")
    turn = next((t for t in rp.turns if t.answer.id == answer.id), None)
    if turn is not None and turn.mood_after is not None:
        before = rp.mood_trail[turn.number - 1] if turn.number - 1 < len(rp.mood_trail) else None
        moved = f" (from {before})" if before is not None else ""
        out.append(f"After turn {turn.number}: mood {turn.mood_after}{moved}\n")
    out.append("\n3C across the conversation\n", style="bold")
    for item in rp.checklist:
        mark, style = ("✔", "green") if item.met else ("✘", "red")
        out.append(f" {mark} ", style=style)
        out.append(item.label + "\n")
    if rp.red_flags:
        out.append("Red flags: " + ", ".join(red_flag_label(f) for f in rp.red_flags) + "\n", style="red")
    if rp.debrief:
        out.append("\nDebrief\n", style="bold")
        for line in rp.debrief:
            out.append(f" · {line}\n")
    return out
