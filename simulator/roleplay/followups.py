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

:func:`follow_up_rubric` decides, once, which rubric judges the answer to a follow-up: from what the
follow-up asks ("Can you give me an example?" wants a STAR story, "What made you move into customer
service?" a motivation), else the main question's. The choice is kept with the stored answer, so a
rescore judges the same audio the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

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
    # Not "what did you learn from that": the criticism often comes with no story to learn from
    # ("my last manager was terrible ... it's all about the money", stop 44's explorer).
    "negativity": "What did working there teach you, and how would you handle a situation like that here?",
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

# What a follow-up asks, most specific first -> the rubric that judges its answer. A follow-up that
# asks none of these probes the main answer further and is judged like it.
FOLLOW_UP_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("star", re.compile(
        r"\b(?:an? (?:specific |real |concrete )?example|(?:tell|walk) me (?:about|through) (?:a|an|the|one) "
        r"|a time (?:when|you)|describe a (?:time|situation)|one moment)")),
    ("dont-know", re.compile(r"\b(?:don'?t|didn'?t|doesn'?t|do not|did not) know the answer")),
    ("motivation", re.compile(
        r"\b(?:what (?:made|led|draws|drew|brought|attracts|attracted) you|why (?:do|did) you (?:want|choose)"
        r"|move into|why (?:customer service|this (?:role|job|company|position))|resonates? (?:most )?with you)")),
    ("five-years", re.compile(r"\b(?:long[- ]term (?:plans?|goals?)|five years|see yourself)")),
    ("skills-metrics", re.compile(r"\bhow (?:do|would) you measure\b")),
)


def follow_up_rubric(text: str, parent_rubric: str, available: Collection[str] | None = None) -> str:
    """The rubric for the answer to the follow-up ``text`` asked after a question judged by
    ``parent_rubric``: an example or a story -> ``star``, a motivation -> ``motivation``, ...;
    anything else probes the main answer and keeps ``parent_rubric``. A rubric not in ``available``
    (when given: a bank without it) is skipped."""
    low = " ".join(text.lower().replace("\u2019", "'").split())
    for rubric, pattern in FOLLOW_UP_INTENTS:
        if pattern.search(low) and (available is None or rubric in available):
            return rubric
    return parent_rubric


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
    if n > MOST_FOLLOW_UPS:
        raise ValueError(f"at most {MOST_FOLLOW_UPS} follow-ups per question (an interviewer asks one or two)")
    return n


MOST_FOLLOW_UPS = 5
"""The most follow-ups ``--follow-ups N`` may ask per question."""


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
    return [c for c in dict.fromkeys(out) if not _answered(c, ids, met)]


_ASKS_EXAMPLE = re.compile(r"\ban? (?:specific |real |concrete )?example\b")
"""An example of what was just said; "tell me about the busiest shift" asks for a new story."""
_ASKS_OUTCOME = re.compile(r"\b(?:outcome|what happened (?:afterwards|after that|next)|how did (?:it|that) (?:turn out|end))\b")


def _answered(probe: str, ids: Collection[str], met: Collection[str]) -> bool:
    """Whether ``probe`` asks for what the answer already gave: the outcome of a story whose result
    was met, or an example when one was. A bank question's own follow-ups used to ask "What was the
    outcome for the customer?" right after a story whose result was met (stop 43)."""
    low = probe.lower()
    wants = RESULT_CRITERIA if _ASKS_OUTCOME.search(low) else ()
    wants = wants or (EXAMPLE_CRITERIA if _ASKS_EXAMPLE.search(low) else ())
    wants = wants or tuple(c for c, text in CRITERION_PROBES.items() if text == probe)
    asked_for = [c for c in wants if c in ids]
    return bool(asked_for) and all(c in met for c in asked_for)
