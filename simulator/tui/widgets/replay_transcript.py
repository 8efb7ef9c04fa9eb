"""The transcript of a stored answer for replay: the current word highlighted, fillers and long
pauses marked, every word clickable (a click seeks to it)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from simulator.analysis.marking import MarkedTranscript
from simulator.speech.transcript import Word
from simulator.tui.widgets.transcript_view import FILLER_STYLE, PAUSE_STYLE, pause_label

CURRENT_STYLE = "bold reverse"
SPOKEN_STYLE = ""
UNSPOKEN_STYLE = "grey62"


def word_at(words: Sequence[Word], position_s: float) -> int | None:
    """Index of the word being (or last) spoken at ``position_s``; None before the first."""
    starts = [w.start_s for w in words]
    i = bisect_right(starts, position_s + 1e-6) - 1
    return i if i >= 0 else None


def replay_text(marked: MarkedTranscript, current: int | None, *,
                click_action: str = "screen.seek_word") -> Text:
    """Rich text of the answer (marked by :func:`simulator.analysis.marking.mark_words`, as the
    feedback screen and the reports are): words already spoken plain, the current one reversed, those
    to come dimmed; fillers on yellow, recovered hesitations in brackets, ``[pause 2.4 s]`` before a
    long pause's next word. ``current`` and the click actions use the transcript's word index."""
    current_start = next((t.start_s for t in marked.tokens if current is not None and t.index == current),
                         None)
    out = Text()
    for t in marked.tokens:
        for p in t.pauses_before:
            out.append(pause_label(p), style=PAUSE_STYLE)
        if t.index is None:  # a recovered hesitation: not a transcript word, so nothing to seek to
            spoken = current_start is not None and t.start_s <= current_start
            style = f"{SPOKEN_STYLE if spoken else UNSPOKEN_STYLE} {FILLER_STYLE}".strip()
            out.append(f"({t.text})", style=style)
            out.append(" ")
            continue
        i = t.index
        if current is not None and i == current:
            style = CURRENT_STYLE
        elif current is not None and i < current:
            style = SPOKEN_STYLE
        else:
            style = UNSPOKEN_STYLE
        if t.filler:
            style = f"{style} {FILLER_STYLE}".strip() if i != current else f"{FILLER_STYLE} reverse"
        out.append(t.text, style=Style.parse(style or "none") + Style(meta={"@click": f"{click_action}({i})"}))
        out.append(" ")
    for p in marked.trailing_pauses:
        out.append(pause_label(p), style=PAUSE_STYLE)
    out.rstrip()
    return out
