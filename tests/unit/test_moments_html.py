"""The HTML report lists an answer's moments (fillers, long pauses, tone moments) and draws them on a
strip with the pitch variety; each moment's text is escaped like the rest of the report."""

from __future__ import annotations

from dataclasses import replace

from simulator.analysis.moments import delivery_moments
from simulator.analysis.tone import ToneMetrics
from simulator.analysis.tone_moments import ToneMoment
from simulator.report.strip import moments_strip
from simulator.report.html import render_html
from simulator.store import SessionStore
from tests.unit.test_store_fakes import question, scored_answer


def test_the_report_lists_and_draws_the_moments(private_data_dir):
    report, samples = scored_answer()
    tone = ToneMetrics(status="ok", voiced_s=10.0, pitch_sd_st=1.2, variety="monotone", volume="varied",
                       moments=(ToneMoment("monotone", 2.0, 10.0, "pitch varied by only 1.2 semitones <b>"),),
                       pitch_series=((4.0, 1.1), (5.0, 1.3), (6.0, 1.2)))
    report = replace(report, delivery=replace(report.delivery, tone=tone))
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), report, samples)
        page = render_html(store.get_session(s.id), store.answers(s.id))
    moments = delivery_moments(report.delivery)
    assert {"filler", "monotone"} <= {m.kind for m in moments}
    assert "Moments to hear again" in page and '<svg class="chart moments"' in page
    assert page.count('<li class="moment ') == len(moments)
    assert "1.2 semitones &lt;b&gt;" in page and "1.2 semitones <b>" not in page
    assert '<polyline fill="none" stroke="#5f3dc4"' in page  # the pitch variety line


def test_no_moments_no_strip():
    assert str(moments_strip(10.0, [], ())) == ""


def test_a_short_answer_gets_the_same_pace_chart_in_the_report_as_in_the_app(private_data_dir):
    """Stop 44's explorer: 7 s of speech had a pace sparkline in the app and "Too short for a
    pace-over-time chart" in the HTML report. Both now draw ``chart_pace``."""
    from simulator.analysis.delivery import chart_pace

    report, samples = scored_answer()
    report = replace(report, delivery=replace(report.delivery, pace_series=()))  # under one 10 s window
    assert len(chart_pace((), report.transcript.words)) >= 3
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), report, samples)
        page = render_html(store.get_session(s.id), store.answers(s.id))
    assert "Too short for a pace-over-time chart" not in page
