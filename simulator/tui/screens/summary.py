"""End of session: one row per answer; open any for its full feedback."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.answer.report import AnswerReport
from simulator.session.interview import AnsweredQuestion, Interview
from simulator.tui.screens.feedback import FeedbackScreen


class SummaryScreen(Screen):
    BINDINGS = [("escape", "home", "Home"), ("enter", "open", "Open feedback"), ("s", "save_again", "Save again"),
                ("f1", "app.help", "Help")]

    def __init__(self, interview: Interview, *, unsaved: Callable[[AnswerReport], bool] = lambda report: False,
                 save_again: Callable[[], str | None] | None = None):
        super().__init__()
        self.interview = interview
        self._is_unsaved = unsaved
        self._save_again = save_again
        self.unsaved = self._unsaved_rows()
        """The rows whose answers the store could not keep (a full disk): marked, and said in the headline."""

    def _unsaved_rows(self) -> list[int]:
        return [i for i, a in enumerate(self.interview.answers, 1) if self._is_unsaved(a.report)]

    def compose(self) -> ComposeResult:

        with Vertical(id="summary-box"):
            yield Static(f"Session summary — {len(self.interview.answers)} answer(s)", id="summary-title")
            yield DataTable(id="summary-table", cursor_type="row")
            yield Static(self._headline(), id="summary-headline")
            yield Static("Scores are coaching aids, not hiring predictions.", id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._marks_saved = bool(self.unsaved)  # a Saved column, kept once shown (a saved row then says "yes")
        table.add_columns("#", "Question", "WPM", "Fillers/min", "Length", "Content", *(["Saved"] if self._marks_saved else []))
        self._fill(table)
        table.focus()

    def _fill(self, table: DataTable) -> None:
        for i, a in enumerate(self.interview.answers, 1):
            d = a.report.delivery
            spoken = d.verdicts.speech == "speech"
            table.add_row(
                str(i), a.question.text[:48],
                f"{d.wpm:.0f}" if spoken else "–",
                f"{d.fillers.per_minute:.1f}" if spoken else "–",
                d.verdicts.length if spoken else "–",
                f"{a.report.content.score}" if _assessed(a) else "–",
                *([Text("not saved", style="bold red") if i in self.unsaved else "yes"] if self._marks_saved else []),
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_again":  # only when something was not saved
            return bool(self.unsaved) and self._save_again is not None
        return True

    def action_save_again(self) -> None:
        """Store again the answers the store could not keep (the disk had no room; there may be now)."""
        if not self.unsaved or self._save_again is None:
            return
        before = len(self.unsaved)
        error = self._save_again()
        self.unsaved = self._unsaved_rows()
        table = self.query_one(DataTable)
        table.clear()
        self._fill(table)
        self.query_one("#summary-headline", Static).update(self._headline())
        self.refresh_bindings()
        saved = before - len(self.unsaved)
        if not self.unsaved:
            self.notify(f"Saved: {saved} answer(s) now kept in the session store.", timeout=8)
        else:
            self.notify(f"{saved} saved, {len(self.unsaved)} still not: {error}", severity="error", timeout=10)

    def _headline(self) -> str:
        # As the history counts it: an answer whose content could not be assessed (too short, no
        # speech) has no score, rather than a 0 that pulls the average down.
        scores = [a.report.content.score for a in self.interview.answers if _assessed(a)]
        line = (f"Average content score {sum(scores) / len(scores):.0f}/100. Enter opens an answer's feedback."
                if scores else "No answers scored.")
        if self.unsaved:
            which = _numbers(self.unsaved)
            line += (f"\n{which} could not be saved: the session store could not be written (see the message "
                     "when it happened). Free some space and press s to save again; if you quit first, each is "
                     "named with where its words or recording are.")
        return line

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def action_open(self) -> None:
        self._open(self.query_one(DataTable).cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.interview.answers):
            self.app.push_screen(FeedbackScreen(self.interview.answers[row], review=True))

    def action_home(self) -> None:
        self.app.go_home()  # type: ignore[attr-defined]


def _numbers(rows: list[int]) -> str:
    """ "Answer 2", "Answers 2 and 3", "Answers 1, 2 and 4"."""
    if len(rows) == 1:
        return f"Answer {rows[0]}"
    return "Answers " + ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"


def _assessed(answer: AnsweredQuestion) -> bool:
    return answer.report.content is not None and answer.report.content.assessable
