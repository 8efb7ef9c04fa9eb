"""Hesitation sounds (um, uh, er, hmm…) and the filler record: what speech recognition and the filler
analysis both need. Which other words are fillers in context is decided in ``analysis/fillers.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass

HESITATIONS = frozenset(
    "um umm ummm uh uhh uhhh er erm err hmm hm hmmm mm mmm ah ahh eh".split()
)


@dataclass(frozen=True)
class Filler:
    """One filler occurrence: its words as spoken and when."""

    text: str
    start_s: float
    end_s: float
    recovered: bool = False  # found by the second look at voiced gaps, not in the main transcript


def normalise(text: str) -> str:
    """Lower-case and strip surrounding punctuation, keeping inner apostrophes ("don't")."""
    return re.sub(r"^[^\w']+|[^\w']+$", "", text.lower().replace("\u2019", "'"))


def is_hesitation(token: str) -> bool:
    return normalise(token) in HESITATIONS
