"""The language of delivery: hedges that soften what the candidate did, and the words they lean on.

Both are counted on the transcript's words with quoted examples, so feedback can show the candidate
their own phrasing. Hedges are a fixed list of weak phrasings ("I think maybe", "I guess", "I'd
probably try to"); repeats are the most used words and phrases once stopwords and fillers are left
out. Neither is a verdict on its own: a customer-service story says "customer" often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.analysis.fillers import HESITATIONS, normalise
from simulator.speech.transcript import Word

# Longest first, so "i'd probably try to" is one hedge, not "probably" and "try to".
HEDGES = tuple(sorted((
    "i think maybe", "i guess maybe", "maybe i could", "i'd probably try to", "i would probably try to",
    "i'd probably", "i would probably", "i'd try to", "i would try to", "i'll try to", "i will try to",
    "i guess", "i suppose", "i think", "i feel like", "i'm not sure", "i am not sure", "not really sure",
    "i hope", "hopefully", "probably", "maybe", "perhaps", "i might", "a little bit", "somewhat",
), key=lambda h: -len(h.split())))
_HEDGE_TOKENS = tuple(tuple(h.split()) for h in HEDGES)
_HEDGE_SET = frozenset(HEDGES)

STOPWORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that
that's the their theirs them themselves then there there's these they they'd they'll they're they've
this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's which while who who's whom why why's with won't would wouldn't you
you'd you'll you're you've your yours yourself yourselves also just really got get like know yeah okay
ok well one would said say go went going thing things lot actually basically
""".split())

MAX_EXAMPLES = 2
MIN_WORD_REPEATS = 3
MIN_PHRASE_REPEATS = 2
TOP = 3


@dataclass(frozen=True)
class PhraseCount:
    text: str
    count: int
    examples: tuple[str, ...]  # the phrase in its own sentence, a few words either side


@dataclass(frozen=True)
class LanguageStats:
    hedges: tuple[PhraseCount, ...]
    repeated_words: tuple[PhraseCount, ...]
    repeated_phrases: tuple[PhraseCount, ...]

    @property
    def hedge_count(self) -> int:
        return sum(h.count for h in self.hedges)

    def to_dict(self) -> dict[str, Any]:
        def rows(items: tuple[PhraseCount, ...]) -> list[dict[str, Any]]:
            return [{"text": p.text, "count": p.count, "examples": list(p.examples)} for p in items]

        return {"hedge_count": self.hedge_count, "hedges": rows(self.hedges),
                "repeated_words": rows(self.repeated_words), "repeated_phrases": rows(self.repeated_phrases)}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> LanguageStats | None:
        if not d:
            return None

        def rows(items: list[dict[str, Any]] | None) -> tuple[PhraseCount, ...]:
            return tuple(PhraseCount(x["text"], x["count"], tuple(x.get("examples") or ())) for x in items or ())

        return cls(rows(d.get("hedges")), rows(d.get("repeated_words")), rows(d.get("repeated_phrases")))


def analyse_language(words: Sequence[Word]) -> LanguageStats:
    raw = [w.text.strip() for w in words]
    toks = [normalise(t) for t in raw]
    return LanguageStats(_hedges(toks, raw), *_repeats(toks, raw))


def _example(raw: list[str], i: int, n: int, context: int = 4) -> str:
    lo, hi = max(i - context, 0), min(i + n + context, len(raw))
    text = " ".join(raw[lo:hi])
    return ("… " if lo > 0 else "") + text + (" …" if hi < len(raw) else "")


def _hedges(toks: list[str], raw: list[str]) -> tuple[PhraseCount, ...]:
    found: dict[str, list[int]] = {}
    i = 0
    while i < len(toks):
        for pattern in _HEDGE_TOKENS:
            if tuple(toks[i : i + len(pattern)]) == pattern:
                found.setdefault(" ".join(pattern), []).append(i)
                i += len(pattern)
                break
        else:
            i += 1
    return tuple(
        PhraseCount(h, len(at), tuple(_example(raw, j, len(h.split())) for j in at[:MAX_EXAMPLES]))
        for h, at in sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[1][0]))
    )


def _content(tok: str) -> bool:
    return len(tok) >= 3 and tok not in STOPWORDS and tok not in HESITATIONS and any(c.isalpha() for c in tok)


def _repeats(toks: list[str], raw: list[str]) -> tuple[tuple[PhraseCount, ...], tuple[PhraseCount, ...]]:
    where: dict[tuple[str, ...], list[int]] = {}
    for n in (1, 2, 3, 4):
        for i in range(len(toks) - n + 1):
            gram = tuple(toks[i : i + n])
            if not all(gram) or any(t in HESITATIONS for t in gram):
                continue
            if n == 1 and not _content(gram[0]):
                continue
            if n > 1 and (not _content(gram[0]) and gram[0] not in {"i", "we"} or not _content(gram[-1])):
                continue  # a phrase starts and ends on a content word ("front desk", "i listened")
            if " ".join(gram) in _HEDGE_SET:
                continue  # reported as a hedge
            if any(raw[j].endswith((".", "?", "!")) for j in range(i, i + n - 1)):
                continue  # not across sentences
            where.setdefault(gram, []).append(i)
    counts = Counter({g: len(at) for g, at in where.items()})
    words = [g for g, c in counts.items() if len(g) == 1 and c >= MIN_WORD_REPEATS]
    phrases = [g for g, c in counts.items() if len(g) > 1 and c >= MIN_PHRASE_REPEATS]
    # Keep the longest phrase of a family that repeats as often: "five star review" over "five star".
    phrases = [g for g in phrases if not any(len(h) > len(g) and counts[h] == counts[g] and _inside(g, h)
                                             for h in phrases)]

    def rows(grams: list[tuple[str, ...]]) -> tuple[PhraseCount, ...]:
        best = sorted(grams, key=lambda g: (-counts[g], -len(g), where[g][0]))[:TOP]
        return tuple(PhraseCount(" ".join(g), counts[g], tuple(_example(raw, j, len(g)) for j in where[g][:MAX_EXAMPLES]))
                     for g in best)

    return rows(words), rows(phrases)


def _inside(small: tuple[str, ...], big: tuple[str, ...]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))
