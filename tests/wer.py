"""Word error rate between a reference text and a transcript, for the tests and the benchmarks
(jiwer counts the edits).

Both sides are normalised the same way (case, punctuation, British/American spellings of the words
the fixtures use, hesitations removed) so that only real recognition errors count.
"""

from __future__ import annotations

import re

import jiwer

from simulator.analysis.fillers import HESITATIONS

_SPELLINGS = {"apologised": "apologized", "apologise": "apologize", "cancelled": "canceled"}


def normalise_words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    words = re.findall(r"[a-z0-9']+", text)
    return [_SPELLINGS.get(w, w) for w in words if w not in HESITATIONS]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words; 0.0 for two empty texts."""
    edits, n = word_edits(reference, hypothesis)
    if not n:
        return 0.0 if not edits else 1.0
    return edits / n


def word_edits(reference: str, hypothesis: str) -> tuple[int, int]:
    """(substitutions + deletions + insertions, reference words): for pooling an error rate over texts."""
    ref, hyp = normalise_words(reference), normalise_words(hypothesis)
    if not ref or not hyp:  # jiwer refuses an empty reference; every word is then one edit
        return len(ref) + len(hyp), len(ref)
    out = jiwer.process_words(" ".join(ref), " ".join(hyp))
    return out.substitutions + out.deletions + out.insertions, len(ref)
