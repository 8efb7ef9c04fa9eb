"""A readable report of one answer for the terminal."""

from __future__ import annotations

from simulator.analysis.delivery import DeliveryMetrics
from simulator.errors import printable
from simulator.pipeline import AnswerReport

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
        from simulator.rubric import render_content_text  # noqa: PLC0415

        lines += ["", render_content_text(report.content).rstrip("\n")]
    t = report.transcript
    lines += ["", f"Engine: {t.engine} {t.model} ({t.options.get('compute_type', 'float32')})"]
    return "\n".join(lines) + "\n"


def _delivery_lines(d: DeliveryMetrics) -> list[str]:
    low, high = d.target_length_s
    span = (d.speech_end_s or 0) - (d.speech_start_s or 0)
    f = d.fillers
    lines = [
        f"  Length   {span:5.1f} s speaking   {d.verdicts.length:<11} target {low:.0f}-{high:.0f} s",
        f"  Pace     {d.wpm:5.0f} wpm        {d.verdicts.pace:<11} articulation {d.articulation_wpm:.0f} wpm",
        f"  Fillers  {f.count:5d} ({f.per_minute:.1f}/min, {f.percent:.1f}% of words)  {d.verdicts.fillers}",
        f"  Pauses   {len(d.pauses):5d} over 0.25 s, {len(d.long_pauses)} long (2 s or more)",
        f"  Started speaking after {d.speech_start_s:.1f} s of a {d.duration_s:.1f} s recording",
    ]
    if f.items:
        lines.append("  Fillers at " + ", ".join(f'"{x.text}" {x.start_s:.1f}s' for x in f.items[:12]))
    for p in d.long_pauses:
        lines.append(f"  Long pause {p.start_s:.1f}-{p.end_s:.1f} s ({p.duration_s:.1f} s)")
    return lines


def _marked_transcript(report: AnswerReport) -> str:
    """The transcript with recovered hesitations put back in place, in brackets."""
    words = [(w.start_s, w.text) for w in report.transcript.words]
    words += [(f.start_s, f"[{f.text}]") for f in report.delivery.fillers.items if f.recovered]
    return " ".join(text for _, text in sorted(words, key=lambda x: x[0]))


def _wrap(text: str) -> list[str]:
    import textwrap  # noqa: PLC0415

    return textwrap.wrap(text, _WIDTH, initial_indent="  ", subsequent_indent="  ") or ["  (empty)"]
