"""Sessions in the app: stored as they happen, recovered at start-up, shown on home, replayed,
and compared over time on the history screen."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Sparkline, Static, TextArea

from simulator.cli import main as cli_main
from simulator.store import SessionStore
from simulator.session.interview import Plan
from simulator.tui.app import create_app
from simulator.tui.screens.feedback import FeedbackScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.replay import ReplayScreen
from simulator.tui.screens.summary import SummaryScreen
from simulator.tui.screens.typed_answer import TypedAnswerScreen
from simulator.tui.widgets.replay_transcript import word_at
from tests.tui.seed import QUESTION, FakeClock, seed_sessions
from tests.tui.test_flow import SIZE, plain, wait_for


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


# -- storing ----------------------------------------------------------------------------------------
async def test_spoken_session_is_stored_with_audio(make_backends):
    backends = make_backends()
    app = create_app(backends, Plan(role="call-centre", mode="rehearsal", count=1, seed=1), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        sid = app.session_log.session.id
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        # the stored FLAC is what the in-app answer points at; the streamed partial is gone
        assert app.interview.answers[0].audio_path.suffix == ".flac"
    with SessionStore.open(backends.store_path) as store:
        session = store.get_session(sid)
        assert session.status == "complete" and session.mode == "rehearsal" and session.role == "call-centre"
        [answer] = store.answers(sid)
        assert not answer.audio_missing and answer.duration_s > 4
        assert "reduced complaints" in answer.transcript.text
        assert answer.question.id == app.interview.questions[0].id
        assert not list(store.audio_dir(sid).glob("*.partial.*"))


async def test_typed_answer_is_stored_without_audio_and_escape_finishes(make_backends):
    backends = make_backends(microphone=False)
    app = create_app(backends, Plan(mode="rehearsal", count=2), start_immediately=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and bool(app.screen.query(TextArea)))
        sid = app.session_log.session.id
        app.screen.query_one(TextArea).text = "I listened, apologised and fixed the refund the same day."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("escape")  # leave the interview early: asked first...
        await pilot.pause(0.1)
        assert isinstance(app.screen, FeedbackScreen)
        assert any("Press Escape again" in n.message for n in app._notifications)
        await pilot.press("escape")  # ...and confirmed
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert not app.session_log.active
    with SessionStore.open(backends.store_path) as store:
        assert store.get_session(sid).status == "complete"
        [answer] = store.answers(sid)
        assert answer.audio_path is None and answer.transcript.text.startswith("I listened")


# -- start-up -----------------------------------------------------------------------------------------
async def test_startup_recovers_an_interrupted_session(make_backends, bank):
    backends = make_backends()
    backends.store_path.parent.mkdir(parents=True)
    with SessionStore.open(backends.store_path) as store:
        s = store.start_session(role="retail", mode="drill")
        writer = store.open_answer_audio(s.id, 1, bank.get_question(QUESTION))
        writer.write(0.2 * __import__("numpy").ones(16_000 * 2, "float32"))  # 2 s, never closed
        store._conn.execute("UPDATE sessions SET pid = 999999999 WHERE id = ?", (s.id,))  # a dead process
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any(f"Recovered interrupted session {s.id}" in m and "2.0 s" in m for m in notifications(app))
        assert app.store.get_session(s.id).status == "recovered"
        [answer] = app.store.answers(s.id)
        assert answer.question.id == QUESTION and abs(answer.duration_s - 2.0) < 0.01


async def test_corrupt_store_is_set_aside_and_the_app_continues(make_backends):
    backends = make_backends()
    backends.store_path.parent.mkdir(parents=True)
    backends.store_path.write_bytes(b"this is not a database" * 200)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [backup] = list(backends.store_path.parent.glob("sessions.db.corrupt-*"))
        assert any(backup.name in m for m in notifications(app))
        assert isinstance(app.screen, HomeScreen) and app.store is not None
        assert app.store.list_sessions() == []


# -- home -----------------------------------------------------------------------------------------------
async def test_home_lists_recent_sessions_with_a_trend(make_backends, bank):
    backends = make_backends()
    ids = seed_sessions(backends.store_path, bank, 3)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#recent", DataTable)
        assert table.row_count == 3
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == ids[-1]  # newest first
        assert table.get_row_at(0)[0] == "2025-03-03 10:00"
        trend = plain(app.screen.query_one("#home-trend", Static))
        assert "Content" in trend and "Pace" in trend and "wpm" in trend
        app.screen.query_one("#role").focus()
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen))
        assert app.screen.session_id == ids[-1]


# -- replay -------------------------------------------------------------------------------------------
async def test_replay_follows_the_words_seeks_pauses_and_changes_speed(make_backends, bank):
    backends = make_backends()
    backends.clock = clock = FakeClock()
    ids = seed_sessions(backends.store_path, bank, 1)
    app = create_app(backends, replay_session=ids[0][:10])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.session_id == ids[0]
        words = screen.answer.words
        assert screen.current_word is None
        await pilot.press("space")
        assert screen.playback.playing
        await wait_for(pilot, lambda: backends.player.played)  # the audio went to the player
        assert backends.player.played[0][1] == 16_000
        clock.advance(words[3].start_s + 0.01)
        await wait_for(pilot, lambda: screen.current_word == 3)
        transcript = screen.query_one("#replay-transcript", Static)
        spans = [s for s in transcript.content.spans if "reverse" in str(s.style)]
        assert plain(transcript).split()[3] == words[3].text and spans  # highlighted
        clock.advance(words[6].start_s - words[3].start_s)
        await wait_for(pilot, lambda: screen.current_word == 6)
        # seek: right moves to the next word, left back
        await pilot.press("right")
        assert screen.current_word == 7 and abs(screen.playback.position_s - words[7].start_s) < 1e-6
        await pilot.press("left", "left")
        assert screen.current_word == 5
        # a click on a word runs its @click meta, "screen.seek_word(i)", as an action
        await app.run_action("screen.seek_word(2)")
        assert screen.current_word == 2 and abs(screen.playback.position_s - words[2].start_s) < 1e-6
        await app.run_action("screen.seek_word(5)")
        # pause: the clock moves, the position does not
        await pilot.press("space")
        assert not screen.playback.playing
        clock.advance(5.0)
        await pilot.pause(0.1)
        assert screen.current_word == 5
        assert "paused" in plain(screen.query_one("#replay-status", Static))
        # speed: ] faster, [ slower; the playback clock runs at that speed
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.playback.speed == 1.5
        await pilot.press("space")
        start = screen.playback.position_s
        clock.advance(2.0)
        assert abs(screen.playback.position_s - (start + 3.0)) < 1e-6
        await pilot.press("left_square_bracket")
        assert screen.playback.speed == 1.25
        assert "1.25×" in plain(screen.query_one("#replay-status", Static))
        expected = word_at(words, screen.playback.position_s)
        await wait_for(pilot, lambda: screen.current_word == expected)


async def test_replay_says_audio_missing_and_still_works(make_backends, bank):
    backends = make_backends()
    backends.clock = clock = FakeClock()
    ids = seed_sessions(backends.store_path, bank, 1)
    with SessionStore.open(backends.store_path) as store:
        store.answers(ids[0])[0].audio_path.unlink()
    app = create_app(backends, replay_session=ids[0])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert "audio missing" in plain(screen.query_one("#replay-status", Static))
        assert "Content score" in plain(screen.query_one("#replay-content", Static))
        assert "wpm" in plain(screen.query_one("#replay-delivery", Static))
        await pilot.press("space")
        clock.advance(screen.answer.words[2].start_s)
        await wait_for(pilot, lambda: screen.current_word == 2)  # the transcript follows in silence
        assert backends.player.played == []


def test_replay_cli_unknown_session_is_one_line_and_nonzero(tmp_path, capsys):
    code = cli_main(["--data-dir", str(tmp_path), "replay", "no-such-session"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and "no-such-session" in err[0]


# -- history ------------------------------------------------------------------------------------------
async def test_history_shows_trends_and_attempts_side_by_side(make_backends, bank):
    backends = make_backends()
    seed_sessions(backends.store_path, bank, 3)
    app = create_app(backends)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#history")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        screen = app.screen
        pace = screen.query_one("#hist-pace", Sparkline).data
        assert len(pace) == 3 and pace[0] < pace[-1]  # faster each session
        assert len(screen.query_one("#hist-content", Sparkline).data) == 3
        assert len(screen.query_one("#hist-fillers", Sparkline).data) == 3
        assert "→" in plain(screen.query_one("#hist-pace-label", Static))
        attempts = screen.query_one("#hist-attempts", DataTable)
        assert len(attempts.columns) == 4 and attempts.row_count == 7  # label + three attempts
        wpm_row = attempts.get_row_at(2)
        assert wpm_row[0] == "WPM" and float(wpm_row[1]) < float(wpm_row[3])
        assert screen.query_one("#hist-questions", DataTable).get_row_at(0)[1] == "3"


def test_store_attempts_across_sessions(tmp_path, bank):
    ids = seed_sessions(tmp_path / "s.db", bank, 2)
    with SessionStore.open(tmp_path / "s.db") as store:
        attempts = store.attempts(QUESTION)
        assert [a.session_id for a in attempts] == ids
        assert store.questions_answered()[0][0] == QUESTION and store.questions_answered()[0][2] == 2
        assert store.attempts("no-such-question") == []


def test_corrupt_fixture_is_really_corrupt(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"this is not a database" * 200)
    try:
        sqlite3.connect(path).execute("SELECT 1 FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return
    raise AssertionError("expected a damaged database")


REFUND = "I listened, apologised and fixed the refund the same day."


def full_disk(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    from simulator.errors import StoreError

    raise StoreError("the disk is full")


def one_typed_answer_app(make_backends):  # noqa: ANN001, ANN201
    backends = make_backends(microphone=False)
    return backends, create_app(backends, Plan(mode="rehearsal", count=1, follow_ups="off", seed=1),
                                start_immediately=True)


async def type_the_answer_then_the_summary(pilot, app) -> None:  # noqa: ANN001
    """Type the one answer, see its feedback, then go on to the summary."""
    await wait_for(pilot, lambda: isinstance(app.screen, TypedAnswerScreen) and bool(app.screen.query(TextArea)))
    app.screen.query_one(TextArea).text = REFUND
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))


def saved_column(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(DataTable).get_row_at(0)[-1])


async def test_answers_the_store_could_not_keep_are_marked_on_the_summary_and_named_at_quit(make_backends, monkeypatch):
    """Stop 44's explorer, on a full disk: the summary listed answers that were never saved as if they
    had been. Each such row now says "not saved", the headline says which, and quitting names them
    (a typed one with its words)."""
    from simulator.session.session_log import SessionLog

    monkeypatch.setattr(SessionLog, "save", full_disk)
    _, app = one_typed_answer_app(make_backends)
    async with app.run_test(size=SIZE) as pilot:
        await type_the_answer_then_the_summary(pilot, app)
        assert any("Could not save" in n for n in notifications(app))
        assert saved_column(app) == "not saved"
        assert "Answer 1 could not be saved" in plain(app.screen.query_one("#summary-headline", Static))
        await pilot.press("ctrl+q")
    assert any("Answer 1 (typed) could not be saved" in line and "fixed the refund" in line for line in app.farewell)


async def test_a_session_the_store_could_not_open_names_its_answers_at_quit(make_backends, monkeypatch):
    """A disk already full when the interview starts: the session never opened, so no answer was
    saved, and until stop 45 nothing said so at exit."""
    from simulator.session.session_log import SessionLog

    monkeypatch.setattr(SessionLog, "start", full_disk)
    _, app = one_typed_answer_app(make_backends)
    async with app.run_test(size=SIZE) as pilot:
        await type_the_answer_then_the_summary(pilot, app)
        assert saved_column(app) == "not saved"
        await pilot.press("escape")  # home, then a quit from there still names it
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("ctrl+q")
    assert any("Answer 1 (typed) could not be saved" in line for line in app.farewell)


async def test_save_again_keeps_what_the_store_could_not_once_it_can(make_backends, monkeypatch):
    """Space freed after a full disk: s on the summary stores the answers it could not, in their
    session (a session that never opened is opened for them), and nothing is named at quit."""
    from simulator.session.session_log import SessionLog

    for step in ("save", "start"):
        with monkeypatch.context() as disk:
            disk.setattr(SessionLog, step, full_disk)
            backends, app = one_typed_answer_app(make_backends)
            async with app.run_test(size=SIZE) as pilot:
                await type_the_answer_then_the_summary(pilot, app)
                assert saved_column(app) == "not saved"
                disk.undo()  # space freed
                await pilot.press("s")
                await wait_for(pilot, lambda: saved_column(app) == "yes")
                assert "could not be saved" not in plain(app.screen.query_one("#summary-headline", Static))
                assert any("Saved: 1 answer(s)" in n for n in notifications(app)), step
                await pilot.press("ctrl+q")
            assert not any("could not be saved" in line for line in app.farewell), step
            with SessionStore.open(backends.store_path) as store:  # one store for both steps
                session = max(store.list_sessions(), key=lambda s: s.started_at)
                [answer] = store.answers(session.id)
                assert answer.transcript.text.startswith("I listened") and session.status == "complete", step
