"""The app's session path survives SIGKILL mid-answer: the next start (or `sessions recover`)
finds the partial recording and keeps it as an answer."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path

from simulator.store import SessionStore
from tests.processes import reaped, sigkill_after

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_mid_answer_leaves_a_recoverable_partial_answer(tmp_path):
    db = tmp_path / "sessions.db"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from simulator.audio.capture import ArraySource
        from simulator.rubric import load_bank
        from simulator.session.answer_loop import run_answer
        from simulator.session.events import Level
        from simulator.session.session_log import SessionLog, open_store
        from tests.tui.fakes import ScriptedTranscriber, speech_like
        store, _ = open_store(Path({str(db)!r}))
        log = SessionLog(store)
        log.start(role="retail", mode="rehearsal", settings={{}}, engine="fake", model="x")
        question = load_bank().get_question("tell-me-about-yourself")
        position, writer = log.open_audio(question)
        src = ArraySource(speech_like([(0.0, 30.0)], 30.0), realtime=True)
        for ev in run_answer(src, ScriptedTranscriber(["x"] * 50), writer=writer):
            if isinstance(ev, Level) and ev.elapsed_s >= 1.0:
                print(log.session.id, flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    with reaped(child):
        session_id = child.stdout.readline().strip()
        assert session_id
        sigkill_after(child)
    with SessionStore.open(db) as store:
        assert store.get_session(session_id).status == "in_progress"
        [partial] = store.audio_dir(session_id).glob("*.partial.wav")
        assert partial.name == "1.partial.wav"
        [recovered] = store.recover()
        assert recovered.session.id == session_id
        [answer] = recovered.recordings_attached
        assert answer.question.id == "tell-me-about-yourself"
        assert 1.0 <= answer.duration_s <= 5.0
        assert float(abs(store.load_audio(answer)).max()) > 0.2  # the tone, not silence


APP_CHILD = """
import asyncio, sys
from pathlib import Path
from simulator.audio.capture import ArraySource
from simulator.audio.playback import NullPlayer
from simulator.session.interview import Plan
from simulator.speech.tts import SilentSpeaker
from simulator.tui.app import create_app
from simulator.tui.backends import Backends, LazyTranscriber
from simulator.tui.screens.question import QuestionScreen
from tests.tui.fakes import ScriptedTranscriber, speech_like

async def main(db: str) -> None:
    transcriber = ScriptedTranscriber(["I helped a customer"] * 50)
    backends = Backends(
        transcriber=LazyTranscriber(lambda: transcriber), speaker=SilentSpeaker(), player=NullPlayer(),
        source_factory=lambda: ArraySource(speech_like([(0.0, 60.0)], 60.0), realtime=True),
        store_path=Path(db), end_silence_s=30.0)
    app = create_app(backends, Plan(role="retail", mode="rehearsal", count=1, seed=3), start_immediately=True)
    async with app.run_test(size=(100, 40)) as pilot:
        while not (isinstance(app.screen, QuestionScreen) and app.screen._elapsed_s >= 1.0):
            await pilot.pause(0.05)
        print(app.session_log.session.id, app.interview.current.id, flush=True)
        await asyncio.sleep(120)  # still answering when the parent kills us

asyncio.run(main(sys.argv[1]))
"""


def _kill_the_app(script: str, db: Path, not_ready: str) -> str:
    """Run the app ``script`` on ``db``, SIGKILL it once it prints its session and question, and
    return the question's id (the session is left in progress, as a crash leaves it)."""
    child = subprocess.Popen([sys.executable, "-c", script, str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    with reaped(child):
        ready, _, _ = select.select([child.stdout], [], [], 60)
        assert ready, not_ready
        session_id, question_id = child.stdout.readline().split()
        sigkill_after(child)
    with SessionStore.open(db) as store:
        assert store.get_session(session_id).status == "in_progress"
    return question_id


def _recovered(store: SessionStore) -> list:
    """The answers the next start's recovery attaches (one interrupted session)."""
    [recovered] = store.recover()
    return list(recovered.recordings_attached)


def test_sigkill_of_the_app_mid_answer_keeps_the_audio_so_far(tmp_path):
    """The same, with the real app (headless, fake microphone) killed while the answer streams in."""
    db = tmp_path / "sessions.db"
    question_id = _kill_the_app(APP_CHILD, db, "the app did not start recording within 60 s")
    with SessionStore.open(db) as store:
        [answer] = _recovered(store)
        assert answer.question.id == question_id
        assert 1.0 <= answer.duration_s <= 5.0
        assert float(abs(store.load_audio(answer)).max()) > 0.2  # the speech, not silence


FEEDBACK_CHILD = APP_CHILD.replace(
    "speech_like([(0.0, 60.0)], 60.0)", "speech_like([(0.0, 2.0)], 60.0)").replace(
    "end_silence_s=30.0", "end_silence_s=1.0").replace(
    "isinstance(app.screen, QuestionScreen) and app.screen._elapsed_s >= 1.0",
    "type(app.screen).__name__ == 'FeedbackScreen'")


def test_sigkill_while_the_feedback_shows_keeps_the_answer_scored(tmp_path):
    """Rehearsal shows the feedback while the microphone listens on for a moment (the answer may
    resume); a kill then used to keep only the recording, every score blank, though the candidate
    had seen it scored. The report is kept beside the recording until the answer settles."""
    db = tmp_path / "sessions.db"
    question_id = _kill_the_app(FEEDBACK_CHILD, db, "the feedback did not show within 60 s")
    with SessionStore.open(db) as store:
        [answer] = _recovered(store)
        assert answer.question.id == question_id and answer.scored
        assert "I helped a customer" in answer.transcript.text
        assert 2.0 <= answer.duration_s <= 6.0
