"""The semantic content detector: criteria and red flags matched by meaning, clause by clause.

Every criterion and red flag in ``scenarios/`` carries plain-language ``examples`` (sentences that
meet it) and ``near_misses`` (sentences that sound close but do not). The answer is cut into clauses
(:func:`simulator.rubric.text.clauses`), each clause is embedded with a small local sentence encoder
(:mod:`simulator.rubric.encoder`), and a clause's score for an item is

    P - w * max(0, N - P)

where P is its best cosine similarity to the item's examples and N its best similarity to the
near misses. So a clause closer to a near miss than to any example is pushed down by w times the gap
(``near_miss_weight``, fitted). That
is blended with a small classifier head per item (a logistic regression over the clause's vector
and its neighbours', :func:`head_features`), fitted with the thresholds on labelled answers: the
development set, the retired blind sets and the training answers, never the blind set
(``simulator/rubric/data/semantic_fit.json`` and ``semantic_heads.npz``, written by
``bench/fit_semantic.py``; items they do not know use the examples alone and the default threshold).
The item is met when enough clauses (``needs``) score above its threshold.

A criterion hears each clause (and each of its examples) twice, as said and with its verbs in their
base form (:func:`simulator.rubric.tense.tenseless`), and its vector is the mean of the two: "so i
ring the surgery" and "so i rang the surgery" then sit closer than the encoder alone puts them, and a
story's criteria do not depend on its tense. Red flags hear the clause as said (a refit with the mean
for them too raised more false flags on the left-out sets).

A role-play turn is judged by the de-escalation criteria with heads and thresholds of its own
(``prefix=TURN_PREFIX``: "turn.empathy"...), fitted on turns said *to* a customer
(:mod:`simulator.roleplay.hearing`).

Rules are kept only for closed facts they do well:

* **negation** — a clause and an example of opposite polarity ("I never apologise" vs "I apologised")
  are compared with a penalty, so "I would never hang up" is not "hangs up";
* **a real sentence** — a clause with no function word at all ("empathy refund escalation") is a
  keyword list, never evidence;
* **who did it** — ``requires: [first_person]`` keeps only clauses the speaker did (I/we/my);
* **numbers** — ``requires: [number]`` keeps only clauses with a figure or a service metric.

The evidence for a met criterion or a raised flag is its best clause, quoted as before.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from simulator.rubric import fitted
from simulator.rubric.clause_facts import clause_facts, negated
from simulator.rubric.encoder import get_encoder
from simulator.rubric.models import Criterion, RedFlag, Rubric
from simulator.rubric.result import CriterionResult, Evidence, RedFlagHit, StarBalance
from simulator.rubric.story import in_order, own_clauses, star_balance
from simulator.rubric.tense import tenseless
from simulator.rubric.text import Span

OPPOSITE_POLARITY_PENALTY = 0.15
RIVAL_SLACK = 0.0
NEAR_MISS_WEIGHT = 1.0
"""How hard a clause is pushed down for being closer to a near miss (or a rival criterion's example)
than to the item's examples: score = P - weight * max(0, N - P). Fitted (``near_miss_weight``)."""
MIN_WORDS = 3
STRENGTH_BAND = 0.1
TURN_PREFIX = fitted.TURN_PREFIX
_MIX_OF = {"flag": "head_mix_flags", TURN_PREFIX: "head_mix_turns"}

@dataclass(frozen=True)
class ClauseSet:
    """An answer's clauses with their embeddings and closed facts."""

    spans: tuple[Span, ...]
    vectors: np.ndarray  # (n, d), unit rows: the clauses as said (red flags, role-play cues)
    tenseless: np.ndarray  # (n, d), unit rows: as said and in base form, averaged (criteria)
    peaks: np.ndarray  # (n, d), unit rows: each dimension's peak over its words, as said (heads with peaks)
    negated: np.ndarray  # (n,) bool
    own_negation: np.ndarray  # (n,) bool: the speaker's own negation (:func:`~simulator.rubric.clause_facts.speaker_negation`)
    sentence: np.ndarray  # (n,) bool: has a function word
    first_person: np.ndarray  # (n,) bool
    number: np.ndarray  # (n,) bool
    words: np.ndarray  # (n,) int
    hypothetical: np.ndarray | None = None  # (n,) bool: "i would call a colleague" (:mod:`~simulator.rubric.clause_facts`)


def clause_text(norm: str, span: Span) -> str:
    """The clause as the encoder sees it: lowercased, fillers gone, spaces squeezed."""
    return " ".join(norm[span.start:span.end].split())


def _both(texts: list[str]) -> list[str]:
    """The texts as said, then each with its verbs in base form (mostly the same text, embedded once)."""
    return texts + [tenseless(t) for t in texts]


def _mean_of_both(vecs: np.ndarray) -> np.ndarray:
    """Rows 0..n-1 as said, n..2n-1 in base form -> their normalised means (as said where equal)."""
    n = len(vecs) // 2
    both = vecs[:n] + vecs[n:]
    return (both / np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def embed_clauses(norm: str, spans: Sequence[Span], encoder=None) -> ClauseSet:
    texts = [clause_text(norm, s) for s in spans]
    if texts:
        both = (encoder or _RECENT).encode(_both(texts), peaks=True)
        d = both.shape[1] // 2
        vecs, mean, peaks = both[: len(texts), :d], _mean_of_both(both[:, :d]), both[: len(texts), d:]
    else:
        vecs = mean = peaks = np.zeros((0, 384), dtype=np.float32)
    f = clause_facts(norm, spans, texts)
    return ClauseSet(tuple(spans), vecs, mean, peaks, f.negated, f.own_negation, f.sentence, f.first_person,
                     f.number, f.words, f.hypothetical)


def heard_as(cs: ClauseSet, item: object) -> ClauseSet:
    """The clause set as ``item`` hears it: a criterion on the tenseless vectors, the rest as said."""
    return replace(cs, vectors=cs.tenseless) if isinstance(item, Criterion) else cs


@dataclass(frozen=True)
class _Prototypes:
    pos: np.ndarray
    pos_negated: np.ndarray
    neg: np.ndarray


_VEC_CACHE: dict[str, np.ndarray] = {}


class _RecentClauses:
    """The vectors of the last :data:`RECENT_CLAUSES` clauses embedded. While a candidate talks, the
    answer so far is embedded in the background (:func:`warm`), so when the answer ends only the
    clauses of its last phrase are new and the report does not wait for the encoder."""

    def __init__(self, size: int, known: dict[str, np.ndarray] | None = None) -> None:
        """``known``: vectors embedded before (bench scripts keep them across runs)."""
        self._size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict(known or {})
        self._lock = threading.Lock()

    def known(self) -> dict[str, np.ndarray]:
        with self._lock:
            return dict(self._vectors)

    def encode(self, texts: list[str], peaks: bool = True) -> np.ndarray:
        """(n, 768): each text's sentence vector and its peaks (:meth:`Encoder.encode`). Both are
        always kept; ``peaks`` is taken only so that this stands in for an encoder."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        fresh = dict(zip(missing, get_encoder().encode(missing, peaks=True))) if missing else {}
        with self._lock:
            for t, v in fresh.items():
                self._vectors[t] = v
            out = []
            for t in texts:
                v = fresh.get(t)
                if v is None:
                    v = self._vectors[t]
                    self._vectors.move_to_end(t)
                out.append(v)
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return np.stack(out)


RECENT_CLAUSES = 2048
_RECENT = _RecentClauses(RECENT_CLAUSES)


def warm(norm: str, spans: Sequence[Span]) -> None:
    """Embed these clauses now (on the caller's thread) so a later :func:`embed_clauses` finds them."""
    if spans:
        _RECENT.encode(_both([clause_text(norm, s) for s in spans]))


def _embed_texts(texts: Sequence[str], encoder=None) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in _VEC_CACHE]
    if missing:
        vecs = (encoder or get_encoder()).encode(missing)
        for t, v in zip(missing, vecs):
            _VEC_CACHE[t] = v
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_VEC_CACHE[t] for t in texts])


def _prepare(s: str) -> str:
    return " ".join(s.lower().replace("\u2019", "'").split())


_HEARD: dict[tuple[tuple[str, ...], bool], np.ndarray] = {}


def _heard(texts: tuple[str, ...], tenseless_too: bool, encoder=None) -> np.ndarray:
    """Example sentences' vectors, as said or (``tenseless_too``) averaged with their base form;
    kept, since every criterion's examples are compared again as each other criterion's rivals."""
    key = (texts, tenseless_too)
    if key not in _HEARD:
        _HEARD[key] = (_mean_of_both(_embed_texts(_both(list(texts)), encoder)) if tenseless_too
                       else _embed_texts(texts, encoder))
    return _HEARD[key]


def prototypes(item: Criterion | RedFlag, encoder=None) -> _Prototypes:
    """The item's examples and near misses, heard as the item hears clauses (:func:`heard_as`)."""
    pos_texts = [_prepare(e) for e in item.examples]
    neg_texts = [_prepare(e) for e in item.near_misses]
    pos = _heard(tuple(pos_texts), isinstance(item, Criterion), encoder)
    neg = _heard(tuple(neg_texts), isinstance(item, Criterion), encoder)
    pos_neg = np.array([negated(t) for t in pos_texts], dtype=bool)
    return _Prototypes(pos, pos_neg, neg)


def _positive(cs: ClauseSet, pr: _Prototypes) -> np.ndarray:
    sims = cs.vectors @ pr.pos.T  # (n, k)
    opposite = cs.negated[:, None] != pr.pos_negated[None, :]
    return (sims - OPPOSITE_POLARITY_PENALTY * opposite).max(axis=1)


def _opposite_polarity(cs: ClauseSet, pr: _Prototypes) -> np.ndarray:
    """True where the clause's nearest example has the other polarity ("I never hang up" vs
    "I'd hang up on them"): the encoder barely sees a "not", the rule does."""
    nearest = np.argmax(cs.vectors @ pr.pos.T, axis=1)
    return cs.negated != pr.pos_negated[nearest]


def head_features(vectors: np.ndarray, peaks: np.ndarray | None = None) -> np.ndarray:
    """What a head sees of each clause: its own vector, and beside it the mean of its neighbours'
    (the clauses just before and after; zeros past either end), then, given ``peaks``, the clause's
    own peaks (:meth:`Encoder.encode`). The neighbours carry the stance a short clause leaves out:
    "the main reason" reads differently after "to be honest the money". The peaks let a head weigh a
    single word's reading apart from the rest of the clause ("they were useless"), which the mean over
    the words dilutes. The shipped heads do without them (``bench/fit_semantic.py --peaks`` fits heads
    that read them; README "Content by meaning" says what they changed)."""
    n = len(vectors)
    d = vectors.shape[1] if vectors.ndim == 2 else 384
    if n == 0:
        return np.zeros((0, (2 if peaks is None else 3) * d), dtype=np.float32)
    zero = np.zeros((1, d), dtype=vectors.dtype)
    before = np.vstack([zero, vectors[:-1]])
    after = np.vstack([vectors[1:], zero])
    parts = [vectors, 0.5 * (before + after)] + ([] if peaks is None else [peaks])
    return np.hstack(parts).astype(np.float32)


def head_probs(cs: ClauseSet, key: str, heads: dict | None = None) -> np.ndarray | None:
    """Each clause's probability under the item's head; the head's width says what it was fitted on:
    the clause alone, with its neighbours, or with its neighbours and peaks."""
    heads = fitted.load_heads() if heads is None else heads
    if key not in heads or not len(cs.spans):
        return None
    w, b = heads[key]
    d = cs.vectors.shape[1]
    if len(w) == d:
        x = cs.vectors
    else:
        x = head_features(cs.vectors, cs.peaks if len(w) > 2 * d else None)
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def clause_scores(cs: ClauseSet, item: Criterion | RedFlag, encoder=None,
                  rivals: Sequence[Criterion] = (), rival_slack: float | None = None,
                  key: str | None = None, fit: dict | None = None, heads: dict | None = None,
                  min_words: int | None = None) -> np.ndarray:
    """Per clause: P - w * max(0, N - P), with the closed-fact rules applied (-1 = ruled out).

    N is the best similarity to the item's near misses and, for a rubric criterion, to the other
    criteria's examples less ``rival_slack``: a clause that is plainly the situation of a story is
    not also its result, because the situation's examples are closer."""
    n = len(cs.spans)
    if n == 0 or not item.examples:
        return np.full(n, -1.0, dtype=np.float32)
    cs = heard_as(cs, item)
    pr = prototypes(item, encoder)
    p = _positive(cs, pr)
    nm = (cs.vectors @ pr.neg.T).max(axis=1) if len(pr.neg) else np.full(n, -1.0, dtype=np.float32)
    if rivals:
        slack = RIVAL_SLACK if rival_slack is None else rival_slack
        for r in rivals:
            if r.examples:
                nm = np.maximum(nm, _positive(cs, prototypes(r, encoder)) - slack)
    fit = fitted.load_fit() if fit is None else fit
    score = p - float(fit.get("near_miss_weight", NEAR_MISS_WEIGHT)) * np.maximum(0.0, nm - p)
    if key is not None:
        mix = float(fit.get(_MIX_OF.get(key.split(".")[0], "head_mix"), fit.get("head_mix", 0.0)))
        probs = head_probs(cs, key, heads) if mix > 0 else None
        if probs is not None:
            # The head (fitted on the devset) and the examples (written by a coach) both count, so
            # editing the examples still moves the result before the head is refitted.
            opp = _opposite_polarity(cs, pr)
            score = (1 - mix) * score + mix * (probs - 0.5 - 2 * OPPOSITE_POLARITY_PENALTY * opp)
    ok = cs.sentence & (cs.words >= (MIN_WORDS if min_words is None else min_words))
    if "first_person" in item.requires:
        ok &= cs.first_person
    if "number" in item.requires:
        ok &= cs.number
    if "told" in item.requires and cs.hypothetical is not None:
        ok &= ~cs.hypothetical
    return np.where(ok, score, -1.0).astype(np.float32)


def rubric_scores(rubric: Rubric, cs: ClauseSet, encoder=None, fit: dict | None = None,
                  heads: dict | None = None, prefix: str | None = None) -> dict[str, np.ndarray]:
    """Clause scores for every criterion of ``rubric``, each against the others as rivals (``prefix``:
    whose heads, the rubric's own or :data:`TURN_PREFIX`)."""
    fit = fitted.load_fit() if fit is None else fit
    slack = float(fit.get("rival_slack", RIVAL_SLACK))
    return {c.id: clause_scores(cs, c, encoder, [o for o in rubric.criteria if o.id != c.id], slack,
                                key=f"{prefix or rubric.id}.{c.id}", fit=fit, heads=heads)
            for c in rubric.criteria}


def judge_criterion(rubric: Rubric, c: Criterion, cs: ClauseSet, scores: np.ndarray,
                    fit: dict | None = None, second: CriterionResult | None = None,
                    prefix: str | None = None) -> CriterionResult:
    """Met when ``ceil(needs / 2)`` clauses reach the threshold (one clause for needs 1 or 2, as the
    regex engine counts). Strength is graded: each clause earns 0..1 over a band of
    ``2 * STRENGTH_BAND`` around the threshold, averaged over the best ``needs`` clauses, so an
    answer just under the line loses a little, not the whole criterion.

    ``second``, another detector's verdict (the hybrid engine's cue patterns), settles the close
    calls: within ``agreement_margin`` of the threshold the criterion is met only if ``second`` met
    it too; further from the line meaning decides alone. Its evidence is quoted when meaning alone
    would not have met the criterion."""
    thr = fitted.threshold(f"{prefix or rubric.id}.{c.id}", fit)
    need = max(1, math.ceil(c.needs * 0.5))
    ranked = np.sort(scores)[::-1] if len(scores) else np.zeros(0)
    margin = float(ranked[need - 1] - thr) if len(ranked) >= need and ranked[need - 1] > -1 else -math.inf
    met = margin >= 0
    if second is not None:
        m = fitted.agreement_margin(fit)
        met = margin >= m or (second.met and margin >= -m)
    k = max(1, math.ceil(c.needs))
    graded = np.clip(0.5 + (ranked[:k] - thr) / (2 * STRENGTH_BAND), 0.0, 1.0)
    strength = float(graded.sum() / k) if len(graded) else 0.0
    strength = max(strength, 0.5) if met else min(strength, 0.49)
    evidence = None
    if met and margin < 0 and second is not None and second.evidence is not None:
        evidence = second.evidence
    elif met:
        best = int(np.argmax(scores))
        s = cs.spans[best]
        evidence = Evidence.of(s)
    return CriterionResult(c.id, c.label, met, round(strength, 3), evidence)


def judge_flag(flag: RedFlag, cs: ClauseSet, scores: np.ndarray, fit: dict | None = None,
               affirmative_only: bool = False) -> RedFlagHit | None:
    """The flag, quoting its best clause, when that clause reaches the threshold. With
    ``affirmative_only`` a best clause holding the speaker's own negation raises nothing: the encoder
    barely hears a "not" ("i would never make up an answer" is close to "i'd make something up"). A
    negation about someone else stays a complaint ("they never know the difference")."""
    thr = fitted.threshold(f"flag.{flag.id}", fit)
    if not len(scores) or scores.max() < thr:
        return None
    best = int(np.argmax(scores))
    if affirmative_only and cs.own_negation[best]:
        return None
    s = cs.spans[best]
    return RedFlagHit(flag.id, flag.label, Evidence.of(s))


def judge(rubric: Rubric, flags: Sequence[RedFlag], norm: str, spans: Sequence[Span], metric_count: int,
          *, fit: dict | None = None, encoder=None, clause_set: ClauseSet | None = None,
          second: dict[str, CriterionResult] | None = None, affirmative_flags: bool = False,
          prefix: str | None = None,
          ) -> tuple[tuple[CriterionResult, ...], tuple[RedFlagHit, ...], StarBalance | None]:
    """Criteria, red flags and STAR balance for one answer, by meaning (``second``: another
    detector's verdicts by criterion id, for the close calls, see :func:`judge_criterion`;
    ``affirmative_flags``: no flag on a negated clause, see :func:`judge_flag`; ``prefix``: the
    criteria's fitted heads and thresholds, the rubric's own or a role-play turn's)."""
    cs = clause_set or embed_clauses(norm, spans, encoder)
    scores = rubric_scores(rubric, cs, encoder, fit, prefix=prefix)
    per = in_order(rubric, own_clauses(rubric, scores, fit, prefix), fit, prefix)
    results = tuple(judge_criterion(rubric, c, cs, per[c.id], fit, None if second is None else second.get(c.id),
                                    prefix) for c in rubric.criteria)
    met = {r.id for r in results if r.met}
    concrete = len(met) >= 2 or metric_count > 0
    hits = []
    for flag in flags:
        if flag.only_if_vague and concrete:
            continue
        if any(m in met for m in flag.unless_met):
            continue
        hit = judge_flag(flag, cs, clause_scores(cs, flag, encoder, key=f"flag.{flag.id}", fit=fit), fit,
                         affirmative_flags)
        if hit is not None:
            hits.append(hit)
    balance = star_balance(rubric, cs, per, fit, prefix) if rubric.star_balance else None
    return results, tuple(hits), balance
