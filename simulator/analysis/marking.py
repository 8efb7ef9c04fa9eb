"""One marking of a transcript for every renderer: which words are fillers, where the recovered
hesitations go and before which word a long pause falls.

The HTML and Markdown reports, the terminal text report and the app's feedback and replay screens all
draw the transcript from :func:`mark_words`, so a filler marked in one is marked in all of them.

- A transcript word is a filler when it is one of the words the filler detector
  (:func:`simulator.analysis.fillers.find_fillers`) made the filler from: the run of words that starts
  at the filler's start time and spells its text. Only when no such run exists (a report stored by an
  older version, with other spellings) does a word count by time: when it lies inside the filler's
  span. Either way within :data:`TIME_TOLERANCE_S`.
- A recovered hesitation (heard in the audio, left out by Whisper) becomes a token of its own, placed
  among the words by its start time (after a word starting at the same moment).
- A long pause is shown once, before the first token not over by the time the silence begins: one
  that starts after the pause starts and ends after it, :data:`PAUSE_TOLERANCE_S` either way (a
  word Whisper stretched back over the silence still gets the pause before it; a word that ended as
  the silence began does not). A pause inside a word stretched over it, with no token after, is
  ``trailing``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.audio.energy import Span
from simulator.analysis.fillers import Filler, normalise
from simulator.speech.transcript import Word

TIME_TOLERANCE_S = 1e-3
"""Word and filler times come from the same transcript and are stored unrounded; this only absorbs
float noise."""

PAUSE_TOLERANCE_S = 0.05
"""A pause measured from the audio may start a little before Whisper's end of the previous word."""


@dataclass(frozen=True)
class MarkedWord:
    """One token of the transcript as every renderer shows it."""

    text: str
    start_s: float
    end_s: float
    filler: bool
    recovered: bool = False
    """A hesitation Whisper left out, put back from the second look (not a transcript word)."""
    index: int | None = None
    """Position in the transcript's words; None for a recovered hesitation."""
    pauses_before: tuple[Span, ...] = ()
    """Long pauses that end the silence right before this token, in time order."""

    @property
    def pause_before_s(self) -> float | None:
        """The long silence just before this token (the sum when several were measured), else None."""
        return sum(p.duration_s for p in self.pauses_before) if self.pauses_before else None


@dataclass(frozen=True)
class MarkedTranscript:
    tokens: tuple[MarkedWord, ...]
    trailing_pauses: tuple[Span, ...] = ()
    """Long pauses after which no token starts (inside the last word, stretched over the silence)."""


def mark_words(
    words: Sequence[Word], fillers: Sequence[Filler] = (), long_pauses: Sequence[Span] = ()
) -> MarkedTranscript:
    """The transcript's words in time order with fillers flagged, recovered hesitations inserted and
    each long pause attached to the token after it. ``fillers`` and ``long_pauses`` are the delivery
    analysis' (``DeliveryMetrics.fillers.items`` and ``.long_pauses``)."""
    flagged = _filler_word_indices(words, [f for f in fillers if not f.recovered])
    tokens = [MarkedWord(w.text, w.start_s, w.end_s, i in flagged, index=i) for i, w in enumerate(words)]
    tokens += [MarkedWord(f.text, f.start_s, f.end_s, True, recovered=True) for f in fillers if f.recovered]
    tokens.sort(key=lambda t: t.start_s)  # stable: a word before a hesitation recovered at its start
    before: dict[int, list[Span]] = {}
    trailing: list[Span] = []
    starts = [t.start_s for t in tokens]
    for p in sorted(long_pauses, key=lambda p: p.start_s):
        first = bisect_right(starts, p.start_s - PAUSE_TOLERANCE_S)
        at = next((k for k in range(first, len(tokens)) if tokens[k].end_s > p.start_s + PAUSE_TOLERANCE_S),
                  None)
        if at is None:
            trailing.append(p)
        else:
            before.setdefault(at, []).append(p)
    if before:
        tokens = [
            MarkedWord(t.text, t.start_s, t.end_s, t.filler, t.recovered, t.index, tuple(before[k]))
            if k in before else t
            for k, t in enumerate(tokens)
        ]
    return MarkedTranscript(tuple(tokens), tuple(trailing))


def _filler_word_indices(words: Sequence[Word], fillers: Sequence[Filler]) -> set[int]:
    norms = [normalise(w.text) for w in words]
    by_start = sorted(range(len(words)), key=lambda i: words[i].start_s)
    starts = [words[i].start_s for i in by_start]
    flagged: set[int] = set()
    for f in fillers:
        parts = f.text.split() or [f.text]
        n = len(parts)
        lo = bisect_left(starts, f.start_s - TIME_TOLERANCE_S)
        hi = bisect_right(starts, f.start_s + TIME_TOLERANCE_S)
        run = next(
            (i for i in sorted(by_start[lo:hi])
             if norms[i:i + n] == parts and not flagged.intersection(range(i, i + n))),
            None,
        )
        if run is not None:
            flagged.update(range(run, run + n))
        else:
            flagged.update(
                i for i, w in enumerate(words)
                if f.start_s - TIME_TOLERANCE_S <= w.start_s and w.end_s <= f.end_s + TIME_TOLERANCE_S
            )
    return flagged
