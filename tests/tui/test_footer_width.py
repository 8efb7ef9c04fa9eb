"""Issue 16: at 80x24 every screen's footer shows F1 Help and Ctrl+Q Quit (not hidden past the edge
or under the command-palette key)."""

from __future__ import annotations

from textual.widgets import Footer

from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.roleplay_app import create_roleplay_app
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.replay import ReplayScreen
from simulator.tui.screens.roleplay import RolePlayScreen
from simulator.tui.screens.summary import SummaryScreen
from tests.tui.seed import seed_sessions
from tests.tui.test_flow import wait_for
from tests.tui.test_roleplay_screen import ANGRY, REFUND

NARROW = (80, 24)


def footer_drawn(app) -> bool:  # noqa: ANN001
    """The screen's footer has its keys laid out (a screen just pushed may not have them yet)."""
    keys = [k for k in app.screen.query_one(Footer).query("FooterKey") if not k.has_class("-command-palette")]
    return bool(keys) and all(k.region.width for k in keys)


def assert_help_and_quit_visible(app, where: str) -> None:  # noqa: ANN001
    keys = list(app.screen.query_one(Footer).query("FooterKey"))
    palette = [k for k in keys if k.has_class("-command-palette")]
    edge = palette[0].region.x if palette else NARROW[0]
    shown = {k.description: k.region for k in keys if not k.has_class("-command-palette")}
    for name in ("Help", "Quit"):
        assert name in shown and shown[name].right <= edge, f"{where}: {name} hidden ({shown})"


async def test_help_and_quit_fit_at_80_columns(make_backends, bank):
    backends = make_backends(end_silence_s=30.0, realtime=True)
    seed_sessions(backends.store_path, bank, 2)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=NARROW) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording")
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "question")
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.pause()
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "feedback")
        await pilot.press("escape", "escape")  # ends the interview: the first press asks
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "summary")
        await pilot.press("escape")
        await pilot.pause()
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "home")
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "history")
        await pilot.press("escape")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))
        await pilot.pause()
        await wait_for(pilot, lambda: footer_drawn(app))
        assert_help_and_quit_visible(app, "replay")


async def test_roleplay_footer_fits_at_80_columns(make_backends):
    app = create_roleplay_app(make_backends(), REFUND, ANGRY)
    async with app.run_test(size=NARROW) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen) and footer_drawn(app))
        assert_help_and_quit_visible(app, "role-play")
