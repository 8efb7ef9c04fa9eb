"""The app's session path survives SIGKILL mid-answer: the next start (or `sessions recover`)
finds the partial recording and keeps it as an answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from simulator.session import SessionStore

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_mid_answer_leaves_a_recoverable_partial_answer(tmp_path):
    db = tmp_path / "sessions.db"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from simulator.audio.capture import ArraySource
        from simulator.rubric import load_bank
        from simulator.session.interview import Level, run_answer
        from simulator.tui.session_log import SessionLog, open_store
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
    try:
        session_id = child.stdout.readline().strip()
        assert session_id
        import time  # noqa: PLC0415

        time.sleep(0.5)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
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
