"""Small inline SVG charts for the HTML report: pace over time, filler timeline, score per criterion.

Plain strings, no plotting library and no external assets, so a report opens offline in any browser.
Every text that comes from the user's data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS

PACE_BAND = (DEFAULT_THRESHOLDS.pace_slow_below_wpm, DEFAULT_THRESHOLDS.pace_fast_above_wpm)
"""The shaded band: the same one the pace verdict uses, so chart and verdict agree."""

_FONT = 'font-family="sans-serif" font-size="11"'


def pace_chart(
    series: Sequence[tuple[float, float]], *, good_band: tuple[float, float] = PACE_BAND,
    duration_s: float = 0.0, width: int = 560, height: int = 180,
) -> str:
    """Words per minute over time (window centre, wpm), with the comfortable band shaded; the time
    axis runs to ``duration_s`` (the whole answer) when that is longer than the last window centre."""
    if not series:
        return '<p class="nochart">Too short for a pace-over-time chart.</p>'
    left, right, top, bottom = 40, 10, 10, 28
    w, h = width - left - right, height - top - bottom
    x_max = max(duration_s, max(t for t, _ in series)) or 1.0
    y_max = max(220.0, max(v for _, v in series) * 1.1)

    def x(t: float) -> float:
        return left + w * t / x_max

    def y(v: float) -> float:
        return top + h * (1 - v / y_max)

    low, high = good_band
    points = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in series)
    ticks = "".join(
        f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" {_FONT}>{v:.0f}</text>'
        for v in (0, low, high) if v <= y_max
    )
    return (
        f'<svg class="chart pace" role="img" aria-label="Pace over time" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>Pace over time (words per minute)</title>'
        f'<rect x="{left}" y="{y(high):.1f}" width="{w}" height="{y(low) - y(high):.1f}" fill="#e3f4e1"/>'
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#555"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#555"/>'
        f'{ticks}<polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="{points}"/>'
        + "".join(f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="2.5" fill="#1f5fbf"/>' for t, v in series)
        + f'<text x="{left + w / 2}" y="{height - 6}" text-anchor="middle" {_FONT}>seconds</text>'
        f'<text x="{left + w}" y="{height - 6}" text-anchor="end" {_FONT}>{x_max:.0f}</text></svg>'
    )


def filler_timeline(
    duration_s: float, fillers: Sequence[tuple[float, str]], long_pauses: Sequence[tuple[float, float]] = (),
    *, width: int = 560, height: int = 70,
) -> str:
    """Where in the answer the fillers (ticks) and long pauses (grey bars) fell."""
    left, right = 10, 10
    w = width - left - right
    span = max(duration_s, 1e-6)

    def x(t: float) -> float:
        return left + w * min(max(t, 0.0), span) / span

    bars = "".join(
        f'<rect class="pause" x="{x(a):.1f}" y="18" width="{max(x(b) - x(a), 1):.1f}" height="24" fill="#ccc">'
        f'<title>long pause {a:.1f}-{b:.1f} s</title></rect>'
        for a, b in long_pauses
    )
    ticks = "".join(
        f'<line class="filler" x1="{x(t):.1f}" y1="14" x2="{x(t):.1f}" y2="46" stroke="#d9480f" stroke-width="2">'
        f'<title>{escape(text)} at {t:.1f} s</title></line>'
        for t, text in fillers
    )
    return (
        f'<svg class="chart fillers" role="img" aria-label="Filler timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>Fillers and long pauses</title>'
        f'<line x1="{left}" y1="30" x2="{left + w}" y2="30" stroke="#555"/>{bars}{ticks}'
        f'<text x="{left}" y="{height - 6}" {_FONT}>0 s</text>'
        f'<text x="{left + w}" y="{height - 6}" text-anchor="end" {_FONT}>{duration_s:.0f} s</text></svg>'
    )


def criterion_bars(items: Sequence[tuple[str, float, bool]], *, width: int = 560) -> str:
    """One horizontal bar per rubric criterion: (label, score 0-1, met)."""
    if not items:
        return ""
    # Short names only ("Result", not "Result — the outcome, ...") so no label is clipped;
    # the checklist beside the chart carries the full wording.
    items = [(label.split(" — ")[0], score, met) for label, score, met in items]
    row = 22
    label_w = min(240, 16 + 7 * max(len(label) for label, _, _ in items))
    height = row * len(items) + 8
    bar_w = width - label_w - 50
    parts = []
    for i, (label, score, met) in enumerate(items):
        y = 4 + i * row
        colour = "#2b8a3e" if met else "#c92a2a"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" {_FONT}>{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" fill="#eee"/>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{bar_w * max(0.0, min(score, 1.0)):.1f}" '
            f'height="14" fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" {_FONT}>{score:.2f}</text>'
        )
    return (
        f'<svg class="chart criteria" role="img" aria-label="Score per criterion" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>Score per criterion</title>{"".join(parts)}</svg>'
    )


def mood_chart(trail: Sequence[int], *, width: int = 560, height: int = 160) -> str:
    """The customer's mood (0 furious - 100 calm) at the start and after each of the candidate's turns."""
    if len(trail) < 2:
        return '<p class="nochart">Too few turns for a mood chart.</p>'
    left, right, top, bottom = 40, 10, 10, 28
    w, h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + w * i / (len(trail) - 1)

    def y(v: float) -> float:
        return top + h * (1 - v / 100)

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(trail))
    ticks = "".join(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end" {_FONT}>{v}</text>'
                    for v in (0, 50, 100))
    labels = "".join(f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle" {_FONT}>'
                     f'{"start" if i == 0 else i}</text>' for i in range(len(trail)))
    return (
        f'<svg class="chart mood" role="img" aria-label="Customer mood over the turns" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>Customer mood after each turn (0 furious, 100 calm)</title>'
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#555"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#555"/>'
        f'{ticks}{labels}<polyline fill="none" stroke="#2b8a3e" stroke-width="2" points="{points}"/>'
        + "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#2b8a3e"/>' for i, v in enumerate(trail))
        + "</svg>"
    )
