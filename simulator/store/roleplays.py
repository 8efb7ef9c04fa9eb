"""Role-plays as stored sessions: what a role-play session keeps, and how it reads back.

A role-play is its own kind of session (mode :data:`ROLEPLAY_MODE`). Each candidate turn is an
answer whose "question" is the customer's line (id ``roleplay:<id>:<turn>``), scored per turn on
the ``de-escalation`` rubric; the session's settings hold what only the whole conversation shows
(:func:`roleplay_summary`): the outcome, the customer's mood after each turn, the overall score and
the 3C checklist across the conversation, and the debrief. :func:`roleplay_record` reads all of that
back as one :class:`RolePlayRecord` for history, replay and the exports, so none of them has to judge
a turn as if it were an interview answer. Used by the app (spoken and typed turns) and by
``roleplay --text`` alike; no Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.store.models import AnswerRecord, QuestionRef, SessionRecord

ROLEPLAY_MODE = "roleplay"
ROLEPLAY_QUESTION_PREFIX = "roleplay:"
CUT_OFF_QUESTION_PREFIX = "roleplay-cut-off:"
RUBRIC = "de-escalation"
SUMMARY_KEY = "roleplay_result"


def is_roleplay(session: SessionRecord) -> bool:
    return session.mode == ROLEPLAY_MODE


def is_roleplay_turn(question_id: str | None) -> bool:
    return bool(question_id) and str(question_id).startswith(ROLEPLAY_QUESTION_PREFIX)


def roleplay_turn_question(roleplay_id: str, number: int, customer_line: str) -> QuestionRef:
    """What a stored role-play turn replied to: the customer's line (id ``roleplay:<id>:<turn>``)."""
    return QuestionRef(f"{ROLEPLAY_QUESTION_PREFIX}{roleplay_id}:{number}", customer_line)


def roleplay_cut_off_question(roleplay_id: str, number: int, customer_line: str) -> QuestionRef:
    """What a take the microphone cut off replied to (id ``roleplay-cut-off:<id>:<turn>``): kept with
    the session, but not a turn (:func:`is_roleplay_turn` is false), since the turn was said again."""
    return QuestionRef(f"{CUT_OFF_QUESTION_PREFIX}{roleplay_id}:{number}", customer_line)


def is_roleplay_take(question_id: str | None) -> bool:
    """A role-play turn, or a take of one the microphone cut off: judged as a turn by ``rescore``."""
    return is_roleplay_turn(question_id) or str(question_id or "").startswith(CUT_OFF_QUESTION_PREFIX)


def roleplay_settings(roleplay: Any, persona: Any, end_silence_s: float | None) -> dict[str, Any]:
    """The settings a role-play session starts with."""
    return {"roleplay": roleplay.id, "title": roleplay.title, "persona": persona.id,
            "turn_limit_s": roleplay.turn_limit_s, "end_silence_s": end_silence_s}


def roleplay_summary(result: Any) -> dict[str, Any]:
    """What a finished role-play (a :class:`~simulator.roleplay.result.RolePlayResult`) adds to its
    session: outcome, mood at the start and after each turn, scores, the 3C criteria met across the
    conversation, red flags and the debrief."""
    opening = result.turns[0].mood if result.turns else None
    trail = ([opening] if opening is not None else []) + [t.mood for t in result.turns if t.speaker == "candidate"]
    s = result.score
    return {"outcome": result.outcome, "mood_trail": trail, "overall": s.overall,
            "de_escalation": s.de_escalation, "final_mood": s.final_mood, "outcome_points": s.outcome_points,
            "criteria_met": list(s.criteria_met), "red_flags": list(s.red_flags),
            "debrief": list(result.debrief)}


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    met: bool


@dataclass(frozen=True)
class RolePlayTurn:
    """One exchange: the customer's line, what the candidate said, and the mood after it."""

    number: int
    customer: str
    said: str
    mood_after: int | None
    answer: AnswerRecord


@dataclass(frozen=True)
class RolePlayRecord:
    """A stored role-play as the debrief told it."""

    roleplay_id: str
    title: str
    persona: str
    outcome: str
    overall: int | None
    de_escalation: int | None
    final_mood: int | None
    mood_trail: tuple[int, ...]
    checklist: tuple[ChecklistItem, ...]
    red_flags: tuple[str, ...]
    debrief: tuple[str, ...]
    turns: tuple[RolePlayTurn, ...] = field(default=())

    @property
    def finished(self) -> bool:
        return self.outcome != "unfinished"

    def headline(self) -> str:
        """``resolved · 66/100 · mood 35 → 82`` (what history and replay show for it)."""
        parts = [self.outcome]
        if self.overall is not None:
            parts.append(f"{self.overall}/100")
        if len(self.mood_trail) > 1:
            parts.append(f"mood {self.mood_trail[0]} → {self.mood_trail[-1]}")
        return " · ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"roleplay": self.roleplay_id, "title": self.title, "persona": self.persona,
                "outcome": self.outcome, "overall": self.overall, "de_escalation": self.de_escalation,
                "final_mood": self.final_mood, "mood_trail": list(self.mood_trail),
                "checklist": [{"id": c.id, "label": c.label, "met": c.met} for c in self.checklist],
                "red_flags": list(self.red_flags), "debrief": list(self.debrief)}


def roleplay_record(session: SessionRecord, answers: Sequence[AnswerRecord],
                    rubric_labels: Sequence[tuple[str, str]] | None = None) -> RolePlayRecord | None:
    """The role-play stored in ``session`` (None when it is not one).

    ``rubric_labels`` are the 3C rubric's ``(id, label)`` pairs (default: the bank's ``de-escalation``
    rubric). A role-play left before it finished has outcome ``unfinished``; one stored before the
    checklist was kept has it rebuilt from what its turns met.
    """
    if not is_roleplay(session):
        return None
    settings = session.settings
    summary = settings.get(SUMMARY_KEY) or {}
    turns = [a for a in answers if is_roleplay_turn(a.question.id)] or list(answers)
    trail = tuple(int(m) for m in summary.get("mood_trail") or ())
    if "criteria_met" in summary:
        met = set(summary.get("criteria_met") or ())
    else:
        met = {c.id for a in turns if a.content is not None for c in a.content.criteria if c.met}
    labels = list(rubric_labels) if rubric_labels is not None else _rubric_labels(turns)
    checklist = tuple(ChecklistItem(cid, label, cid in met) for cid, label in labels)
    return RolePlayRecord(
        roleplay_id=str(settings.get("roleplay", "")), title=str(settings.get("title", "")),
        persona=str(settings.get("persona", "")), outcome=str(summary.get("outcome") or "unfinished"),
        overall=summary.get("overall"), de_escalation=summary.get("de_escalation"),
        final_mood=summary.get("final_mood"), mood_trail=trail, checklist=checklist,
        red_flags=tuple(summary.get("red_flags") or ()), debrief=tuple(summary.get("debrief") or ()),
        turns=tuple(RolePlayTurn(i, a.question.text, a.transcript.text if a.transcript else "",
                                 trail[i] if i < len(trail) else None, a)
                    for i, a in enumerate(turns, 1)),
    )


def _rubric_labels(turns: Sequence[AnswerRecord]) -> list[tuple[str, str]]:
    # Here, not at the top: the store opens at every start of the app, the scoring engine later.
    from simulator.rubric.engine import default_bank  # noqa: PLC0415

    try:
        return [(c.id, c.label) for c in default_bank().get_rubric(RUBRIC).criteria]
    except KeyError:  # a bank without the rubric: the criteria the turns were judged on
        seen: dict[str, str] = {}
        for a in turns:
            for c in a.content.criteria if a.content is not None else ():
                seen.setdefault(c.id, c.label)
        return list(seen.items())
