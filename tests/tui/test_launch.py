"""Issue 16: launched straight into a question (``practice``, ``drill``), the app asks it first and
finishes starting up while it plays: the home screen waits underneath with its form still to
compose, the speech model and the later screens load once the question plays."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.screen import Screen
from textual.widgets import Button, TextArea

from simulator.audio.capture import ArraySource
from simulator.session.interview import Plan
from simulator.speech.tts import SilentSpeaker
from simulator.tui import screens
from simulator.tui.app import create_app
from simulator.tui.backends import LazyTranscriber
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.screens.typed_answer import TypedAnswerScreen
from tests.tui.fakes import GatedSource, speech_like
from tests.tui.test_flow import SIZE, wait_for


class GatedSpeaker(SilentSpeaker):
    """Renders once ``gate`` opens: the question is on screen but not yet playing until then."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def render(self, text: str):  # noqa: ANN201
        self.gate.wait(10)
        return super().render(text)


def gated(backends) -> tuple[GatedSpeaker, list[bool]]:  # noqa: ANN001
    """A speaker held at the first question, and a record of when the model starts loading."""
    speaker = GatedSpeaker()
    backends.speaker = speaker
    loads: list[bool] = []
    fake = backends.fake_transcriber

    def load():  # noqa: ANN202
        loads.append(speaker.gate.is_set())
        return fake

    backends.transcriber = LazyTranscriber(load)
    return speaker, loads


@asynccontextmanager
async def launched_into_a_question(make_backends) -> AsyncIterator[tuple]:  # noqa: ANN001
    """(app, pilot, speaker, loads): a rehearsal started straight into its first question, held by
    the gated speaker before it plays. Opening the gate is the test's to do (in a ``finally``). The
    microphone hears nobody, so one Escape leaves (nothing would be lost)."""
    backends = make_backends(end_silence_s=30.0)
    backends.source_factory = lambda: GatedSource(ArraySource(speech_like([], 1.0)), threading.Event())
    speaker, loads = gated(backends)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        try:
            await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        except BaseException:
            speaker.gate.set()
            raise
        yield app, pilot, speaker, loads


def home_of(app) -> HomeScreen:  # noqa: ANN001
    (home,) = [s for s in app.screen_stack if isinstance(s, HomeScreen)]
    return home


async def test_the_home_screen_and_the_model_wait_until_the_first_question_plays(make_backends):
    async with launched_into_a_question(make_backends) as (app, pilot, speaker, loads):
        try:
            await pilot.pause(0.3)
            assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen, QuestionScreen]
            assert home_of(app).form == "deferred" and not home_of(app).query(Button)
            assert loads == []  # the model waits for the question too
        finally:
            speaker.gate.set()
        await wait_for(pilot, lambda: home_of(app).form == "ready" and "ready" in app.model_status)
        assert loads == [True]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.focused is app.screen.query_one("#start", Button)


async def test_escape_before_the_question_plays_builds_the_home_screen_and_loads_the_model(make_backends):
    async with launched_into_a_question(make_backends) as (app, pilot, speaker, loads):
        try:
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.form == "ready")
            assert app.focused is app.screen.query_one("#start", Button)
            await wait_for(pilot, lambda: "ready" in app.model_status)
            assert loads == [False]
        finally:
            speaker.gate.set()


async def test_a_home_screen_composed_as_the_app_quits_does_nothing(make_backends, monkeypatch):
    """The warm-up ending while the app quit composed the home screen's form into a screen being
    taken down, and setting it up raised NoMatches on the way out."""
    app = create_app(make_backends(microphone=False), Plan(mode="rehearsal", count=1), start_immediately=True)
    monkeypatch.setattr(app, "warm_up", lambda: None)  # its end comes below, as the app quits
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and bool(app.screen.query(TextArea)))
        app.exit()
        app._build_home()  # noqa: SLF001 - what the warm-up's end does
        await pilot.pause(0.2)


def test_the_later_screens_load_on_first_use_or_preload():
    screens.preload()
    for name, module in screens.LATER.items():
        screen = getattr(screens, name)
        assert issubclass(screen, Screen) and screen.__module__ == module
    with pytest.raises(AttributeError):
        screens.NoSuchScreen  # noqa: B018


async def test_an_app_stopped_by_an_error_says_so_on_the_terminal(make_backends, capsys, tmp_path):
    """Standard error goes to the audio log while the app runs, so an app stopped by an unexpected
    error (a damaged store, stop 44's explorer) just vanished; its error is now one line after it."""
    from simulator.tui.launch import say_farewell

    app = create_app(make_backends())
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=SIZE) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause(0.2)
    capsys.readouterr()  # Textual's own report (in the app, it goes to the audio log)
    say_farewell(app, tmp_path / "audio.log")
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "unexpected error: ZeroDivisionError" in line and str(tmp_path / "audio.log") in line
