"""Turn cues: what one candidate turn in a role-play did, as a customer would hear it.

A role-play turn is short ("I'm so sorry, can you tell me your order number"), often typed or
transcribed without punctuation, so questions are found by how clauses start ("can you tell me",
"what", "when did") as well as by a question mark. A cue just after a negation ("we can't offer a
refund") does not count. Policy is a cue only when it comes without empathy (``bare_policy``);
``repetition`` compares the turn with the candidate's earlier turns. Regex by default (the
``roleplay_cues`` setting): with ``semantic`` the meaning-like cues come from
:mod:`simulator.roleplay.semantic_cues`; with ``rubric`` the five moves of a de-escalation come from
the content engine (:mod:`simulator.roleplay.rubric_cues`) and only the closed facts stay patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.roleplay.rubric_cues import RUBRIC_CUES, rubric_found
from simulator.roleplay.semantic_cues import semantic_found
from simulator.config import settings
from simulator.rubric.result import ContentScore
from simulator.rubric.text import normalise

LONG_TURN_WORDS = 45
REPETITION_OVERLAP = 0.6

_WORD = re.compile(r"[a-z0-9']+")
_NEGATORS = re.compile(
    r"\b(?:not|no|never|can't|cant|cannot|don't|dont|won't|wont|unable to|isn't|isnt|aren't|couldn't|"
    r"wouldn't|didn't|doesn't)\b(?:\W+\w+){0,3}\W*$"
)
_CHUNK_BREAK = re.compile(r"[.!?;,\n]+|\b(?:and|so|but|then|also|now|okay|ok|alright|right)\b")
_QUESTION_START = re.compile(
    r"^\s*(?:please\s+)?(?:what(?! (?:i|we|you) (?:can|could|will|need|should|'ll))|when|where|which|who|whose|why|how|can you|could you|would you|will you|"
    r"do you|did you|does it|does that|did it|is it|is that|is there|are you|are there|have you|has it|"
    r"has that|may i|might i|shall i|should i|tell me|walk me through|"
    r"(?:is|are|was|were|do|does|did|have|has|can|could|would|will) (?:you|your|it|that|this|there|the|they|he|she))\b"
)
_QUESTION_ANYWHERE = re.compile(
    r"\b(?:can you (?:tell|give|confirm|share|send|describe|check|read|spell)|could you (?:tell|give|confirm|"
    r"share|send|describe|check|read|spell)|when did|when was|what happened|how long|do you have|would you mind|"
    r"may i (?:ask|have|take)|what is your|what's your|which (?:one|option|day|time))\b"
)
_PATTERNS: dict[str, re.Pattern[str]] = {
    "acknowledgement": re.compile(
        r"\b(?:i (?:completely |totally |really |fully )?(?:understand|get (?:that|why|it|how)|hear you|see why|"
        r"see how|can see|can imagine|know how)|that (?:sounds|must be|must have been|is) (?:really |so |very )?"
        r"(?:frustrating|annoying|stressful|upsetting|difficult|hard|worrying|confusing|awful|unacceptable)|"
        r"you(?:'re| are) right|(?:thank you|thanks) for (?:your patience|waiting|bearing|telling|explaining|"
        r"holding|letting me know|calling)|(?:completely |totally )?understandable|fair enough|"
        r"(?:your|the) frustration|not what you (?:expected|wanted|paid for)|no rush|take your time)\b"
    ),
    "apology": re.compile(r"\b(?:sorry|apologi[sz]e|apologies|my apologies)\b"),
    "option": re.compile(
        r"\b(?:options?|alternatives?|either|would you (?:like|prefer)|i (?:can|could) (?:offer|give you|arrange|"
        r"send|refund|replace|exchange|book|move|upgrade|set up|reset|credit|add|walk you|switch|hold|"
        r"store|put|get you)|we (?:can|could) (?:offer|give you|arrange|send|refund|replace|exchange|move|"
        r"upgrade|credit|store|set up|switch)|refund|exchange|replacement|voucher|store credit|credit|discount|"
        r"upgrade|workaround|complimentary|free of charge|on the house|instead|waive|reserve|set aside|"
        r"remove (?:it|that|the (?:charge|fee))|take (?:it|that|the (?:charge|fee)) off)\b"
    ),
    "policy": re.compile(
        r"\b(?:policy|policies|rules|sla|service level agreement|terms and conditions|terms of service|not allowed|not permitted|"
        r"(?:can't|cannot|can not|won't|unable to) (?:do (?:that|anything)|offer|give|refund|accept|make an exception)|nothing (?:i|we) can do|not possible|out of my hands|"
        r"as per|according to (?:our|the)|the system (?:won't|doesn't|does not|will not) (?:let|allow))\b"
    ),
    "escalation": re.compile(
        r"\b(?:supervisor|manager|team lead|team leader|specialist|senior (?:agent|engineer|colleague)|"
        r"second line|tier (?:two|2)|engineering(?: team)?|on-?call|duty manager|escalat\w*|transfer you)\b"
    ),
    "time": re.compile(
        r"\b(?:(?:by|before) (?:tomorrow|tonight|noon|midday|monday|tuesday|wednesday|thursday|friday|"
        r"the end of (?:the )?(?:day|week|today)|end of (?:the )?day|\d{1,2}(?::\d\d)? ?(?:am|pm|o'?clock)?|"
        r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?: o'?clock| thirty| fifteen| am| pm)?|"
        r"(?:lunch ?time|this (?:morning|afternoon|evening)))|this (?:morning|afternoon|evening)|later today|"
        r"(?:within|in|in the next) (?:the next )?(?:\d+|an?|one|two|three|five|ten|fifteen|twenty|thirty|"
        r"half an|a couple of|24|48) ?(?:minutes?|mins?|hours?|hrs?|days?|business days|working days)|"
        r"(?:within|in) (?:the|an|one|half an) hour|every (?:\d+|fifteen|thirty|ten) (?:minutes|mins)|every hour|tomorrow(?: morning)?|today|tonight|"
        r"right now|straight away|right away|first thing)\b"
    ),
    "promise": re.compile(
        r"\b(?:i'll|ill|i will|we'll|we will|you'll|youll|you will|i'?m going to|i am going to|let me|"
        r"i promise|i can|i personally|i'll personally)\b"
    ),
    "find_out": re.compile(
        r"\b(?:(?:i'll|i will|let me|i can|i'm going to) (?:find out|check|look into|confirm|ask|look that up|"
        r"get (?:that|the|an) answer)|(?:i )?(?:don't|do not) (?:know|have that information)|not sure|"
        r"(?:i|we) don't have (?:that|the) (?:information|details)|check with)\b"
    ),
    "bluff": re.compile(
        r"\b(?:i'?m sure (?:it|that|they)|i'?m certain|i guess|probably|(?:should|will|would) be (?:fine|ok|okay)|definitely (?:will|be|is)|"
        r"i (?:bet|reckon)|i think it(?:'s| is| will)|i'm pretty sure|guarantee(?:d)? (?:it|that)|don't worry)\b"
    ),
    "blame": re.compile(
        r"\b(?:you should have|you shouldn't have|you should've|your (?:own )?fault|you didn't read|"
        r"you need to calm down|calm down|not my (?:problem|fault|job)|you (?:must|should) have (?:read|known)|"
        r"that's on you|you were (?:told|wrong))\b"
    ),
}
_POSITIVE = ("acknowledgement", "apology", "question", "option", "escalation", "commitment", "find_out")
_STOP = frozenset(
    "a an the i i'm im you your to of and or so but is are be it that this we can will for in on at "
    "me my with what just".split()
)


@dataclass(frozen=True)
class TurnCues:
    """The cues found in one turn and, for each, the candidate's words that showed it."""

    cues: tuple[str, ...]
    evidence: dict[str, str]
    word_count: int

    def __contains__(self, cue: object) -> bool:
        return cue in self.cues


def detect_cues(text: str, earlier: Sequence[str] = (), *, judged: ContentScore | None = None) -> TurnCues:
    """Find the turn cues in ``text``; ``earlier`` holds the candidate's previous turns.

    Args:
        text: the candidate's turn as typed or transcribed.
        earlier: previous candidate turns in this role-play, for ``repetition``.
        judged: the turn already judged by the de-escalation rubric (``rubric`` setting: used
            instead of judging it again, with the role-play's own scenario bank).
    """
    norm = normalise(text)
    n_words = len(_WORD.findall(norm))
    if n_words == 0:
        return TurnCues(("silence", "nothing_new"), {}, 0)
    found: dict[str, str] = {}
    engine = settings().roleplay_cues
    skipped = _SEMANTIC_CUES if engine == "semantic" else _BY_RUBRIC if engine == "rubric" else frozenset()
    for name, pattern in _PATTERNS.items():
        if name in skipped:
            continue
        # An apology is one even after a "no": "oh no, i'm so sorry", "no no, sorry about that".
        hit = _first_unnegated(pattern, norm, allow_negated=name in ("apology", "find_out", "blame", "policy"))
        if hit is not None:
            found[name] = text[hit[0]:hit[1]]
    if engine == "semantic":
        found.update(semantic_found(text))
    elif engine == "rubric":
        found.update(rubric_found(text, judged))
    question = _question(text, norm)
    if question:
        found["question"] = question  # a question by its form is a closed fact: the rule wins
    if "time" in found and "promise" in found:
        found["commitment"] = found["time"]
    found.pop("time", None)
    found.pop("promise", None)
    policy = found.pop("policy", None)
    if policy and "acknowledgement" not in found and "apology" not in found:
        found["bare_policy"] = policy
    if "find_out" in found:
        found.pop("bluff", None)  # "I'm not sure, I'll check" is honest, whatever else was said
    if any(_overlap(norm, normalise(e)) >= REPETITION_OVERLAP for e in earlier if e.strip()):
        found["repetition"] = text.strip()
    if n_words > LONG_TURN_WORDS:
        found["long_turn"] = f"{n_words} words"
    if not any(c in found for c in _POSITIVE) or "repetition" in found:
        found["nothing_new"] = text.strip()
    order = [c for c in _ORDER if c in found]
    return TurnCues(tuple(order), {c: found[c].strip() for c in order}, n_words)


_SEMANTIC_CUES = frozenset(("acknowledgement", "option", "escalation", "find_out", "bluff", "blame", "policy"))
"""Cues that the ``semantic`` setting takes from example sentences (:mod:`semantic_cues`)."""
_BY_RUBRIC = (RUBRIC_CUES - {"question"}) | {"time", "promise"}
"""Patterns the ``rubric`` setting leaves to the content engine (:mod:`rubric_cues`): a commitment is
its next-steps criterion, not a time beside a promise; a question is still heard by its form too."""


_ORDER = (
    "acknowledgement", "apology", "question", "option", "bare_policy", "escalation", "commitment",
    "find_out", "bluff", "blame", "repetition", "nothing_new", "long_turn", "silence", "over_time",
)


def _first_unnegated(pattern: re.Pattern[str], norm: str, *, allow_negated: bool) -> tuple[int, int] | None:
    for m in pattern.finditer(norm):
        if allow_negated or not _NEGATORS.search(norm[max(0, m.start() - 40):m.start()]):
            return m.start(), m.end()
    return None


def _question(text: str, norm: str) -> str | None:
    if "?" in text:
        end = text.index("?")
        start = max(text.rfind(".", 0, end), text.rfind("!", 0, end), -1) + 1
        return text[start:end + 1]
    anywhere = _QUESTION_ANYWHERE.search(norm)
    if anywhere:
        return text[anywhere.start():]
    pos = 0
    for m in _CHUNK_BREAK.finditer(norm + "."):
        chunk = norm[pos:m.start()]
        if _QUESTION_START.match(chunk) and len(_WORD.findall(chunk)) >= 2:
            return text[pos:m.start()]
        pos = m.end()
    return None


def _content_words(norm: str) -> set[str]:
    return {w for w in _WORD.findall(norm) if w not in _STOP}


def _overlap(a: str, b: str) -> float:
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return 1.0 if a.split() == b.split() else 0.0
    return len(wa & wb) / len(wa | wb)
