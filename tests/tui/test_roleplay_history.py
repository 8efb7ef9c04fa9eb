"""Issue 16.2 on screen: history and replay show a role-play by its outcome and debrief score, its
mood trail and 3C checklist, and keep it out of the interview trend and the per-question view."""

from __future__ import annotations

import io
import sys

from textual.widgets import DataTable, Sparkline, Static

from simulator.cli import main
from simulator.store import SessionStore
from simulator.tui.app import create_app
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.replay import ReplayScreen
from tests.tui.seed import QUESTION, seed_sessions
from tests.tui.test_flow import SIZE, plain, wait_for
from tests.unit.test_roleplay_cli import GOOD


def seed_with_roleplay(backends, bank, monkeypatch) -> str:
    """Two interview sessions, then a typed role-play stored by ``roleplay --text``; its id."""
    seed_sessions(backends.store_path, bank, 2)
    monkeypatch.setenv("INTERVIEW_SIM_DATA_DIR", str(backends.store_path.parent))
    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD))
    assert main(["roleplay", "--scenario", "refund-outside-policy", "--text"]) == 0
    with SessionStore.open(backends.store_path) as store:
        return [s for s in store.list_sessions() if s.mode == "roleplay"][0].id


async def test_history_shows_the_roleplay_outcome_and_keeps_it_out_of_the_trend(make_backends, bank,
                                                                                monkeypatch, capsys):
    backends = make_backends()
    rp_id = seed_with_roleplay(backends, bank, monkeypatch)
    capsys.readouterr()
    with SessionStore.open(backends.store_path) as store:
        overall = store.get_session(rp_id).settings["roleplay_result"]["overall"]
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#history")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        assert len(screen.query_one("#hist-content", Sparkline).data) == 2  # the interviews only
        assert len(screen.query_one("#hist-pace", Sparkline).data) == 2
        sessions = screen.query_one("#hist-sessions", DataTable)
        row = sessions.get_row(rp_id)
        assert row[2] == "roleplay" and row[-1] == f"resolved {overall}"
        questions = screen.query_one("#hist-questions", DataTable)
        assert questions.row_count == 1 and questions.get_row_at(0)[1] == "2"
        assert screen.question_ids == [QUESTION]


async def test_replay_of_a_roleplay_shows_outcome_mood_and_the_3c_checklist(make_backends, bank,
                                                                           monkeypatch, capsys):
    backends = make_backends()
    rp_id = seed_with_roleplay(backends, bank, monkeypatch)
    capsys.readouterr()
    app = create_app(backends, replay_session=rp_id)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.answer is not None)
        screen = app.screen
        content = plain(screen.query_one("#replay-content", Static))
        assert "Outcome resolved" in content and "Content score" not in content
        assert "Mood: " in content and "After turn 1: mood" in content
        assert "3C across the conversation" in content and "Empathy" in content
        delivery = plain(screen.query_one("#replay-delivery", Static))
        assert "60–120" not in delivery and "too short" not in delivery
        assert screen.query_one("#replay-sessions", DataTable).get_row(rp_id)[-1].startswith("resolved ")
