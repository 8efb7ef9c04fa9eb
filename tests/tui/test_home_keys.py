"""Issue 16 item 4: the home screen and the keyboard; Escape on the first question."""

from __future__ import annotations

import threading

from simulator.audio.capture import ArraySource
from simulator.session import SessionStore
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from tests.tui.fakes import GatedSource, speech_like
from tests.tui.test_flow import SIZE, wait_for


def recording(app) -> bool:  # noqa: ANN001
    return isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording"


async def test_escape_before_saying_anything_stores_no_session(make_backends):
    backends = make_backends(end_silence_s=30.0)
    gate = threading.Event()  # never opened: the microphone hears nothing
    backends.source_factory = lambda: GatedSource(ArraySource(speech_like([(0.3, 2.3)], 3.0)), gate)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: recording(app))
        await pilot.pause(0.3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    with SessionStore.open(backends.store_path) as store:
        assert store.list_sessions() == []


async def test_escape_after_speaking_stores_a_cancelled_session(make_backends):
    backends = make_backends(end_silence_s=30.0, realtime=True)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: recording(app))
        await wait_for(pilot, lambda: app.screen._elapsed_s > 1.5)  # words are in
        sid = app.session_log.session.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    with SessionStore.open(backends.store_path) as store:
        session = store.get_session(sid)
        assert session.settings.get("cancelled") is True
        assert len(store.answers(sid)) == 1  # the take cut short is kept
