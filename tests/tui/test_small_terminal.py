"""A small terminal (60x15) still shows what a timed answer needs: the countdown and the meter."""

from __future__ import annotations

from textual.widgets import Static

from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.widgets.level_meter import LevelMeter
from tests.tui.test_flow import plain, wait_for

SMALL = (60, 15)


def _on_screen(app, widget) -> bool:
    region = widget.region
    return region.height > 0 and region.y >= 0 and region.bottom <= app.size.height - 1  # above the footer


async def test_a_drill_at_60x15_shows_its_countdown_and_meter(make_backends):
    from simulator.audio.capture import ArraySource
    from tests.tui.fakes import GatedSource, speech_like
    from tests.tui.seed import FakeClock

    backends = make_backends(phrases=["answer one"])
    backends.clock = FakeClock()
    gate = GatedSource.gate()
    backends.source_factory = lambda: GatedSource(ArraySource(speech_like([(0.0, 2.5)], 2.5)), gate)
    app = create_app(backends, Plan(role="retail", mode="drill", count=1, think_s=30.0, limit_s=60.0),
                     start_immediately=True)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen)
                       and app.screen.phase == "thinking")
        countdown = app.screen.query_one("#q-countdown", Static)
        await wait_for(pilot, lambda: "Think time" in plain(countdown))
        # The bank's longest question (123 characters) takes three lines at this width.
        app.screen.query_one("#q-text", Static).update(
            "In order to provide accurate and helpful information to customers, how do you stay updated on "
            "product or service knowledge?")
        await pilot.pause()
        assert _on_screen(app, countdown), countdown.region
        assert _on_screen(app, app.screen.query_one(LevelMeter)), app.screen.query_one(LevelMeter).region
        gate.set()


async def test_a_role_play_turn_at_60x15_shows_its_timer_and_meter(make_backends):
    from simulator.tui.roleplay_app import create_roleplay_app
    from simulator.tui.screens.roleplay import RolePlayScreen
    from tests.tui.test_roleplay_screen import ANGRY, REFUND, talking_past_the_limit

    backends, gate = talking_past_the_limit(make_backends)
    app = create_roleplay_app(backends, REFUND, ANGRY)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen)
                       and app.screen.phase == "recording")
        timer = app.screen.query_one("#rp-timer", Static)
        await wait_for(pilot, lambda: "Turn time left" in plain(timer))
        await pilot.pause()
        assert _on_screen(app, timer), timer.region
        assert _on_screen(app, app.screen.query_one(LevelMeter)), app.screen.query_one(LevelMeter).region
        gate.set()


async def test_the_help_window_fits_a_60_column_terminal(make_backends):
    """Stop 44's explorer: at 60x20 the 80-column help window cut the right third of every line."""
    from simulator.tui.screens.help import HelpScreen

    app = create_app(make_backends())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        box = app.screen.query_one("#help-box")
        assert box.region.x >= 0 and box.region.right <= 60, box.region
