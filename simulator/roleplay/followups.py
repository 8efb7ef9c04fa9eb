"""Interviewer follow-ups: after a main answer, ask about what was missing or weak.

The choice is a fixed order of rules over the answer's :class:`ContentScore`, most revealing first:

1. a red flag -> a probing question about it (blaming the customer, bluffing, ...);
2. a STAR story without a result -> "What was the outcome for the customer?";
3. no concrete example -> "Can you give me a specific example?";
4. a strong answer (score >= :data:`STRONG_SCORE`, no flags) -> a deeper probe from the question's
   own ``follow_ups``;
5. otherwise a probe for the weakest missing criterion, if one is known.

``mode`` is "off", "one", or a number N (up to N follow-ups per question). Pass the follow-ups
already asked for this question in ``asked``: the limit counts them and none is asked twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.rubric.models import Question
from simulator.rubric.result import ContentScore

STRONG_SCORE = 70
OUTCOME_PROBE = "What was the outcome for the customer?"
EXAMPLE_PROBE = "Can you give me a specific example?"
# Criteria that hold a story's result, and those that hold a concrete example, across the rubrics.
RESULT_CRITERIA = ("result", "outcome")
EXAMPLE_CRITERIA = ("example", "evidence", "situation")
FLAG_PROBES = {
    "blames_customer": "How do you think the customer saw that situation, and what could you have said differently?",
    "negativity": "What did you learn from that, and what would you do differently next time?",
    "bluffing": "What would you do if you genuinely didn't know the answer?",
    "extrinsic_motivation": "Beyond pay and hours, what draws you to this role?",
    "vague": "What makes you say that? Tell me about one moment that shows it.",
}
GENERIC_FLAG_PROBE = "Can you tell me more about why you put it that way?"
CRITERION_PROBES = {
    "empathy": "How would you show the customer you understand how they feel?",
    "clarify": "What questions would you ask to find out what really happened?",
    "options": "What options could you offer the customer?",
    "escalation": "When would you involve a supervisor, and how would you keep the customer informed?",
    "next_steps": "How would you close the conversation and confirm the next steps?",
    "insight": "What did you learn from that experience?",
    "action": "What exactly did you do, step by step?",
    "metrics": "How did you measure whether it worked?",
}


def follow_up_limit(mode: str | int) -> int:
    """Turn ``mode`` ("off", "one", N or "N") into the number of follow-ups allowed per question."""
    if isinstance(mode, int) and not isinstance(mode, bool):
        n = mode
    elif mode == "off":
        return 0
    elif mode == "one":
        return 1
    elif isinstance(mode, str) and mode.isdigit():
        n = int(mode)
    else:
        raise ValueError(f"follow-up mode must be 'off', 'one' or a number, not {mode!r}")
    if n < 0:
        raise ValueError("the number of follow-ups cannot be negative")
    return n


def choose_follow_up(question: Question | None, content_score: ContentScore, mode: str | int = "one",
                     asked: Sequence[str] = ()) -> str | None:
    """The interviewer's next follow-up for this answer, or None when none is due.

    Args:
        question: the bank question answered (its ``follow_ups`` feed the deeper probe); may be None.
        content_score: the main answer (or the previous follow-up's answer), scored.
        mode: "off", "one", or a number N of follow-ups allowed for this question.
        asked: follow-ups already asked for this question, oldest first.
    """
    if len(asked) >= follow_up_limit(mode):
        return None
    for candidate in _candidates(question, content_score):
        if candidate not in asked:
            return candidate
    return None


def _candidates(question: Question | None, score: ContentScore) -> list[str]:
    out: list[str] = []
    for flag in score.red_flags:
        out.append(FLAG_PROBES.get(flag.id, GENERIC_FLAG_PROBE))
    ids = {c.id for c in score.criteria}
    met = score.met_ids
    if not score.assessable:
        out.append(EXAMPLE_PROBE)
    if score.rubric == "star" or score.balance is not None:
        if any(r in ids and r not in met for r in RESULT_CRITERIA):
            out.append(OUTCOME_PROBE)
    elif any(r in ids and r not in met for r in RESULT_CRITERIA) and score.assessable:
        out.append(OUTCOME_PROBE)
    if any(e in ids and e not in met for e in EXAMPLE_CRITERIA):
        out.append(EXAMPLE_PROBE)
    strong = score.assessable and score.score >= STRONG_SCORE and not score.red_flags
    if strong and question is not None:
        out.extend(question.follow_ups)
    missing = sorted((c for c in score.criteria if not c.met and c.id in CRITERION_PROBES), key=lambda c: c.score)
    out.extend(CRITERION_PROBES[c.id] for c in missing)
    if question is not None and not strong:
        out.extend(question.follow_ups)
    return list(dict.fromkeys(out))
