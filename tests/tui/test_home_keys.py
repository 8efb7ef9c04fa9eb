"""Issue 16 item 4: the home screen and the keyboard; Escape on the first question."""

from __future__ import annotations

import threading

from textual.widgets import DataTable, Input, Select, Static

from simulator.audio.capture import ArraySource
from simulator.store import SessionStore
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.home_prefs import load_home_prefs, save_home_prefs
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.question import QuestionScreen
from simulator.tui.messages import AnswerFailed
from simulator.tui.screens.roleplay import RolePlayScreen
from tests.tui.fakes import GatedSource, speech_like
from tests.tui.seed import seed_sessions
from tests.tui.test_flow import SIZE, plain, wait_for


def silent_microphone(backends) -> None:  # noqa: ANN001
    gate = threading.Event()  # never opened: the microphone hears nothing
    backends.source_factory = lambda: GatedSource(ArraySource(speech_like([(0.3, 2.3)], 3.0)), gate)


def recording(app) -> bool:  # noqa: ANN001
    return isinstance(app.screen, QuestionScreen) and app.screen.phase == "recording"


async def test_escape_before_saying_anything_stores_no_session(make_backends):
    backends = make_backends(end_silence_s=30.0)
    silent_microphone(backends)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: recording(app))
        await pilot.pause(0.3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not any("unfinished" in n.message for n in app._notifications)  # nothing was kept
    with SessionStore.open(backends.store_path) as store:
        assert store.list_sessions() == []


async def test_escape_after_speaking_stores_a_cancelled_session(make_backends):
    backends = make_backends(end_silence_s=30.0, realtime=True)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: recording(app))
        await wait_for(pilot, lambda: app.screen._elapsed_s > 1.5)  # words are in
        sid = app.session_log.session.id
        await pilot.press("escape")  # one stray key: asks, and the answer goes on being recorded
        await pilot.pause(0.2)
        assert recording(app)
        assert any("Press Escape again" in n.message for n in app._notifications)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        # ...and the candidate is told so, with the command that scores it (they were not, before).
        notes = [n.message for n in app._notifications]
        assert any("unfinished answer" in n and "not scored" in n and f"rescore {sid}" in n for n in notes), notes
    with SessionStore.open(backends.store_path) as store:
        session = store.get_session(sid)
        assert session.settings.get("cancelled") is True
        assert len(store.answers(sid)) == 1  # the take cut short is kept


async def test_quitting_after_the_first_of_two_questions_stores_a_cancelled_session(make_backends):
    """Ctrl+Q on the feedback of question 1 of 2 stored the session as "complete", while Escape in the
    same place stored it as "cancelled" (stop 43): history could not tell a quit from a finish."""
    backends = make_backends()
    app = create_app(backends, Plan(mode="rehearsal", count=2, seed=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sid = app.session_log.session.id
        await pilot.press("ctrl+q")
    with SessionStore.open(backends.store_path) as store:
        session = store.get_session(sid)
        assert session.shown_status == "cancelled" and len(store.answers(sid)) == 1
    app = create_app(backends, Plan(mode="rehearsal", count=1, seed=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:  # the last question answered: a quit there finishes
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sid = app.session_log.session.id
        await pilot.press("ctrl+q")
    with SessionStore.open(backends.store_path) as store:
        assert store.get_session(sid).shown_status == "complete"


async def test_ctrl_q_mid_answer_says_on_the_terminal_that_the_answer_was_kept(make_backends, tmp_path, capfd):
    """Found in tmux: the line went to the audio log, since Textual prints its exit message while
    standard error still points there; the terminal showed nothing."""
    from simulator.audio.devices import quiet_stderr
    from simulator.tui.launch import say_farewell

    backends = make_backends(end_silence_s=30.0, realtime=True)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    with quiet_stderr(tmp_path / "audio.log"):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: recording(app))
            await wait_for(pilot, lambda: app.screen._elapsed_s > 1.5)
            sid = app.session_log.session.id
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: not app.is_running, timeout_s=10)
    say_farewell(app)
    err = capfd.readouterr().err
    assert "unfinished answer" in err and f"rescore {sid}" in err
    assert "unfinished answer" not in (tmp_path / "audio.log").read_text()


async def test_a_re_record_cancelled_before_a_word_leaves_no_unscored_take(make_backends):
    """Answer, press r, think better of it and press Escape before saying anything: the session keeps
    its answer, and the re-record (the room's noise only) is not stored as an "unfinished answer"."""
    backends = make_backends(end_silence_s=0.8)
    answer_source = backends.source_factory
    openings = []

    def microphone():  # noqa: ANN202 - the answer first, then a room with nobody talking
        openings.append(1)
        if len(openings) == 1:
            return answer_source()
        return ArraySource(speech_like([], 30.0), realtime=True, noise=0.002)  # about -54 dBFS

    backends.source_factory = microphone
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sid = app.session_log.session.id
        await pilot.press("r")
        await wait_for(pilot, lambda: recording(app) and app.screen._elapsed_s > 1.0)
        await pilot.press("escape", "escape")  # the interview has an answer: the first press asks
        await wait_for(pilot, lambda: not isinstance(app.screen, QuestionScreen))
        assert not any("unfinished" in n.message for n in app._notifications)
    with SessionStore.open(backends.store_path) as store:
        assert store.get_session(sid).settings.get("cancelled") is True
        answers = store.answers(sid)
        assert len(answers) == 1 and answers[0].transcript is not None  # the scored answer, nothing else
        assert not list(store.audio_dir(sid).glob("*.partial.*"))  # and no partial file left behind


async def test_enter_in_the_questions_field_starts(make_backends):
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=SIZE) as pilot:
        count = app.screen.query_one("#count", Input)
        count.focus()
        count.value = "2"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.interview is not None)
        assert app.interview.plan.count == 2


async def test_back_home_focus_is_on_start_not_the_sessions_table(make_backends, bank):
    backends = make_backends(microphone=False)
    seed_sessions(backends.store_path, bank, 2)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert app.focused is home.query_one("#start")
        home.query_one("#recent", DataTable).focus()
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert app.focused is home.query_one("#start")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.interview is not None)  # Enter started, no replay opened


async def test_unscored_sessions_do_not_say_no_sessions(make_backends):
    backends = make_backends()
    backends.store_path.parent.mkdir(parents=True)
    with SessionStore.open(backends.store_path) as store:
        store.finish_session(store.start_session(role="retail", mode="roleplay").id)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#recent", DataTable).row_count == 1
        trend = plain(app.screen.query_one("#home-trend", Static))
        assert "No scored sessions yet" not in trend and "sessions below" in trend


async def test_role_and_count_are_remembered_between_launches(make_backends):
    backends = make_backends(microphone=False)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#role", Select).value = "hospitality"
        app.screen.query_one("#count", Input).value = "3"
        await pilot.pause()
        await pilot.click("#start")
        await wait_for(pilot, lambda: app.interview is not None)
    again = create_app(make_backends(microphone=False))
    async with again.run_test(size=SIZE) as pilot:
        home = again.screen
        assert home.query_one("#role", Select).value == "hospitality"
        assert home.query_one("#count", Input).value == "3"


def test_bad_or_corrupt_prefs_are_ignored(tmp_path):
    path = tmp_path / "home.json"
    assert load_home_prefs(path) == {}  # missing
    path.write_bytes(b"\xff{not json")
    assert load_home_prefs(path) == {}
    path.write_text('["retail"]')
    assert load_home_prefs(path) == {}
    path.write_text('{"role": "astronaut", "count": 999}')
    assert load_home_prefs(path) == {}
    path.write_text('{"role": "retail", "count": true}')
    assert load_home_prefs(path) == {"role": "retail"}
    save_home_prefs("call-centre", 4, path)
    assert load_home_prefs(path) == {"role": "call-centre", "count": 4}


async def start_roleplay_from_home(app, pilot) -> None:  # noqa: ANN001
    """Choose role-play on the home screen and start it; returns once its first turn is recording."""
    app.screen.query_one("#mode", Select).value = "roleplay"
    await pilot.pause()
    await pilot.click("#start")
    await wait_for(pilot, lambda: isinstance(app.screen, RolePlayScreen) and app.screen.phase == "recording")


async def test_leaving_a_roleplay_before_any_turn_stores_nothing(make_backends):
    backends = make_backends(end_silence_s=30.0)
    silent_microphone(backends)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await start_roleplay_from_home(app, pilot)
        await pilot.pause(0.3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    with SessionStore.open(backends.store_path) as store:
        assert store.list_sessions() == []


async def test_a_failure_from_a_roleplay_already_left_opens_nothing(make_backends):
    """Leaving closes the turn's recording under its worker, which may then fail: that late failure
    must not open the typed-reply dialog over the home screen (seen once in CI)."""
    backends = make_backends(end_silence_s=30.0)
    silent_microphone(backends)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await start_roleplay_from_home(app, pilot)
        roleplay = app.screen
        roleplay.action_leave()
        roleplay._failed(AnswerFailed("something went wrong while recording: the file was closed"))
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause(0.3)
        assert isinstance(app.screen, HomeScreen)


async def test_history_exports_the_chosen_session_as_html(make_backends, bank):
    backends = make_backends(microphone=False)
    ids = seed_sessions(backends.store_path, bank, 2)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one("#hist-sessions", DataTable)
        chosen = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        assert chosen in ids
        await pilot.press("x")
        await pilot.pause()
    report = backends.store_path.parent / "reports" / f"{chosen}.html"
    assert report.read_text().lstrip().lower().startswith("<!doctype html")
    assert report.stat().st_mode & 0o777 == 0o600 and report.parent.stat().st_mode & 0o777 == 0o700


async def test_think_time_and_answer_limit_can_be_set_on_home(make_backends):
    app = create_app(make_backends(microphone=False))
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        home.query_one("#mode", Select).value = "drill"
        home.query_one("#think", Input).value = "3"
        home.query_one("#limit", Input).value = "2"  # below the CLI's 5 s floor: kept at 5
        await pilot.pause()
        plan = home.chosen_plan()
        assert plan.think_s == 3.0 and plan.limit_s == 5.0
        home.query_one("#think", Input).value = ""
        assert home.chosen_plan().think_s is None  # blank: the mode's default
        home.query_one("#limit", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.interview is not None)
        assert app.interview.plan.mode == "drill" and app.interview.plan.limit_s == 5.0
