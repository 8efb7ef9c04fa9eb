"""Role-play turn cues from the content engine: one candidate turn judged as a de-escalation answer.

The five moves a customer listens for are the de-escalation rubric's criteria, so the role-play hears
them with the same detector that scores an interview answer (``content_engine``: by meaning, the cue
patterns settling close calls): empathy is an acknowledgement, clarify a question, options an
option, escalation an escalation, next steps a commitment. The de-escalation heads were fitted with
the training turns (``bench/fit_semantic.py``, ``collect_turns``), said to the customer in the second
person. The closed facts stay rules in :mod:`simulator.roleplay.cues`: a spoken apology ("sorry"), a
question by its form, repetition, length and silence.
"""

from __future__ import annotations

from simulator.rubric import score_content
from simulator.rubric.engine import default_bank
from simulator.rubric.result import ContentScore

RUBRIC = "de-escalation"
CRITERION_CUES = {
    "empathy": "acknowledgement",
    "clarify": "question",
    "options": "option",
    "escalation": "escalation",
    "next_steps": "commitment",
}
RUBRIC_CUES = frozenset(CRITERION_CUES.values())


def rubric_found(text: str, judged: ContentScore | None = None) -> dict[str, str]:
    """Cue id -> the words that showed it, for the cues the de-escalation rubric judges (``judged``:
    the turn's verdict already made, see :func:`simulator.roleplay.engine.hear_turn`)."""
    score = judged if judged is not None else score_content(text, rubric=RUBRIC, bank=default_bank())
    return {CRITERION_CUES[c.id]: (c.evidence.text if c.evidence else text)
            for c in score.criteria if c.met and c.id in CRITERION_CUES}
