"""What the role-play customer hears in one candidate turn: its moves by meaning, its facts by rule.

The moves a customer listens for are the de-escalation rubric's criteria, so a turn is judged by the
same content engine that scores an interview answer, as a turn said *to* the customer
(``score_content(..., turn=True)``: heads and thresholds fitted on role-play turns, meaning alone
deciding): empathy is heard as an acknowledgement, clarify as a question, options as an option,
escalation as an escalation and next steps as a commitment. The rubric's red flags for blaming the
customer and bluffing are heard too. The closed facts stay rules (:mod:`simulator.roleplay.facts`): a
spoken apology, a question by its form, a rule quoted, "I'll find out", a guess, blame, repetition,
length and silence.

Then the facts and the moves are read together, as a customer would: a rule quoted with no empathy
is ``bare_policy``; "I'm not sure, I'll check" is honest, so it is no bluff; a move said in the very
words that blame the customer ("you should have called within 24 hours") is no move; a turn with no
positive move, or one that repeats an earlier turn, brings ``nothing_new``, and the moves a repeated
turn shares with the turn it repeats count for nothing: they were heard the first time. The same goes for a
question asked in words that blame ("did you even read the email?"): it is blame, not a question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.roleplay.facts import LONG_TURN_WORDS, repeated, rule_facts
from simulator.rubric.bank import ScenarioBank
from simulator.rubric.engine import score_content
from simulator.rubric.result import ContentScore
from simulator.rubric.text import normalise, words

RUBRIC = "de-escalation"
MOVES = {
    "empathy": "acknowledgement",
    "clarify": "question",
    "options": "option",
    "escalation": "escalation",
    "next_steps": "commitment",
}
"""The de-escalation criterion -> the cue the customer hears when a turn meets it."""
MIN_JUDGED_WORDS = 3
"""A turn of fewer words ("ok", "right") is not judged for moves: the content engine needs a clause."""
POSITIVE = ("acknowledgement", "apology", "question", "option", "escalation", "commitment", "find_out")
ORDER = (
    "acknowledgement", "apology", "question", "option", "bare_policy", "escalation", "commitment",
    "find_out", "bluff", "blame", "repetition", "nothing_new", "long_turn", "silence", "over_time",
)


@dataclass(frozen=True)
class HeardTurn:
    """The cues heard in one turn, the candidate's words that showed each, and the de-escalation
    criteria the turn met (what the role-play scripts' ``criteria`` conditions read)."""

    cues: tuple[str, ...]
    evidence: dict[str, str]
    criteria: tuple[str, ...]
    word_count: int

    def __contains__(self, cue: object) -> bool:
        return cue in self.cues


def hear_turn(text: str, earlier: Sequence[str] = (), bank: ScenarioBank | None = None,
              content: ContentScore | None = None) -> HeardTurn:
    """Hear one candidate turn; ``earlier`` holds the candidate's previous turns in this role-play.

    ``content`` is the turn's score already taken (:func:`judge_turn` on this ``text``: the turn's
    stored report), so the turn is judged once; without it the turn is judged here.
    """
    norm = normalise(text)
    n_words = len(words(norm))
    if n_words == 0:
        return HeardTurn(("silence", "nothing_new"), {}, (), 0)
    found = rule_facts(text, norm)
    if n_words < MIN_JUDGED_WORDS:
        content = None
    elif content is None:
        content = judge_turn(text, bank)
    if _blames(found, found.get("question", "")):
        del found["question"]  # "what part of no refunds don't you understand" asks nothing
    criteria: tuple[str, ...] = ()
    if content is not None:
        criteria = _moves(found, content, text)
    policy = found.pop("policy", None)
    if policy and "acknowledgement" not in found and "apology" not in found:
        found["bare_policy"] = policy
    if "find_out" in found:
        found.pop("bluff", None)  # "I'm not sure, I'll check" is honest, whatever else was said
    if said_before := repeated(norm, earlier):
        found["repetition"] = text.strip()
        # A move heard the first time calms no one said again ("you already said that"); one the turn
        # adds to what it repeats still counts.
        heard = [hear_turn(e, (), bank) for e in said_before]
        for move in POSITIVE:
            if any(move in h.cues for h in heard):
                found.pop(move, None)
        criteria = tuple(c for c in criteria if not any(c in h.criteria for h in heard))
    if n_words > LONG_TURN_WORDS:
        found["long_turn"] = f"{n_words} words"
    if not any(c in found for c in POSITIVE) or "repetition" in found:
        found["nothing_new"] = text.strip()
    order = [c for c in ORDER if c in found]
    return HeardTurn(tuple(order), {c: found[c].strip() for c in order}, criteria, n_words)


def judge_turn(text: str, bank: ScenarioBank | None = None) -> ContentScore:
    """One turn's score on the ``de-escalation`` rubric, judged as a turn said to the customer: what
    the customer hears, and what the turn's stored report, history and replay show."""
    return score_content(text, rubric=RUBRIC, bank=bank, turn=True)


def _blames(found: dict[str, str], said: str) -> bool:
    """``said`` holds the words the blame fact was heard in."""
    blame = found.get("blame", "").lower()
    return bool(blame) and blame in said.lower()


def _moves(found: dict[str, str], content: ContentScore, text: str) -> tuple[str, ...]:
    """Add the moves ``content`` met to ``found`` (a question by its form keeps its own words) and the
    red flags it raised; return the criteria met, less any said in words that blame the customer."""
    met = []
    for crit in content.criteria:
        cue = MOVES.get(crit.id)
        if not crit.met or cue is None:
            continue
        said = crit.evidence.text if crit.evidence else text
        if _blames(found, said):
            continue
        met.append(crit.id)
        found.setdefault(cue, said)
    flags = {f.id: (f.evidence.text if f.evidence else text) for f in content.red_flags}
    empathic = "acknowledgement" in found or "apology" in found
    if "blames_customer" in flags and not empathic and not {"blame", "policy"} & set(found):
        found["policy"] = flags["blames_customer"]  # heard as bare policy: no empathy came with it
    if "bluffing" in flags and "find_out" not in found:
        found.setdefault("bluff", flags["bluffing"])
    return tuple(sorted(met))
