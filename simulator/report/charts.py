"""Small inline SVG charts for the HTML report: pace over time, filler timeline, score per criterion,
the customer's mood over a role-play (the moments strip is in :mod:`simulator.report.strip`).

No plotting library and no external assets, so a report opens offline in any browser. Each function
works out the geometry here and draws it with a template in ``templates/*.svg.j2`` (autoescape: every
text from the user's data is escaped there); the result is markup for the HTML report's templates.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, current_thresholds
from simulator.report.templating import render

PACE_BAND = (DEFAULT_THRESHOLDS.pace_slow_below_wpm, DEFAULT_THRESHOLDS.pace_fast_above_wpm)
"""The built-in comfortable pace band."""


def pace_band() -> tuple[float, float]:
    """The shaded band: the one the pace verdict uses (from the settings), so chart and verdict agree."""
    t = current_thresholds()
    return (t.pace_slow_below_wpm, t.pace_fast_above_wpm)


def pace_chart(
    series: Sequence[tuple[float, float]], *, good_band: tuple[float, float] | None = None,
    duration_s: float = 0.0, width: int = 560, height: int = 180,
) -> Markup:
    """Words per minute over time (window centre, wpm), with the comfortable band shaded; the time
    axis runs to ``duration_s`` (the whole answer) when that is longer than the last window centre."""
    good_band = good_band or pace_band()
    if not series:
        return Markup('<p class="nochart">Too short for a pace-over-time chart.</p>')
    left, right, top, bottom = 40, 10, 10, 28
    w, h = width - left - right, height - top - bottom
    x_max = max(duration_s, max(t for t, _ in series)) or 1.0
    y_max = max(220.0, max(v for _, v in series) * 1.1)

    def x(t: float) -> float:
        return left + w * t / x_max

    def y(v: float) -> float:
        return top + h * (1 - v / y_max)

    low, high = good_band
    return render(
        "pace_chart.svg.j2", width=width, height=height, left=left, top=top, w=w, h=h, x_max=x_max,
        band_top=y(high), band_height=y(low) - y(high),
        ticks=[(v, y(v)) for v in (0, low, high) if v <= y_max],
        points=[(x(t), y(v)) for t, v in series],
    )


def filler_timeline(
    duration_s: float, fillers: Sequence[tuple[float, str]], long_pauses: Sequence[tuple[float, float]] = (),
    *, width: int = 560, height: int = 70,
) -> Markup:
    """Where in the answer the fillers (ticks) and long pauses (grey bars) fell."""
    left, right = 10, 10
    w = width - left - right
    span = max(duration_s, 1e-6)

    def x(t: float) -> float:
        return left + w * min(max(t, 0.0), span) / span

    return render(
        "filler_timeline.svg.j2", width=width, height=height, left=left, w=w, duration_s=duration_s,
        pauses=[{"x": x(a), "width": max(x(b) - x(a), 1), "start_s": a, "end_s": b} for a, b in long_pauses],
        fillers=[{"x": x(t), "start_s": t, "text": text} for t, text in fillers],
    )


def criterion_bars(items: Sequence[tuple[str, float, bool]], *, width: int = 560) -> Markup:
    """One horizontal bar per rubric criterion: (label, score 0-1, met)."""
    if not items:
        return Markup("")
    # Short names only ("Result", not "Result — the outcome, ...") so no label is clipped;
    # the checklist beside the chart carries the full wording.
    items = [(label.split(" — ")[0], score, met) for label, score, met in items]
    row = 22
    label_w = min(240, 16 + 7 * max(len(label) for label, _, _ in items))
    bar_w = width - label_w - 50
    rows = [
        {"y": 4 + i * row, "label": label, "score": score, "bar": bar_w * max(0.0, min(score, 1.0)),
         "colour": "#2b8a3e" if met else "#c92a2a"}
        for i, (label, score, met) in enumerate(items)
    ]
    return render("criterion_bars.svg.j2", width=width, height=row * len(items) + 8, label_w=label_w,
                  bar_w=bar_w, rows=rows)


def mood_chart(trail: Sequence[int], *, width: int = 560, height: int = 160) -> Markup:
    """The customer's mood (0 furious - 100 calm) at the start and after each of the candidate's turns."""
    if len(trail) < 2:
        return Markup('<p class="nochart">Too few turns for a mood chart.</p>')
    left, right, top, bottom = 40, 10, 10, 28
    w, h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + w * i / (len(trail) - 1)

    def y(v: float) -> float:
        return top + h * (1 - v / 100)

    return render(
        "mood_chart.svg.j2", width=width, height=height, left=left, top=top, w=w, h=h,
        ticks=[(v, y(v)) for v in (0, 50, 100)], points=[(x(i), y(v)) for i, v in enumerate(trail)],
    )
