"""The "Moments to hear again" strip of the HTML report: one time axis with the answer's moments
(tone moments and long pauses as bands, fillers as ticks), the pitch variety over them, and under it
the loudness over time. With the loudness lane, monotone and uptalk bands mark the pitch lane, quiet and
trailing-off bands the loudness lane, and long pauses both.

Geometry is worked out here and drawn by ``templates/moments_strip.svg.j2`` (autoescape), like the
charts of :mod:`simulator.report.charts`. Reports stored before the loudness series existed have none,
and their strip is drawn as before, pitch lane only.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS
from simulator.report.templating import render

MOMENT_COLOURS = {"monotone": "#7048e8", "trailing_off": "#1971c2", "uptalk": "#0c8599", "quiet": "#868e96",
                  "long_pause": "#ced4da", "filler": "#d9480f"}

_LEFT, _RIGHT, _BOTTOM = 40, 10, 24
_TOP, _PITCH_H = 8, 78  # the pitch lane alone, as before loudness was kept (a strip 110 px high)
_TITLE = 16  # with the loudness lane, each lane has its title in this much room above it
_LANE_PITCH_H, _LANE_LOUD_H = 60, 48
_PITCH_KINDS = frozenset({"monotone", "uptalk"})
_LOUDNESS_KINDS = frozenset({"quiet", "trailing_off"})
_DB_RANGE = (-20.0, 6.0)  # the loudness lane's span, dB from the usual level (values beyond are clamped)


def moments_strip(duration_s: float, moments: Sequence, pitch_series: Sequence[tuple[float, float]] = (),
                  loudness_series: Sequence[tuple[float, float]] = (), *, width: int = 560) -> Markup:
    """The answer's moments on one time axis with the pitch variety (SD in semitones per 8 s window,
    with the monotone line) and, when there is one, a lane of loudness (dB from the answer's usual
    level, with the line 10 dB under it where a phrase counts as quiet)."""
    if not moments and not pitch_series and not loudness_series:
        return Markup("")
    w = width - _LEFT - _RIGHT
    if loudness_series:
        top, ph = _TITLE, _LANE_PITCH_H
        loud_top = top + ph + _TITLE
        plot_bottom = loud_top + _LANE_LOUD_H
    else:
        top, ph = _TOP, _PITCH_H
        loud_top = plot_bottom = top + ph
    span = max(duration_s, max((t for t, _ in pitch_series), default=0.0),
               max((t for t, _ in loudness_series), default=0.0), 1e-6)
    y_max = max(6.0, max((v for _, v in pitch_series), default=0.0) * 1.1)
    monotone = DEFAULT_THRESHOLDS.monotone_below_st
    quiet = -DEFAULT_THRESHOLDS.quiet_phrase_drop_db

    def x(t: float) -> float:
        return _LEFT + w * min(max(t, 0.0), span) / span

    def y(v: float) -> float:
        return top + ph * (1 - min(v, y_max) / y_max)

    def y_db(v: float) -> float:
        lo, hi = _DB_RANGE
        return loud_top + _LANE_LOUD_H * (hi - min(max(v, lo), hi)) / (hi - lo)

    def lane(kind: str) -> tuple[float, float]:
        """(top, bottom) of a moment's band: with a loudness lane, each moment marks the lane of
        the measure it is about (pauses, and kinds it does not know, cross both)."""
        if not loudness_series or kind not in _PITCH_KINDS | _LOUDNESS_KINDS:
            return top, plot_bottom
        return (top, top + ph) if kind in _PITCH_KINDS else (loud_top, plot_bottom)

    bands = [{"x": x(m.start_s), "width": max(x(m.end_s) - x(m.start_s), 2.0),
              "colour": MOMENT_COLOURS.get(m.kind, "#999"), "y": a, "height": b - a,
              "title": f"{m.label} {m.start_s:.1f}-{m.end_s:.1f} s: {m.detail}"}
             for m in moments if m.kind != "filler" for a, b in [lane(m.kind)]]
    ticks = [{"x": x(m.start_s), "title": f"{m.label} {m.detail} at {m.start_s:.1f} s"}
             for m in moments if m.kind == "filler"]
    runs = [[(x(t), y_db(v)) for t, v in run] for run in _runs(loudness_series)]
    return render("moments_strip.svg.j2", width=width, height=plot_bottom + _BOTTOM, left=_LEFT, top=top, w=w,
                  h=ph, plot_bottom=plot_bottom, duration_s=span, bands=bands, ticks=ticks,
                  points=[(x(t), y(v)) for t, v in pitch_series], monotone_y=y(monotone), monotone=monotone,
                  loud_top=loud_top, loud_bottom=plot_bottom, zero_y=y_db(0.0), quiet_y=y_db(quiet),
                  quiet=quiet,
                  loudness_line=_line(runs), loudness_area=_area(runs, plot_bottom))


def _runs(series: Sequence[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The series cut at its gaps (a missing step is a pause), each run widened by half a step at
    both ends so a lone step still shows as a short plateau."""
    if not series:
        return []
    diffs = [b[0] - a[0] for a, b in zip(series, series[1:]) if b[0] > a[0]]
    step = min(diffs, default=0.5)
    runs: list[list[tuple[float, float]]] = [[series[0]]]
    for p in series[1:]:
        if p[0] - runs[-1][-1][0] > step * 1.5:
            runs.append([p])
        else:
            runs[-1].append(p)
    half = step / 2
    return [[(r[0][0] - half, r[0][1]), *r, (r[-1][0] + half, r[-1][1])] for r in runs]


def _line(runs: list[list[tuple[float, float]]]) -> str:
    return " ".join("M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in r) for r in runs)


def _area(runs: list[list[tuple[float, float]]], bottom: float) -> str:
    return " ".join(f"M{r[0][0]:.1f},{bottom:.1f} L" + " L".join(f"{px:.1f},{py:.1f}" for px, py in r)
                    + f" L{r[-1][0]:.1f},{bottom:.1f} Z" for r in runs)
