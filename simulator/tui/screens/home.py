"""Home: choose a role family, a mode and how many questions, then start; below, the recent
sessions and a one-line trend, with keys to the history and replay screens."""

from __future__ import annotations

from typing import get_args

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from simulator.rubric.models import RoleFamily
from simulator.session.interview import Plan
from simulator.tui.widgets.trend import summary_row, trend_line

RECENT = 5

DISCLAIMER = ("Scores are coaching aids for practice, not predictions of whether you will be hired. "
              "Everything stays on this computer.")
MODES = (("Rehearsal — untimed, feedback after each answer", "rehearsal"),
         ("Timed drill — think time, answer limit, auto-advance", "drill"),
         ("Rapid fire — short think time, 30 s answers", "rapid"))


class HomeScreen(Screen):
    BINDINGS = [("enter", "start", "Start"), ("h", "app.history", "History"), ("r", "replay", "Replay"),
                ("f1", "app.help", "Help"), ("ctrl+q", "app.quit", "Quit")]

    def __init__(self, plan: Plan | None = None):
        super().__init__()
        self.plan = plan or Plan()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home-scroll"), Vertical(id="home-form"):
            yield Static("Mock interview practice for customer-service jobs", id="home-title")
            yield Label("Role family")
            yield Select([(r.replace("-", " "), r) for r in get_args(RoleFamily)], value=self.plan.role,
                         allow_blank=False, id="role")
            yield Label("Mode")
            yield Select(list(MODES), value=self.plan.mode, allow_blank=False, id="mode")
            yield Label("Questions")
            yield Input(str(self.plan.count), type="integer", id="count")
            with Horizontal(id="home-buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("History", id="history")
                yield Button("Replay", id="replay")
                yield Button("Help", id="help")
            yield Static("", id="model-status")
            yield Static("", id="mic-status")
            yield Static("Recent sessions", classes="section")
            yield Static("", id="home-trend")
            yield DataTable(id="recent", cursor_type="row", show_cursor=True)
            yield Static(DISCLAIMER, id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_status()
        self.refresh_sessions()

    def on_screen_resume(self) -> None:
        self.refresh_sessions()  # a session may have been stored since

    def refresh_sessions(self) -> None:
        """The last few stored sessions, newest first, and the trend over the last ten."""
        store = self.app.store  # type: ignore[attr-defined]
        table = self.query_one("#recent", DataTable)
        trend = self.query_one("#home-trend", Static)
        table.clear(columns=True)
        if store is None:
            trend.update("Sessions are not being saved (the session store could not be opened).")
            table.display = False
            return
        summaries = store.summaries()
        trend.update(trend_line(summaries))
        table.display = bool(summaries)
        table.add_columns("Date", "Role", "Mode", "Answers", "WPM", "Fillers/min", "Content")
        for s in reversed(summaries[-RECENT:]):
            table.add_row(*summary_row(s), key=s.session.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.action_replay(event.row_key.value)  # type: ignore[attr-defined]

    def action_replay(self) -> None:
        table = self.query_one("#recent", DataTable)
        session_id = None
        if table.has_focus and table.row_count:
            session_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.action_replay(session_id)  # type: ignore[attr-defined]

    def refresh_status(self) -> None:
        self.query_one("#model-status", Static).update(self.app.model_status)  # type: ignore[attr-defined]
        self.query_one("#mic-status", Static).update(self.app.microphone_status)  # type: ignore[attr-defined]

    def chosen_plan(self) -> Plan:
        count_text = self.query_one("#count", Input).value or "5"
        return Plan(
            role=str(self.query_one("#role", Select).value),
            mode=self.query_one("#mode", Select).value,  # type: ignore[arg-type]
            count=max(1, min(20, int(count_text))),
            think_s=self.plan.think_s, limit_s=self.plan.limit_s, seed=self.plan.seed,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "history":
            self.app.action_history()  # type: ignore[attr-defined]
        elif event.button.id == "replay":
            self.action_replay()
        elif event.button.id == "help":
            self.app.action_help()  # type: ignore[attr-defined]

    def action_start(self) -> None:
        self.app.start_interview(self.chosen_plan())  # type: ignore[attr-defined]
