"""End of session: one row per answer; open any for its full feedback."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.session.interview import AnsweredQuestion, Interview
from simulator.tui.screens.feedback import FeedbackScreen


class SummaryScreen(Screen):
    BINDINGS = [("escape", "home", "Home"), ("enter", "open", "Open feedback"), ("f1", "app.help", "Help")]

    def __init__(self, interview: Interview):
        super().__init__()
        self.interview = interview

    def compose(self) -> ComposeResult:

        with Vertical(id="summary-box"):
            yield Static(f"Session summary — {len(self.interview.answers)} answer(s)", id="summary-title")
            yield DataTable(id="summary-table", cursor_type="row")
            yield Static(self._headline(), id="summary-headline")
            yield Static("Scores are coaching aids, not hiring predictions.", id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "WPM", "Fillers/min", "Length", "Content")
        for i, a in enumerate(self.interview.answers, 1):
            d = a.report.delivery
            spoken = d.verdicts.speech == "speech"
            table.add_row(
                str(i), a.question.text[:48],
                f"{d.wpm:.0f}" if spoken else "–",
                f"{d.fillers.per_minute:.1f}" if spoken else "–",
                d.verdicts.length if spoken else "–",
                f"{a.report.content.score}" if _assessed(a) else "–",
            )
        table.focus()

    def _headline(self) -> str:
        # As the history counts it: an answer whose content could not be assessed (too short, no
        # speech) has no score, rather than a 0 that pulls the average down.
        scores = [a.report.content.score for a in self.interview.answers if _assessed(a)]
        if not scores:
            return "No answers scored."
        return f"Average content score {sum(scores) / len(scores):.0f}/100. Enter opens an answer's feedback."

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_open(self) -> None:
        self._open(self.query_one(DataTable).cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.interview.answers):
            self.app.push_screen(FeedbackScreen(self.interview.answers[row], review=True))

    def action_home(self) -> None:
        self.app.go_home()  # type: ignore[attr-defined]


def _assessed(answer: AnsweredQuestion) -> bool:
    return answer.report.content is not None and answer.report.content.assessable
