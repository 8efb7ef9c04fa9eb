"""History: how the candidate is doing over time.

Trend charts over sessions (pace, fillers per minute, content score) as sparklines, every session
in a table (Enter replays it), and per question all attempts side by side — one column per attempt,
oldest first — so the candidate sees whether an answer improved.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static

from simulator.store import AnswerRecord
from simulator.tui.widgets.trend import series, summary_row, when
from simulator.errors import StoreError
from simulator.report.html import render_html
from simulator.store.recordings import create_private_file, private_dir
from simulator.tui.screens.attempts import open_attempts

CHARTS = (("Pace", "mean_wpm", "{:.0f} wpm", "hist-pace"),
          ("Fillers", "fillers_per_min", "{:.1f}/min", "hist-fillers"),
          ("Content", "content_score", "{:.0f}/100", "hist-content"))


def attempt_column(a: AnswerRecord) -> list[str]:
    """One attempt's figures, top to bottom as :data:`ATTEMPT_ROWS` names them."""
    d, c = a.delivery, a.content
    typed = a.audio_path is None
    spoken = d is not None and d.words > 0 and not typed
    met = f"{sum(x.met for x in c.criteria)}/{len(c.criteria)}" if c is not None and c.criteria else "–"
    return [
        when(a.created_at),
        "typed" if typed else ("not scored" if d is None else "spoken"),
        f"{d.wpm:.0f}" if spoken and d else "–",
        f"{d.fillers.per_minute:.1f}" if spoken and d else "–",
        # The length the feedback judged (first word to last); the recording's when not scored.
        f"{d.span_s if spoken and d else a.duration_s:.0f} s" if not typed else "–",
        str(c.score) if c is not None and c.assessable else "–",
        met,
    ]


ATTEMPT_ROWS = ("When", "Answer", "WPM", "Fillers/min", "Length", "Content", "Criteria met")


class HistoryScreen(Screen):
    BINDINGS = [("escape", "back", "Back"), ("r", "replay", "Replay session"), ("x", "export", "Export"),
                ("a", "attempts", "Attempts"), ("f1", "app.help", "Help")]

    @property
    def store(self):  # noqa: ANN201
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-box"):
            yield Static("Progress over sessions", id="history-title")
            for label, _field, _fmt, wid in CHARTS:
                with Horizontal(classes="hist-chart"):
                    yield Static(label, id=f"{wid}-label", classes="hist-label")
                    yield Sparkline([], id=wid)
            yield Static("Sessions", classes="section")
            yield DataTable(id="hist-sessions", cursor_type="row")
            yield Static("Attempts per question", classes="section")
            with Horizontal(id="hist-questions-box"):
                with Vertical(id="hist-questions-left"):
                    yield DataTable(id="hist-questions", cursor_type="row")
                yield DataTable(id="hist-attempts", cursor_type="none", zebra_stripes=True)
            yield Static("Coaching aid, not a hiring prediction.", id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        summaries = self.store.summaries()
        for label, field, fmt, wid in CHARTS:
            values = series(summaries, field)
            spark = self.query_one(f"#{wid}", Sparkline)
            spark.data = values
            caption = self.query_one(f"#{wid}-label", Static)
            if values:
                caption.update(f"{label}: {fmt.format(values[0])} → {fmt.format(values[-1])} "
                               f"({len(values)} session(s))")
            else:
                caption.update(f"{label}: no data yet")
        sessions = self.query_one("#hist-sessions", DataTable)
        sessions.add_columns("Date", "Role", "Mode", "Answers", "WPM", "Fillers/min", "Content")
        for s in reversed(summaries):
            sessions.add_row(*summary_row(s), key=s.session.id)
        questions = self.query_one("#hist-questions", DataTable)
        questions.add_columns("Question", "Tries")
        self.question_ids: list[str] = []
        for qid, text, n in self.store.questions_answered():
            questions.add_row((text or qid)[:24], str(n), key=qid)
            self.question_ids.append(qid)
        if self.question_ids:
            self.show_attempts(self.question_ids[0])
        else:
            self.query_one("#hist-attempts", DataTable).display = False
        sessions.focus()

    def show_attempts(self, question_id: str) -> None:
        """All attempts at one question side by side, one column per attempt, oldest first."""
        attempts = self.store.attempts(question_id)
        table = self.query_one("#hist-attempts", DataTable)
        table.clear(columns=True)
        table.display = True
        table.add_column("", key="label")
        for i, _a in enumerate(attempts, 1):
            table.add_column(f"#{i}", key=f"a{i}")
        columns = [attempt_column(a) for a in attempts]
        for r, name in enumerate(ATTEMPT_ROWS):
            table.add_row(name, *(col[r] for col in columns))
        self.shown_question = question_id

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "hist-questions" and event.row_key.value:
            self.show_attempts(str(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "hist-sessions":
            self.app.action_replay(str(event.row_key.value))  # type: ignore[attr-defined]
        elif event.data_table.id == "hist-questions" and event.row_key.value:
            self.show_attempts(str(event.row_key.value))
            self.action_attempts()

    def action_attempts(self) -> None:
        """The chosen question's attempts compared: what was added and dropped, and an outline."""
        open_attempts(self, getattr(self, "shown_question", None))

    def action_replay(self) -> None:
        table = self.query_one("#hist-sessions", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.action_replay(str(key))  # type: ignore[attr-defined]

    def action_export(self) -> None:
        """Write the chosen session's HTML report to ``reports/`` in the data directory (private)."""
        table = self.query_one("#hist-sessions", DataTable)
        if not table.row_count:
            self.notify("No session to export.", severity="warning")
            return
        session_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        try:
            session = self.store.get_session(session_id)
            text = render_html(session, self.store.answers(session.id))
            target = private_dir(self.store.root / "reports") / f"{session.id}.html"
            create_private_file(target)
            target.write_text(text, encoding="utf-8")
        except (StoreError, OSError) as e:
            self.notify(f"Could not export the report: {e}", severity="error", timeout=10)
            return
        self.notify(f"Report saved: {target}", timeout=12)

    def action_back(self) -> None:
        self.app.pop_screen()
