"""The answer's transcript with fillers highlighted and long pauses marked."""

from __future__ import annotations

from rich.text import Text

from simulator.audio.energy import Span
from simulator.analysis.marking import mark_words
from simulator.answer.report import AnswerReport

FILLER_STYLE = "bold black on yellow"
PAUSE_STYLE = "bold magenta"


def transcript_text(report: AnswerReport) -> Text:
    """Rich text of the answer: fillers on yellow, long pauses as ``[pause 2.4 s]``, recovered
    hesitations (heard but not in the transcript) in brackets. Marked by
    :func:`simulator.analysis.marking.mark_words`, as the reports are."""
    words = report.transcript.words
    if not words:
        return Text(report.transcript.text or "(no speech detected)")
    marked = mark_words(words, report.delivery.fillers.items, report.delivery.long_pauses)
    out = Text()
    for t in marked.tokens:
        for p in t.pauses_before:
            out.append(pause_label(p), style=PAUSE_STYLE)
        if t.recovered:
            out.append(f"({t.text})", style=FILLER_STYLE)
        else:
            out.append(t.text, style=FILLER_STYLE if t.filler else "")
        out.append(" ")
    for p in marked.trailing_pauses:
        out.append(pause_label(p), style=PAUSE_STYLE)
    out.rstrip()
    return out


def pause_label(p: Span) -> str:
    """A long pause in the running text, with the space after it."""
    return f"[pause {p.duration_s:.1f} s] "
