"""The typed record of a role-play: every turn with its cues and mood, the outcome and the score.

``RolePlayResult.to_dict`` is the JSON shape ``interview-sim roleplay --json`` prints: ``outcome``,
``turns`` [{speaker, text, cues, mood, ...}], ``score`` and a per-turn ``debrief``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Speaker = Literal["customer", "candidate"]
FinalOutcome = Literal["resolved", "escalated", "abandoned", "unfinished"]
OUTCOME_POINTS = {"resolved": 20, "escalated": 12, "abandoned": 0, "unfinished": 0}


@dataclass(frozen=True)
class Turn:
    """One utterance. Candidate turns carry cues, rubric criteria met and the mood move's reason;
    customer turns carry the state the customer is in. ``mood`` is the mood after the turn."""

    speaker: Speaker
    text: str
    mood: int
    mood_level: str
    state: str
    cues: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)
    mood_delta: int = 0
    feedback: str = ""
    elapsed_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "speaker": self.speaker, "text": self.text, "cues": list(self.cues), "mood": self.mood,
            "mood_level": self.mood_level, "state": self.state,
        }
        if self.speaker == "candidate":
            out.update(criteria=list(self.criteria), evidence=dict(self.evidence),
                       mood_delta=self.mood_delta, feedback=self.feedback, elapsed_s=self.elapsed_s)
        return out


@dataclass(frozen=True)
class RolePlayScore:
    """``overall`` = half the de-escalation rubric score over all the candidate's turns, 30% of the
    final mood, plus points for the outcome (resolved 20, escalated 12)."""

    overall: int
    de_escalation: int
    final_mood: int
    outcome_points: int
    criteria_met: tuple[str, ...]
    red_flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall, "de_escalation": self.de_escalation, "final_mood": self.final_mood,
            "outcome_points": self.outcome_points, "criteria_met": list(self.criteria_met),
            "red_flags": list(self.red_flags),
        }


@dataclass(frozen=True)
class RolePlayResult:
    roleplay_id: str
    persona_id: str
    outcome: FinalOutcome
    turns: tuple[Turn, ...]
    score: RolePlayScore
    debrief: tuple[str, ...]

    @property
    def customer_lines(self) -> list[str]:
        return [t.text for t in self.turns if t.speaker == "customer"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "roleplay": self.roleplay_id,
            "persona": self.persona_id,
            "outcome": self.outcome,
            "turns": [t.to_dict() for t in self.turns],
            "score": self.score.to_dict(),
            "debrief": list(self.debrief),
        }
