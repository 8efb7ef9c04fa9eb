"""Attempts at one question with known differences, for the progress tests (unit and app).

Three sessions answer "Tell me about yourself" (rubric about-yourself: background, skills,
relevance), a day apart:

1. background only;
2. background, skills and relevance, with pay as the reason (red flag ``extrinsic_motivation``);
3. background and relevance: the skills line is dropped, and the pay line (and its flag) gone.
"""

from __future__ import annotations

from pathlib import Path

from simulator.store import SessionStore
from tests.tui.seed import QUESTION, spoken_answer

TEXTS = (
    "I worked at a call centre for three years.",
    "I worked at a call centre for three years and I am calm under pressure and patient with upset "
    "callers, honestly the pay is the main reason I want this job.",
    "I worked at a call centre for three years. I am calm under pressure and I explain things clearly. "
    "That is why this role appeals to me, your focus on service fits what I do best.",
)
SKILLS_QUOTE = "calm under pressure and patient with upset callers"
PAY_QUOTE = "the pay is the main reason I want this job"
RELEVANCE_QUOTE = "That is why this role appeals to me"


def seed_attempts(path: Path, bank, texts=TEXTS, *, question: str = QUESTION) -> list[str]:
    """One complete session per text, each answering ``question`` once; returns the session ids."""
    assert question == QUESTION, "spoken_answer answers the seed question"
    ids = []
    with SessionStore.open(path) as store:
        for i, text in enumerate(texts):
            s = store.start_session(role="call-centre", mode="rehearsal", engine="fake", model="x")
            q, report, audio = spoken_answer(bank, gap_s=0.45 - 0.05 * i, words=text.split())
            store.add_answer(s.id, q, report, audio, position=1)
            store.finish_session(s.id)
            ids.append(s.id)
        conn = store._conn
        for i, sid in enumerate(ids):
            when = f"2025-04-0{i + 1}T10:00:00.000+00:00"
            conn.execute("UPDATE sessions SET started_at = ?, ended_at = ? WHERE id = ?", (when, when, sid))
            conn.execute("UPDATE answers SET created_at = ? WHERE session_id = ?", (when, sid))
    return ids
