"""The answer's transcript with fillers highlighted and long pauses marked."""

from __future__ import annotations

from rich.text import Text

from simulator.answer.report import AnswerReport

FILLER_STYLE = "bold black on yellow"
PAUSE_STYLE = "bold magenta"


def transcript_text(report: AnswerReport) -> Text:
    """Rich text of the answer: fillers on yellow, long pauses as ``[pause 2.4 s]``, recovered
    hesitations (heard but not in the transcript) in brackets."""
    words = report.transcript.words
    if not words:
        return Text(report.transcript.text or "(no speech detected)")
    fillers = list(report.delivery.fillers.items)
    pauses = list(report.delivery.long_pauses)
    out = Text()
    prev_end = -1.0
    for w in words:
        for p in pauses:
            if prev_end - 0.05 <= p.start_s < w.start_s + 0.05:
                out.append(f"[pause {p.duration_s:.1f} s] ", style=PAUSE_STYLE)
        for f in fillers:
            if f.recovered and prev_end <= f.start_s < w.start_s:
                out.append(f"({f.text})", style=FILLER_STYLE)
                out.append(" ")
        is_filler = any(not f.recovered and f.start_s - 0.01 <= w.start_s < f.end_s for f in fillers)
        out.append(w.text, style=FILLER_STYLE if is_filler else "")
        out.append(" ")
        prev_end = w.end_s
    for f in fillers:
        if f.recovered and f.start_s >= prev_end:
            out.append(f"({f.text}) ", style=FILLER_STYLE)
    out.rstrip()
    return out
