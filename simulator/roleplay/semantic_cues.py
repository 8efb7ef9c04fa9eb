"""Role-play turn cues by meaning: the semantic content engine applied to one candidate turn.

The cues a customer hears as meaning (acknowledgement, an option, escalation, finding out, a bluff,
blame, policy) are matched against the example sentences in ``scenarios/turn_cues.yaml`` with the
same clause scorer as the rubric criteria (:func:`simulator.rubric.semantic.clause_scores`); the
closed facts stay rules in :mod:`simulator.roleplay.cues` (questions, "sorry", a time for a
commitment, repetition, long turns, silence). Used when the content engine is "semantic".
"""

from __future__ import annotations

import re
from functools import lru_cache

from simulator.rubric import semantic
from simulator.rubric.engine import default_bank
from simulator.rubric.text import Span, clauses, normalise

# Turns are short and often join two moves ("I understand, but that is our policy"): besides the
# clauses, their pieces at commas and "but" are scored too, down to two words ("I understand").
_PIECE_BREAK = re.compile(r",|;|\bbut\b")

SEMANTIC_CUES = ("acknowledgement", "option", "escalation", "find_out", "bluff", "blame", "policy")


@lru_cache(maxsize=1)
def _cues():
    bank = default_bank()
    return bank.turn_cues, bank.turn_cue_threshold


def semantic_found(text: str) -> dict[str, str]:
    """Cue id -> the clause that showed it, for the cues this module owns."""
    cues, default = _cues()
    norm = normalise(text)
    spans = clauses(text, norm)
    if not spans:
        return {}
    spans = spans + _pieces(text, norm, spans)
    cs = semantic.embed_clauses(norm, spans)
    found: dict[str, str] = {}
    for cid in SEMANTIC_CUES:
        cue = cues.get(cid)
        if cue is None:
            continue
        scores = semantic.clause_scores(cs, cue, min_words=2)
        thr = cue.threshold if cue.threshold is not None else default
        if len(scores) and scores.max() >= thr:
            found[cid] = spans[int(scores.argmax())].text
    return found


def _pieces(text: str, norm: str, spans: list[Span]) -> list[Span]:
    out = []
    for sp in spans:
        cuts = [sp.start] + [m.start() for m in _PIECE_BREAK.finditer(norm, sp.start, sp.end)] + [sp.end]
        if len(cuts) <= 2:
            continue
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b].strip(" ,;")
            if len(piece.split()) >= 2:
                start = text.index(piece, a)
                out.append(Span(start, start + len(piece), piece))
    return out
