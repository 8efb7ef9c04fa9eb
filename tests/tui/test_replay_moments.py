"""Replay lists the answer's moments (each filler, long pause and tone moment) and plays any of them
on Enter, from just before it starts."""

from __future__ import annotations

from textual.widgets import DataTable

from simulator.analysis.moments import delivery_moments
from simulator.tui.app import create_app
from simulator.tui.screens.replay import LEAD_IN_S, ReplayScreen
from tests.tui.seed import FakeClock, seed_sessions
from tests.tui.test_flow import SIZE, wait_for


async def test_replay_lists_the_moments_and_enter_plays_one(make_backends, bank):
    backends = make_backends()
    backends.clock = FakeClock()
    ids = seed_sessions(backends.store_path, bank, 1)
    app = create_app(backends, replay_session=ids[0])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for(pilot, lambda: isinstance(screen, ReplayScreen) and screen.moments)
        table = screen.query_one("#replay-moments", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        kinds = [r[1] for r in rows]
        assert "filler" in kinds and "long pause" in kinds  # the seeded answer's "um" and 3 s pause
        assert [m.start_s for m in screen.moments] == sorted(m.start_s for m in screen.moments)
        pause = kinds.index("long pause")
        table.focus()
        table.move_cursor(row=pause)
        await pilot.press("enter")
        moment = screen.moments[pause]
        assert screen.playback.playing
        assert abs(screen.playback.position_s - (moment.start_s - LEAD_IN_S)) < 1e-6


def test_moments_come_in_the_order_they_happened(bank):
    from tests.tui.seed import spoken_answer  # noqa: PLC0415

    _, report, _ = spoken_answer(bank)
    moments = delivery_moments(report.delivery)
    assert moments and [m.start_s for m in moments] == sorted(m.start_s for m in moments)
    assert {m.kind for m in moments} >= {"filler", "long_pause"}
    assert all(m.detail for m in moments)


async def test_a_narrow_terminal_keeps_room_for_the_transcript(make_backends, bank):
    """At 60 columns the lists kept their 52 columns and the transcript broke words letter by letter
    (hands-on review: "Tel/l me/abo/ut")."""
    backends = make_backends()
    ids = seed_sessions(backends.store_path, bank, 1)
    app = create_app(backends, replay_session=ids[0])
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.answer is not None)
        assert app.screen.query_one("#replay-transcript").size.width >= 20
