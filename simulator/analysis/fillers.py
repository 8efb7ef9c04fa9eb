"""Filler words: which of the spoken words are hesitation, not content.

Hesitation sounds (um, uh, er, hmm…) are always fillers. Words such as "like", "you know", "so" or
"kind of" are fillers only as discourse markers, so each has a context rule: "I like helping people"
and "options like an exchange" are content, "it was, like, really busy" is not. The rules read
neighbouring words, not punctuation alone, because spoken transcripts often have none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.speech.hesitations import HESITATIONS, Filler, is_hesitation, normalise
from simulator.speech.transcript import Word

__all__ = ["HESITATIONS", "Filler", "find_fillers", "is_hesitation", "normalise"]

_SUBJECTS = frozenset("i you we they he she it people customers everyone who guests callers".split())
_MODALS = frozenset(
    "would 'd d do does did don't doesn't didn't really also always just might may will 'll".split()
)
_COPULAS = frozenset("was is were are 's 'm am be been".split())
_DETERMINERS = frozenset("a an the this that these those my your our their his her some any".split())
_KIND_OWNERS = frozenset(
    "what this that a an the any some which same every each one another different other".split()
)
_CLAUSE_STARTERS = frozenset("and but so because then well okay ok yeah or".split())
_LIKE_VERB_NEIGHBOURS = frozenset(
    "feel feels felt look looks looked seem seems seemed sound sounds sounded "
    "something things stuff anything nothing more just much exactly".split()
)
_YOU_KNOW_OBJECTS = frozenset(
    "what how that the if when where who why whether this about it each a an all your their "
    "more better exactly everything nothing someone somebody everyone enough him them".split()
)
"""Words after "you know" that make it the verb with its object: "you know what I mean", "you know
more than you think", "you know exactly where it is"."""
_YOU_KNOW_QUESTIONS = frozenset("what how if whether why where when who which exactly more better".split())
"""Words after "and you know" that still make it a verb: "and you know what they need"."""


@dataclass(frozen=True)
class _Token:
    norm: str
    word: Word
    comma_after: bool
    boundary_after: bool  # sentence-ending punctuation


def _tokens(words: Sequence[Word]) -> list[_Token]:
    out = []
    for w in words:
        raw = w.text.strip()
        out.append(
            _Token(
                norm=normalise(raw),
                word=w,
                comma_after=raw.endswith((",", ";", ":", "-", "\u2014")),
                boundary_after=raw.endswith((".", "?", "!")),
            )
        )
    return out


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    """Every filler in ``words``, in order, with its start and end times."""
    toks = _tokens(words)
    fillers: list[Filler] = []
    i = 0
    while i < len(toks):
        width = _filler_width(toks, i)
        if width:
            first, last = toks[i].word, toks[i + width - 1].word
            text = " ".join(t.norm for t in toks[i : i + width])
            fillers.append(Filler(text=text, start_s=first.start_s, end_s=last.end_s))
            i += width
        else:
            i += 1
    return fillers


def _filler_width(toks: list[_Token], i: int) -> int:
    """How many tokens from ``i`` form a filler (0 if none)."""
    t = toks[i].norm
    nxt = _norm_at(toks, i + 1)
    if t in HESITATIONS:
        return 1
    if t == "like":
        return 1 if _like_is_filler(toks, i) else 0
    if t == "you" and nxt == "know":
        return 2 if _you_know_is_filler(toks, i) else 0
    if t == "i" and nxt == "mean":
        return 2 if _at_clause_start(toks, i) and _norm_at(toks, i + 2) not in {"to", "that"} else 0
    if t in {"sort", "kind"} and nxt == "of":
        return 2 if _norm_at(toks, i - 1) not in _KIND_OWNERS else 0
    if t in {"basically", "literally"}:
        return 1
    if t == "actually":
        return 1 if _at_clause_start(toks, i) or toks[i].comma_after else 0
    if t == "so":
        return 1 if _so_is_filler(toks, i) else 0
    return 0


def _norm_at(toks: list[_Token], j: int) -> str:
    return toks[j].norm if 0 <= j < len(toks) else ""


def _at_clause_start(toks: list[_Token], i: int) -> bool:
    if i == 0:
        return True
    prev = toks[i - 1]
    return prev.boundary_after or prev.comma_after or prev.norm in _CLAUSE_STARTERS or prev.norm in HESITATIONS


def _set_off(toks: list[_Token], i: int, width: int) -> bool:
    """Whether the ``width`` tokens from ``i`` stand between two commas: "I, like, presented",
    "that, you know, it was". A word set off like this is said aside, not as part of the clause."""
    return i > 0 and toks[i - 1].comma_after and toks[i + width - 1].comma_after


def _like_is_filler(toks: list[_Token], i: int) -> bool:
    prev = _norm_at(toks, i - 1)
    nxt = _norm_at(toks, i + 1)
    if _set_off(toks, i, 1):
        return True  # "I, like, presented": the commas outrank the subject before it
    if prev in _SUBJECTS or prev in _MODALS or prev in _LIKE_VERB_NEIGHBOURS:
        return False  # "I like", "would like", "feels like", "something like"
    if nxt == "to":
        return False  # "like to help"
    if toks[i].comma_after and (i == 0 or toks[i - 1].comma_after or toks[i - 1].norm in _COPULAS):
        return True  # ", like," or "was, like,"
    if nxt in HESITATIONS or (nxt == "you" and _norm_at(toks, i + 2) == "know"):
        return True
    if _is_quantity(toks, i + 1):
        return True  # "like twenty minutes", "it was like a hundred calls": a hedge on the number
    if prev in _COPULAS:
        # "it was like really busy" is a filler; "it was like a zoo" is a comparison.
        return nxt not in _DETERMINERS and nxt != ""
    if _at_clause_start(toks, i):
        return nxt not in _DETERMINERS
    return False  # "options like an exchange", "people like you": content


_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred half".split()
)
"""Words that start a number after "like": "like ninety cars", "like half an hour"."""
_COUNTED_UNITS = frozenset("hundred thousand million dozen couple".split())  # after "a": "a hundred"


def _is_quantity(toks: list[_Token], j: int) -> bool:
    """Whether a number starts at token ``j``: "twenty", "20", "a hundred", "a couple"."""
    word = _norm_at(toks, j)
    if word[:1].isdigit() or word in _NUMBER_WORDS:
        return True
    return word in {"a", "an"} and _norm_at(toks, j + 1) in _COUNTED_UNITS


def _you_know_is_filler(toks: list[_Token], i: int) -> bool:
    prev = _norm_at(toks, i - 1)
    if _set_off(toks, i, 2):
        return True  # "he told my supervisor that, you know, it was the first time"
    if prev in {"do", "did", "don't", "if", "would", "as", "because", "whether", "what", "how", "that",
                "let", "lets", "letting"}:
        return False  # "do you know", "if you know", "as you know", "i'll let you know by friday"
    after = _norm_at(toks, i + 2)
    if toks[i + 1].comma_after or toks[i + 1].boundary_after or after == "" or after in HESITATIONS:
        return True  # "..., you know." / trailing "you know"
    if prev in {"and", "but"} and after not in _YOU_KNOW_QUESTIONS:
        return True  # "and you know the kids thought it was a holiday": a story goes on after it
    return after not in _YOU_KNOW_OBJECTS and after not in _SUBJECTS


def _so_is_filler(toks: list[_Token], i: int) -> bool:
    nxt = _norm_at(toks, i + 1)
    if nxt in {"that", "much", "many", "far", "long", "good", "well", "glad", "happy", "busy", "i", "we"} and i > 0:
        return False  # "so that", "so much", "and so I called": content or a real connective
    if toks[i].comma_after or nxt in HESITATIONS or nxt in {"yeah", "basically", "like", "anyway"}:
        return True  # "So, ...", "so um", "so yeah"
    return i == 0  # "So I was working..." as the opening word of an answer
