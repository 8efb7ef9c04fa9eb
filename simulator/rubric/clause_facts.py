"""The closed facts of an answer's clauses, decided by rules beside the encoder's meaning.

The sentence encoder barely hears a "not", cannot tell a keyword list from a sentence, and does not
know who did what. These do well with rules, so each clause carries them as facts
(:class:`ClauseFacts`) that the semantic detector (:mod:`simulator.rubric.semantic`) applies:

* **negation**: the clause holds a negation, and whether it is the speaker's own
  (:func:`speaker_negation`: "i will not guess", not "they never listen");
* **a real sentence**: at least one function word ("empathy refund escalation" has none);
* **who did it**: a first-person word, or a clause that goes on with the subject before it ("I
  called the centre, found the part, and arranged a loaner");
* **numbers**: a figure or a service metric;
* **hypothetical**: what the speaker *would* do, not what happened (:func:`is_hypothetical`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.rubric.metrics import METRIC_PATTERN
from simulator.rubric.tense import is_hypothetical, is_verb_form
from simulator.rubric.text import Span

_TOKEN = re.compile(r"[a-z0-9']+")
_NEGATORS = frozenset(
    "never not no nothing nobody nowhere without dont don't didnt didn't wouldnt wouldn't wont won't cant "
    "can't cannot couldnt couldn't shouldnt shouldn't isnt isn't wasnt wasn't arent aren't werent weren't "
    "doesnt doesn't havent haven't hadnt hadn't".split()
)
# Function words: a clause with none of them is a keyword list, not something anyone said.
_FUNCTION = frozenset(
    """
    i me my mine we us our you your he him his she her they them their it its this that these those
    is am are was were be been being have has had do does did will would can could should shall may
    might must to of in on at for with from by about as if so because when then and but or not no
    the a an there here what how why who which i'd i'll i'm i've we'd we'll we're we've you'd you'll
    you're it's that's there's don't didn't wasn't won't can't wouldn't couldn't isn't
    """.split()
)
# "one" and "half" are left out: "one time", "half the team" are not figures.
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million percent k grand".split()
)
_FIRST_PERSON = frozenset("i me my mine myself we us our ourselves i'd i'll i'm i've we'd we'll we're we've im ive id".split())
_SUBJECTS = _FIRST_PERSON | frozenset(
    """
    you you'd you'll you're they they'd they'll they're he he'd he's she she'd she's it it's that that's
    there there's people customers customer callers caller guests guest clients client patients manager
    managers boss supervisor management team company staff colleagues everyone everybody someone half most
    """.split()
)


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith("n't")


def negated(text: str) -> bool:
    """Whether the text holds a negation at all ("not", "never", "don't"...)."""
    return any(_is_negator(t) for t in _TOKEN.findall(text))


def speaker_negation(text: str) -> bool:
    """Whether the clause's first negation is the speaker's own: "i will not just guess", "never hang
    up on them" (no subject: the speaker's), "i'd never guess, i'd say i don't know yet"; but not
    "they never know the difference" or "customers don't listen", a complaint about someone else that
    a red flag must still hear."""
    toks = _TOKEN.findall(text)
    first = next((k for k, t in enumerate(toks) if _is_negator(t)), None)
    if first is None:
        return False
    subject = next((t for t in reversed(toks[:first]) if t in _SUBJECTS), None)
    return subject is None or subject in _FIRST_PERSON


def _facts(text: str) -> tuple[bool, bool, bool, bool, int]:
    toks = _TOKEN.findall(text)
    neg = any(_is_negator(t) for t in toks)
    sentence = any(t in _FUNCTION for t in toks)
    first = any(t in _FIRST_PERSON for t in toks)
    number = bool(METRIC_PATTERN.search(text)) or any(t[0].isdigit() or t in _NUMBER_WORDS for t in toks)
    return neg, sentence, first, number, len(toks)


_CARRY_OVER = frozenset("and then also so but or".split())
_AUXILIARIES = frozenset("is are was were be been has have had do does did will would can could should may might".split())


def _continues_the_subject(norm: str, before: Span, span: Span, text: str) -> bool:
    """Whether a clause with no subject of its own goes on with the one before it, in the same
    sentence: "I called the repair centre, found the part, and arranged a loaner laptop" is three
    things the speaker did, though only the first says "I". It starts (after "and", "then"...) with an
    inflected verb that is not an -s form (those are plural nouns here: "orders were stuck") and is not
    followed by a verb of its own ("booking was late"), and no full stop lies between."""
    if any(ch in ".!?" for ch in norm[before.end:span.start]):
        return False
    toks = _TOKEN.findall(text)
    while toks and toks[0] in _CARRY_OVER:
        toks.pop(0)
    if not toks or not is_verb_form(toks[0]) or toks[0].endswith("s"):
        return False  # "orders were stuck", "delays happen": a plural noun, the subject of its own verb
    return len(toks) < 2 or not (toks[1] in _AUXILIARIES or is_verb_form(toks[1]))  # "booking was late"


@dataclass(frozen=True)
class ClauseFacts:
    """Per clause, in order: one bool (or the word count) for each fact."""

    negated: np.ndarray  # (n,) bool
    own_negation: np.ndarray  # (n,) bool: the speaker's own negation (:func:`speaker_negation`)
    sentence: np.ndarray  # (n,) bool: has a function word
    first_person: np.ndarray  # (n,) bool: the speaker did it, or goes on doing it
    number: np.ndarray  # (n,) bool
    words: np.ndarray  # (n,) int
    hypothetical: np.ndarray  # (n,) bool: "i would call a colleague"


def clause_facts(norm: str, spans: Sequence[Span], texts: Sequence[str]) -> ClauseFacts:
    """The facts of each clause ``texts[k]`` (cut from ``norm`` at ``spans[k]``). A clause with no
    subject of its own that goes on, in the same sentence, from a first-person one or a hypothetical
    one takes that over."""
    facts = [_facts(t) for t in texts]
    for k in range(1, len(facts)):
        if not facts[k][2] and facts[k - 1][2] and _continues_the_subject(norm, spans[k - 1], spans[k], texts[k]):
            facts[k] = (*facts[k][:2], True, *facts[k][3:])
    col = lambda i, dt=bool: np.array([f[i] for f in facts], dtype=dt)  # noqa: E731
    hypothetical = np.array([is_hypothetical(t) for t in texts], dtype=bool)
    for k in range(1, len(texts)):  # "i would call a colleague to open a, second till and thank him"
        if hypothetical[k - 1] and not hypothetical[k] and not any(ch in ".!?" for ch in norm[spans[k - 1].end:spans[k].start]):
            hypothetical[k] = not facts[k][2]  # goes on without a subject of its own: still what would happen
    own = np.array([speaker_negation(t) for t in texts], dtype=bool)
    return ClauseFacts(col(0), own, col(1), col(2), col(3), col(4, int), hypothetical)
