"""Stored sessions for the replay, history and home tests: deterministic reports, audio and dates."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.rubric import score_content
from simulator.store import SessionStore
from simulator.answer.build import build_report
from simulator.speech.transcript import Segment, Transcript, Word
from tests.tui.fakes import speech_like

WORDS = ("So I um worked at a call centre for three years and I reduced repeat calls by twenty percent "
         "because I listened first and then I followed up with every customer the next day").split()
QUESTION = "tell-me-about-yourself"


def spoken_answer(bank, *, gap_s: float = 0.35, words: list[str] | None = None):
    """(question, report, samples): words every ``gap_s`` with a 3 s pause after the 16th."""
    words = words or WORDS
    ws, t = [], 0.5
    for i, w in enumerate(words):
        if i == 16:
            t += 3.0
        ws.append(Word(w, round(t, 2), round(t + gap_s * 0.8, 2), 0.9))
        t += gap_s
    audio = speech_like([(w.start_s, w.end_s) for w in ws], t + 1.0)
    text = " ".join(words)
    transcript = Transcript(text, (Segment(text, ws[0].start_s, ws[-1].end_s, tuple(ws)),), "fake", "x")
    q = bank.get_question(QUESTION)
    # The cue patterns: the seeded texts were written to meet and miss criteria as they judge them,
    # and they need no sentence encoder (these are screen tests, not content-engine tests).
    report = build_report(audio, transcript, target_length_s=tuple(q.target_s),
                          score_content=lambda s: score_content(s, question=q, bank=bank, engine="regex"))
    return q, report, audio


def seed_sessions(path: Path, bank, n: int = 3, *, fixed_dates: bool = True) -> list[str]:
    """``n`` complete sessions, each answering the same question a little faster; returns their ids."""
    ids = []
    with SessionStore.open(path) as store:
        for i in range(n):
            s = store.start_session(role="call-centre", mode="rehearsal", engine="fake", model="x")
            q, report, audio = spoken_answer(bank, gap_s=0.45 - 0.05 * i,
                                             words=WORDS if i % 2 == 0 else WORDS[2:])
            store.add_answer(s.id, q, report, audio, position=1)
            store.finish_session(s.id)
            ids.append(s.id)
        if fixed_dates:
            conn = store._conn
            for i, sid in enumerate(ids):
                when = f"2025-03-0{i + 1}T10:00:00.000+00:00"
                conn.execute("UPDATE sessions SET started_at = ?, ended_at = ? WHERE id = ?", (when, when, sid))
                conn.execute("UPDATE answers SET created_at = ? WHERE session_id = ?", (when, sid))
    return ids


class FakeClock:
    """A playback clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * 16_000), np.float32)
