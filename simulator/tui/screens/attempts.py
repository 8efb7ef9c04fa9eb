"""Attempts at one question: every attempt side by side, what changed between them, a model outline.

Reached with ``a`` from history (the chosen question) and replay (the shown answer's question). The
comparison and the outline are built headless (:mod:`simulator.report.progress`); this screen
only lays them out: the attempts' figures in a table, one column per attempt (oldest first), then
the changes and the outline as coloured lines.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from simulator.report.progress import QuestionProgress, progress_from_bank
from simulator.report.progress_text import ATTEMPT_ROWS, attempt_cells, change_lines, outline_lines

STYLES = {
    "heading": "bold", "added": "green", "dropped": "yellow", "flag-new": "bold red", "flag-gone": "green",
    "delivery": "", "same": "dim", "note": "dim", "outline-met": "", "outline-missing": "dim",
}


class AttemptsScreen(Screen):
    BINDINGS = [("escape", "back", "Back"), ("f1", "app.help", "Help")]
    DEFAULT_CSS = """
    #attempts-box { margin: 0 2; }
    #attempts-title { text-style: bold; margin: 1 0 0 0; }
    #attempts-table { height: auto; margin: 1 0; }
    #attempts-outline { margin: 1 0; }
    """

    def __init__(self, question_id: str):
        super().__init__()
        self.question_id = question_id
        self.progress: QuestionProgress | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="attempts-box"):
            yield Static("", id="attempts-title")
            yield DataTable(id="attempts-table", cursor_type="none", zebra_stripes=True)
            yield Static("", id="attempts-changes")
            yield Static("", id="attempts-outline")
            yield Static("Coaching aid, not a hiring prediction.", id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        answers = store.attempts(self.question_id)
        bank = self.app.backends.get_bank()  # type: ignore[attr-defined]
        self.progress = p = progress_from_bank(self.question_id, answers, bank)
        self.query_one("#attempts-title", Static).update(
            f"Your attempts: {p.question_text or p.question_id}")
        table = self.query_one("#attempts-table", DataTable)
        table.add_column("", key="label")
        for a in p.attempts:
            table.add_column(f"#{a.number}", key=f"a{a.number}")
        columns = [attempt_cells(a) for a in p.attempts]
        for r, name in enumerate(ATTEMPT_ROWS):
            table.add_row(name, *(col[r] for col in columns))
        self.query_one("#attempts-changes", Static).update(_text(change_lines(p)))
        self.query_one("#attempts-outline", Static).update(_text(outline_lines(p)))

    def action_back(self) -> None:
        self.app.pop_screen()


def _text(lines: list[tuple[str, str]]) -> Text:
    out = Text()
    for kind, line in lines:
        if kind == "heading" and out:
            out.append("\n")
        out.append(line + "\n", style=STYLES.get(kind, ""))
    out.rstrip()
    return out


def open_attempts(screen: Screen, question_id: str | None) -> None:
    """Push the attempts screen for ``question_id`` (from history or replay), or say why not."""
    if not question_id or question_id.startswith("roleplay:"):
        screen.notify("Attempts compare answers to a bank question; this one has none to compare.",
                      severity="warning")
        return
    screen.app.push_screen(AttemptsScreen(question_id))
