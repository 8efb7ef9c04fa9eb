"""The closed facts of a role-play turn, heard by rule: what a turn *is*, not what it means.

A customer hears the moves of a turn (empathy, a clarifying question, options, escalation, next steps)
by meaning, through the content engine (:mod:`simulator.roleplay.hearing`). What stays a rule here is
what rules do well: the word "sorry", a question by its form, a rule or policy quoted, "I'll find out",
a guess, blaming the customer, a turn that repeats an earlier one, a long turn. A turn is short and
often typed or transcribed without punctuation, so questions are found by how clauses start ("can you
tell me", "what", "when did") as well as by a question mark. A fact just after a negation ("we can't
offer a refund") does not count, except those that hold whatever precedes them ("oh no, I'm sorry").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    "apology": re.compile(r"\b(?:sorry|apologi[sz]e|apologies|my apologies)\b"),
    "policy": re.compile(
        r"\b(?:policy|policies|rules|sla|service level agreement|terms and conditions|terms of service|not allowed|not permitted|"
        r"(?:can't|cannot|can not|won't|unable to) (?:do (?:that|anything)|offer|give|refund|accept|make an exception)|nothing (?:i|we) can do|not possible|out of my hands|"
        r"as per|according to (?:our|the)|the system (?:won't|doesn't|does not|will not) (?:let|allow))\b"
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
        r"that's on you|you were (?:told|wrong)|"
        # a question asked to put the customer down, not to find anything out
        r"what (?:part|bit) of|do you (?:really|honestly) (?:think|expect|believe)|did you even "
        r"(?:read|check|look|try)|are you even listening|how many times (?:do|have|must) i)\b"
    ),
}
_POSITIVE = ("acknowledgement", "apology", "question", "option", "escalation", "commitment", "find_out")
_STOP = frozenset(
    "a an the i i'm im you your to of and or so but is are be it that this we can will for in on at "
    "me my with what just".split()
)
_HOLD_AFTER_NEGATION = frozenset(("apology", "find_out", "blame", "policy"))
"""Facts heard even after a "no" or a "not": "oh no, i'm so sorry", "i'm not sure", "it's not possible"."""
_EXONERATION = re.compile(
    r"\b(?:not|never|isn't|isnt|wasn't|wasnt|none of (?:this|that|it) (?:is|was)|no one (?:is|was) (?:saying|blaming))"
    r"\s+(?:\w+\s+){0,2}?your (?:own )?fault\b"
)
"""Telling the customer it is *not* their fault ("it's not your fault at all"), which the blame
pattern's "your fault" would otherwise take for blame: a helper's role-play apology was heard as
blame every time, and the customer escalated (stop 43)."""


def rule_facts(text: str, norm: str) -> dict[str, str]:
    """Fact id -> the candidate's words that show it: apology, policy, find_out, bluff, blame, and a
    question by its form (``norm``: :func:`simulator.rubric.text.normalise` of ``text``)."""
    found: dict[str, str] = {}
    for name, pattern in _PATTERNS.items():
        heard = _EXONERATION.sub(lambda m: " " * len(m.group()), norm) if name == "blame" else norm
        hit = _first_unnegated(pattern, heard, allow_negated=name in _HOLD_AFTER_NEGATION)
        if hit is not None:
            found[name] = text[hit[0]:hit[1]]
    question = _question(text, norm)
    if question:
        found["question"] = question
    return found


def repeated(norm: str, earlier: Sequence[str]) -> list[str]:
    """The earlier turns this one says again most of (content words, Jaccard), in order."""
    return [e for e in earlier if e.strip() and _overlap(norm, normalise(e)) >= REPETITION_OVERLAP]


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
