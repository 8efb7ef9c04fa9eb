"""Word error rate between a reference text and a transcript, for tests, benchmarks and rescoring.

Both sides are normalised the same way (case, punctuation, British/American spellings of the words
the fixtures use, hesitations removed) so that only real recognition errors count.
"""

from __future__ import annotations

import re

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
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1], len(ref)
