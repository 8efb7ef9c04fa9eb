"""The typed result of judging an answer's content: :class:`ContentScore` and its parts.

Every judgement carries its :class:`Evidence` (the candidate's own words and where they are), so
the report can quote why a criterion was met or a flag raised. ``to_dict`` produces the JSON shape
that ``interview-sim score --json`` publishes under ``content`` and ``feedback``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from simulator.rubric.text import Span, quoted

FeedbackKind = Literal["strength", "improve", "flag", "info"]


@dataclass(frozen=True)
class Evidence:
    """A quoted span of the answer: ``text`` is ``answer[start:end]`` (stripped)."""

    text: str
    start: int
    end: int

    @classmethod
    def of(cls, clause: Span) -> Evidence:
        """A clause quoted back to the speaker, without a broken-off start ("and... uh")."""
        q = quoted(clause)
        return cls(q.text, q.start, q.end)


@dataclass(frozen=True)
class CriterionResult:
    id: str
    label: str
    met: bool
    score: float  # 0-1 strength of the evidence found
    evidence: Evidence | None


@dataclass(frozen=True)
class RedFlagHit:
    id: str
    label: str
    evidence: Evidence


@dataclass(frozen=True)
class StarBalance:
    """How the story's words split between doing/outcome and context/reflection.

    The seeds ask for roughly 60-70% of the words on what you did and the result.
    """

    action_result_share: float
    context_share: float
    reflection_share: float
    target_min: float = 0.6
    target_max: float = 0.7

    @property
    def verdict(self) -> Literal["too much context", "balanced", "action heavy"]:
        if self.action_result_share < self.target_min - 0.1:
            return "too much context"
        if self.action_result_share > self.target_max + 0.2:
            return "action heavy"
        return "balanced"


@dataclass(frozen=True)
class JobTerms:
    """Terms from the job description / company profile the answer used, and those it missed."""

    used: tuple[str, ...]
    missed: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackLine:
    kind: FeedbackKind
    text: str


@dataclass(frozen=True)
class ContentScore:
    """What the candidate said, judged against one rubric. ``score`` is 0-100."""

    rubric: str
    criteria: tuple[CriterionResult, ...]
    red_flags: tuple[RedFlagHit, ...]
    score: int
    assessable: bool
    reason: str = ""
    balance: StarBalance | None = None
    metrics_mentioned: tuple[Evidence, ...] = ()
    job_terms: JobTerms | None = None
    feedback: tuple[FeedbackLine, ...] = ()
    word_count: int = 0
    question_id: str | None = None

    def criterion(self, criterion_id: str) -> CriterionResult:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @property
    def met_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.criteria if c.met)

    @property
    def flag_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.red_flags)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report shape: ``{"content": {...}, "feedback": [{kind, text}]}``.

        ``content`` holds the issue's keys (rubric, criteria, red_flags, score, balance, job_terms)
        plus ``assessable``/``reason`` so a consumer can tell "0 points" from "could not judge", and
        ``metrics`` (numbers and service metrics the candidate cited).
        """
        balance = None
        if self.balance is not None:
            balance = {
                "action_result_share": round(self.balance.action_result_share, 2),
                "context_share": round(self.balance.context_share, 2),
                "reflection_share": round(self.balance.reflection_share, 2),
                "target": [self.balance.target_min, self.balance.target_max],
                "verdict": self.balance.verdict,
            }
        content = {
            "rubric": self.rubric,
            "criteria": [
                {
                    "id": c.id,
                    "label": c.label,
                    "met": c.met,
                    "score": round(c.score, 2),
                    "evidence": c.evidence.text if c.evidence else None,
                }
                for c in self.criteria
            ],
            "red_flags": [{"id": f.id, "evidence": f.evidence.text} for f in self.red_flags],
            "score": self.score,
            "balance": balance,
            "job_terms": (
                {"used": list(self.job_terms.used), "missed": list(self.job_terms.missed)}
                if self.job_terms is not None
                else None
            ),
            "assessable": self.assessable,
            "reason": self.reason,
            "metrics": [m.text for m in self.metrics_mentioned],
        }
        return {
            "content": content,
            "feedback": [{"kind": f.kind, "text": f.text} for f in self.feedback],
        }
