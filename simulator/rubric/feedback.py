"""Feedback lines: 2-5 kind, specific, actionable sentences per answer, strengths first.

The words come from the rubric and red-flag data (``praise`` and ``advice``), so a coach can change
the tone without code; this module only chooses and orders them: what the candidate did well (with
their own words quoted), then any red flag, then the most valuable missing criterion, then the
STAR balance or the job-description terms. Nothing here is generic: each line names a criterion,
a flag, a figure or a term from this answer. :func:`with_delivery_feedback` then adds the two or three
most useful notes on how the answer was delivered (simulator/analysis/notes.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from simulator.analysis.delivery import DeliveryMetrics
from simulator.analysis.notes import delivery_notes
from simulator.rubric.models import Question, RedFlag, Rubric
from simulator.rubric.result import ContentScore, Evidence, FeedbackLine

MAX_LINES = 5
QUOTE_WORDS = 12


def quote(text: str, max_words: int = QUOTE_WORDS) -> str:
    ws = text.split()
    return " ".join(ws[:max_words]) + (" …" if len(ws) > max_words else "")


def build_feedback(
    score: ContentScore, rubric: Rubric, flags: Mapping[str, RedFlag], question: Question | None
) -> tuple[FeedbackLine, ...]:
    if not score.assessable:
        lo, hi = question.target_s if question else (60, 120)
        return (
            FeedbackLine("info", score.reason[:1].upper() + score.reason[1:] + "."),
            FeedbackLine("improve", f"Give a full spoken answer in English of about {lo}-{hi} seconds, "
                         f"and I will score it against the {rubric.label} rubric."),
        )
    # Praise never quotes a clause a red flag was raised on, nor the same words twice: "because it
    # pays two pounds more an hour" was praised as the scene and as a figure, and flagged, in one
    # answer; one fragment was praised as the result and as the insight (stop 44's explorer).
    flagged = [f.evidence for f in score.red_flags if f.evidence is not None]
    strengths: list[FeedbackLine] = []
    praised: list[Evidence] = []
    for r in sorted((r for r in score.criteria if r.met), key=lambda r: -r.score):
        if len(strengths) == 2:
            break
        if r.evidence is not None and (_overlaps(r.evidence, flagged) or _overlaps(r.evidence, praised)):
            continue
        crit = rubric.criterion(r.id)
        strengths.append(FeedbackLine("strength", crit.praise.format(evidence=quote(r.evidence.text) if r.evidence else "")))
        praised += [r.evidence] if r.evidence is not None else []
    figures = [m for m in score.metrics_mentioned if not _overlaps(m, flagged)]
    if figures and len(strengths) < 2:
        strengths.append(FeedbackLine("strength", f"You backed it with a figure (“{figures[0].text}”) — interviewers remember numbers."))
    flag_lines = [FeedbackLine("flag", flags[f.id].advice.format(evidence=quote(f.evidence.text)))
                  for f in score.red_flags[:2] if f.id in flags]
    missing = sorted((r for r in score.criteria if not r.met),
                     key=lambda r: (-rubric.criterion(r.id).weight, r.score))
    improve = [FeedbackLine("improve", rubric.criterion(r.id).advice) for r in missing]
    extra: list[FeedbackLine] = []
    if score.balance is not None and score.balance.verdict == "too much context":
        share = round(100 * score.balance.action_result_share)
        extra.append(FeedbackLine("improve", f"About {share}% of your story is about what you did and the result; "
                                  "aim for 60-70% by cutting the background to one sentence."))
    if score.job_terms is not None and score.job_terms.missed:
        terms = ", ".join(f"“{t}”" for t in score.job_terms.missed[:2])
        extra.append(FeedbackLine("improve", f"Link your answer to the posting: you did not mention {terms}."))
    lines = strengths[:2] + flag_lines + improve[:2] + extra
    if len(lines) < 2:
        probe = question.follow_ups[0] if question else "What would you do differently next time?"
        lines.append(FeedbackLine("info", f"Everything the {rubric.label} rubric listens for is there. "
                                  f"Be ready for a follow-up such as: “{probe}”"))
    # Strengths stay first; trim from the end so the most important advice survives.
    return tuple(lines[:MAX_LINES])


def _overlaps(span: Evidence, others: list[Evidence]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def with_cut_off_note(score: ContentScore, recorded_s: float) -> ContentScore:
    """``score`` with a first line saying the recording stopped before the answer did (a microphone
    lost): the feedback covers what was recorded, and the length is not judged. Idempotent."""
    line = FeedbackLine("info", f"The microphone stopped {recorded_s:.0f} s into this answer: the feedback covers "
                                "what was recorded, and its length is not judged.")
    if line in score.feedback:
        return score
    return replace(score, feedback=(line, *score.feedback))


def with_delivery_feedback(score: ContentScore, delivery: DeliveryMetrics) -> ContentScore:
    """``score`` with the two or three most useful delivery notes (pace, fillers, length, tone,
    hedges) after its content lines. Idempotent: a note already there is not added again, so a report
    rebuilt from a stored answer keeps one copy."""
    have = {line.text for line in score.feedback}
    notes = [FeedbackLine(kind, text) for kind, text in delivery_notes(delivery)]  # type: ignore[arg-type]
    new = [n for n in notes if n.text not in have]
    if not new or not score.assessable:
        return score
    return replace(score, feedback=(*score.feedback, *new))
