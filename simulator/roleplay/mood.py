"""The customer's mood: 0 (furious) to 100 (calm and satisfied), moved by rules over turn cues.

Each cue has a base move (:data:`BASE_MOVES`): empathy, questions, options and commitments calm the
customer; bare policy, blame, repetition and saying nothing new make things worse. A persona's
temperament scales the positive and negative moves and may override single cues. Acknowledgement
and apology together count a little less than their sum (one "I'm sorry" does not need three
more). Every move carries a reason so the debrief can say what calmed or escalated the customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.roleplay.models import Temperament

BASE_MOVES: dict[str, int] = {
    "acknowledgement": 10,
    "apology": 8,
    "question": 6,
    "option": 14,
    "escalation": 4,
    "commitment": 10,
    "find_out": 10,
    "bare_policy": -18,
    "blame": -25,
    "bluff": -15,
    "repetition": -15,
    "nothing_new": -10,
    "long_turn": -6,
    "silence": -12,
    "over_time": -8,
}
EMPATHY_CAP = 15  # acknowledgement + apology together
WHY: dict[str, str] = {
    "acknowledgement": "you acknowledged how they feel",
    "apology": "you apologised",
    "question": "you asked a question to understand the problem",
    "option": "you offered a concrete option",
    "escalation": "you brought in someone who can help",
    "commitment": "you committed to a next step with a time",
    "find_out": "you were honest about what you don't know and said you'd find out",
    "bare_policy": "you quoted policy without acknowledging how they feel",
    "blame": "you put the problem on the customer",
    "bluff": "you guessed instead of admitting you'd need to check",
    "repetition": "you repeated yourself, so they felt unheard",
    "nothing_new": "your turn gave them nothing new",
    "long_turn": "your turn was long and hard to follow",
    "silence": "you said nothing",
    "over_time": "you took too long to answer",
}
LEVELS = ((20, "furious"), (40, "angry"), (60, "tense"), (80, "calming"), (101, "calm"))


@dataclass(frozen=True)
class MoodMove:
    """How one turn moved the mood, cue by cue."""

    before: int
    after: int
    parts: tuple[tuple[str, int], ...]

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def raw(self) -> int:
        """The unclamped move: a bad turn is still a failure when the mood is already at 0."""
        return sum(d for _, d in self.parts)

    def explain(self) -> str:
        """One sentence for the debrief: what calmed or escalated the customer and why."""
        good = [WHY[c] for c, d in self.parts if d > 0]
        bad = [WHY[c] for c, d in self.parts if d < 0]
        if self.delta > 0:
            head = f"Calmed the customer ({self.delta:+d})"
        elif self.delta < 0:
            head = f"Escalated the customer ({self.delta:+d})"
        elif self.raw < 0:  # at 0 already: the meter cannot fall, but the turn still did harm
            head = f"Made things worse ({self.raw:+d}; the customer was already as angry as can be)"
        elif self.raw > 0:
            head = "Kept the customer calm"
        else:
            head = "No change in the customer's mood"
        detail = []
        if good:
            detail.append("helped: " + _join(good))
        if bad:
            detail.append("hurt: " + _join(bad))
        return head + (": " + "; ".join(detail) if detail else "") + "."


def level(mood: int) -> str:
    """Named mood level for the meter and the transcript."""
    for upper, name in LEVELS:
        if mood < upper:
            return name
    return "calm"


def move_mood(mood: int, cues: tuple[str, ...], temperament: Temperament) -> MoodMove:
    """Apply one turn's cues to ``mood`` under ``temperament``; deterministic, clamped to 0-100."""
    parts: list[tuple[str, int]] = []
    empathy_left = EMPATHY_CAP
    other_harm = any(BASE_MOVES.get(c, 0) < 0 for c in cues if c != "nothing_new")
    for cue in cues:
        if cue == "nothing_new" and other_harm:
            continue  # already paid for by the worse cue that made the turn empty
        base = temperament.cue_weights.get(cue, BASE_MOVES.get(cue, 0))  # type: ignore[call-overload]
        if cue in ("acknowledgement", "apology") and base > 0:
            base = min(base, empathy_left)
            empathy_left -= base
        scale = temperament.calms_by if base > 0 else temperament.heats_by
        d = int(round(base * scale))
        if d:
            parts.append((cue, d))
    after = max(0, min(100, mood + sum(d for _, d in parts)))
    return MoodMove(mood, after, tuple(parts))


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
