"""The transcript of a stored answer for replay: the current word highlighted, fillers and long
pauses marked, every word clickable (a click seeks to it)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text

from simulator.audio.energy import Span
from simulator.analysis.fillers import Filler
from simulator.speech.transcript import Word
from simulator.tui.widgets.transcript_view import FILLER_STYLE, PAUSE_STYLE

CURRENT_STYLE = "bold reverse"
SPOKEN_STYLE = ""
UNSPOKEN_STYLE = "grey62"


def word_at(words: Sequence[Word], position_s: float) -> int | None:
    """Index of the word being (or last) spoken at ``position_s``; None before the first."""
    starts = [w.start_s for w in words]
    i = bisect_right(starts, position_s + 1e-6) - 1
    return i if i >= 0 else None


def replay_text(words: Sequence[Word], fillers: Sequence[Filler], long_pauses: Sequence[Span],
                current: int | None, *, click_action: str = "screen.seek_word") -> Text:
    """Rich text of the answer: words already spoken plain, the current one reversed, those to
    come dimmed; fillers on yellow, ``[pause 2.4 s]`` before a long pause's next word."""
    out = Text()
    prev_end = -1.0
    for i, w in enumerate(words):
        for p in long_pauses:
            if prev_end - 0.05 <= p.start_s < w.start_s + 0.05:
                out.append(f"[pause {p.duration_s:.1f} s] ", style=PAUSE_STYLE)
        is_filler = any(not f.recovered and f.start_s - 0.01 <= w.start_s < f.end_s for f in fillers)
        if current is not None and i == current:
            style = CURRENT_STYLE
        elif current is not None and i < current:
            style = SPOKEN_STYLE
        else:
            style = UNSPOKEN_STYLE
        if is_filler:
            style = f"{style} {FILLER_STYLE}".strip() if i != current else f"{FILLER_STYLE} reverse"
        out.append(w.text, style=Style.parse(style or "none") + Style(meta={"@click": f"{click_action}({i})"}))
        out.append(" ")
        prev_end = w.end_s
    out.rstrip()
    return out
