"""Snapshots of the main screens (update with ``pytest tests/tui --snapshot-update``)."""

from __future__ import annotations

from simulator.session.interview import AnsweredQuestion, Interview, Plan
from simulator.tui.app import create_app
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.summary import SummaryScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.replay import ReplayScreen
from tests.tui.seed import spoken_answer
from tests.tui.test_flow import wait_for

SIZE = (100, 44)


def fixed_answer(bank) -> AnsweredQuestion:
    """A deterministic spoken answer (the seed's: words every 0.35 s with a 3 s pause in the middle)."""
    q, report, _audio = spoken_answer(bank)
    return AnsweredQuestion(q, report)


async def _model_ready(pilot) -> None:
    await wait_for(pilot, lambda: "ready" in pilot.app.model_status)
    pilot.app.screen.refresh_status()
    await pilot.pause()


def test_home_snapshot(snap_compare, make_backends):
    app = create_app(make_backends(microphone=False), Plan(role="call-centre"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_model_ready)


def test_feedback_snapshot(snap_compare, make_backends, bank):
    app = create_app(make_backends(), None)
    answer = fixed_answer(bank)

    async def show(pilot) -> None:
        await _model_ready(pilot)
        await pilot.app.push_screen(FeedbackScreen(answer, review=True))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_summary_snapshot(snap_compare, make_backends, bank):
    app = create_app(make_backends(), None)
    interview = Interview(Plan(mode="drill"), [bank.get_question("tell-me-about-yourself")])
    interview.record(fixed_answer(bank).report)

    async def show(pilot) -> None:
        await _model_ready(pilot)
        await pilot.app.push_screen(SummaryScreen(interview))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_replay_snapshot(snap_compare, make_backends, bank):
    from tests.tui.seed import FakeClock, seed_sessions  # noqa: PLC0415

    backends = make_backends()
    backends.clock = clock = FakeClock()
    ids = seed_sessions(backends.store_path, bank, 2)
    app = create_app(backends, replay_session=ids[0])

    async def show(pilot) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.answer is not None)
        await pilot.press("space")
        clock.advance(app.screen.answer.words[5].start_s + 0.01)
        await wait_for(pilot, lambda: app.screen.current_word == 5)
        await pilot.press("space")  # paused on the sixth word
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_history_snapshot(snap_compare, make_backends, bank):
    from tests.tui.seed import seed_sessions  # noqa: PLC0415

    backends = make_backends()
    seed_sessions(backends.store_path, bank, 3)
    app = create_app(backends)

    async def show(pilot) -> None:
        await _model_ready(pilot)
        await pilot.click("#history")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=show)
