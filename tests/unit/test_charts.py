"""The HTML report's pace chart agrees with the pace verdict and spans the whole answer."""

from __future__ import annotations

import re

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS
from simulator.report.charts import pace_chart

SERIES = [(5.0, 130.0), (10.0, 150.0), (15.0, 140.0)]


def test_pace_band_is_the_verdict_band():
    svg = pace_chart(SERIES)
    ticks = re.findall(r'text-anchor="end" [^>]*>(\d+)</text>', svg)
    low, high = DEFAULT_THRESHOLDS.pace_slow_below_wpm, DEFAULT_THRESHOLDS.pace_fast_above_wpm
    assert f"{low:.0f}" in ticks and f"{high:.0f}" in ticks
    assert "120" not in ticks and "160" not in ticks


def test_time_axis_covers_the_whole_answer():
    svg = pace_chart(SERIES, duration_s=21.0)
    assert svg.endswith(">21</text></svg>")  # the axis ends at 21 s, not at the last window (15 s)
    last_x = float(re.findall(r'<circle cx="([\d.]+)"', svg)[-1])
    assert last_x < 40 + (560 - 50) * 0.75  # the 15 s point sits about 15/21 along, not at the end
