"""The role-play debrief: what calmed or escalated the customer, turn by turn, and the outcome."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator.roleplay.models import RolePlay
from simulator.roleplay.result import RolePlayResult
from simulator.session.roleplay_turns import debrief_items


class RolePlayDebriefScreen(Screen):
    """What calmed or escalated the customer, turn by turn; the outcome; the overall score."""

    DEFAULT_CSS = """
    RolePlayDebriefScreen #db-box { padding: 1 2; }
    RolePlayDebriefScreen #db-outcome { text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [("r", "retry", "Try again"), ("escape", "leave", "Done")]

    def __init__(self, result: RolePlayResult, roleplay: RolePlay, *, retry: Callable[[], Screen]):
        super().__init__()
        self.result = result
        self.roleplay = roleplay
        self._retry = retry  # a fresh role-play screen for the same scenario

    def compose(self) -> ComposeResult:
        r, s = self.result, self.result.score
        with VerticalScroll(id="db-box"):
            yield Static(f"Debrief · {self.roleplay.title}", id="db-title")
            yield Static(f"Outcome: {r.outcome} · overall {s.overall}/100 · de-escalation {s.de_escalation}/100 · "
                         f"final mood {s.final_mood} · outcome +{s.outcome_points}", id="db-outcome")
            yield Static(self._turns_text(), id="db-turns")
            extra = [line for line in r.debrief if not line.startswith(("Turn ", "Outcome:"))]
            yield Static("\n".join(f"• {escape(line)}" for line in extra), id="db-advice")
        yield Footer()

    def _turns_text(self) -> str:
        out = []
        for item in debrief_items(self.result):
            out.append(f"[b]Turn {item.number}[/b] — {item.effect}: mood {item.mood_before} → {item.mood_after} "
                       f"({item.mood_level})")
            out.append(f"  You: {escape(item.said)}")
            out.append(f"  Why: {escape(item.why)}")
            if item.reply:
                out.append(f"  Customer: {escape(item.reply)}")
        return "\n".join(out) or "No turns were taken."

    def action_retry(self) -> None:
        self.app.switch_screen(self._retry())

    def action_leave(self) -> None:
        self.app.pop_screen()
