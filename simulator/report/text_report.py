"""A readable report of one answer for the terminal."""

from __future__ import annotations

import textwrap

from simulator.analysis.delivery import DeliveryMetrics
from simulator.analysis.marking import mark_words
from simulator.errors import printable
from simulator.answer.report import AnswerReport
from simulator.rubric import render_content_text

_WIDTH = 76


def render_text(report: AnswerReport) -> str:
    d = report.delivery
    lines = [f"Answer: {printable(report.source)}" if report.source else "Answer"]
    if report.no_speech:
        lines += [
            f"  No speech detected in {d.duration_s:.1f} s of audio.",
            "  Check the microphone and speak a little closer to it.",
        ]
        return "\n".join(lines) + "\n"
    lines += ["", "Transcript", *_wrap(_marked_transcript(report)), "", "Delivery"]
    lines += _delivery_lines(d)
    if report.content is not None:
        lines += ["", render_content_text(report.content).rstrip("\n")]  # delivery notes included
    elif notes := report.delivery_notes:
        lines += ["", "Notes"]
        for kind, text in notes:
            lines += _wrap(("+ " if kind == "strength" else "→ ") + text)
    t = report.transcript
    lines += ["", f"Engine: {t.engine} {t.model} ({t.options.get('compute_type', 'float32')})"]
    return "\n".join(lines) + "\n"


def _delivery_lines(d: DeliveryMetrics) -> list[str]:
    low, high = d.target_length_s
    span = d.span_s
    f = d.fillers
    lines = [
        # The answer's length, first word to last, pauses in it: the measure the target is for.
        f"  Length   {span:5.1f} s answer     {d.verdicts.length:<11} target {low:.0f}-{high:.0f} s "
        f"(voice {d.speaking_s:.1f} s)",
        f"  Pace     {d.wpm:5.0f} wpm        {d.verdicts.pace:<11} articulation {d.articulation_wpm:.0f} wpm",
        f"  Fillers  {f.count:5d} ({f.per_minute:.1f}/min, {f.percent:.1f}% of words)  {d.verdicts.fillers}",
        f"  Pauses   {len(d.pauses):5d} over 0.25 s, {len(d.long_pauses)} long (2 s or more)",
        f"  Started speaking after {d.speech_start_s:.1f} s of a {d.duration_s:.1f} s recording",
    ]
    if f.items:
        lines.append("  Fillers at " + ", ".join(f'"{x.text}" {x.start_s:.1f}s' for x in f.items[:12]))
    if f.counts:
        lines.append("  Fillers by kind: " + ", ".join(f"{k} {n}" for k, n in f.counts.items()))
    for p in d.long_pauses:
        lines.append(f"  Long pause {p.start_s:.1f}-{p.end_s:.1f} s ({p.duration_s:.1f} s)")
    lines += _tone_lines(d)
    if d.language is not None:
        lang = d.language
        if lang.hedges:
            lines.append("  Hedges   " + ", ".join(f"“{h.text}” ×{h.count}" for h in lang.hedges[:4]))
        repeats = [*lang.repeated_words, *lang.repeated_phrases]
        if repeats:
            lines.append("  Repeats  " + ", ".join(f"“{r.text}” ×{r.count}" for r in repeats[:5]))
    return lines


def _tone_lines(d: DeliveryMetrics) -> list[str]:
    t = d.tone
    if t is None:
        return []
    if not t.ok:
        return [f"  Tone     not judged: {t.reason}"]
    lines = [
        f"  Pitch    {t.pitch_sd_st:5.1f} st SD      {t.variety:<11} median {t.pitch_median_hz:.0f} Hz, "
        f"range {t.pitch_range_st:.1f} st",
        f"  Volume   {t.loudness_db:5.0f} dBFS       {t.volume:<11} word-to-word SD {t.loudness_sd_db:.1f} dB",
    ]
    for m in t.moments[:8]:
        lines.append(f"  {m.kind.replace('_', ' ').capitalize():<12} {m.start_s:.1f}-{m.end_s:.1f} s: {m.detail}")
    return lines


def _marked_transcript(report: AnswerReport) -> str:
    """The transcript with recovered hesitations put back in place, in brackets (the marking every
    renderer uses; fillers are listed under Delivery, not marked in the running text)."""
    d = report.delivery
    marked = mark_words(report.transcript.words, d.fillers.items, d.long_pauses)
    return " ".join(f"[{t.text}]" if t.recovered else t.text for t in marked.tokens)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent="  ", subsequent_indent="  ") or ["  (empty)"]
