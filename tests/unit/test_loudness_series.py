"""The loudness series an answer's tone keeps for the report's strip: what it shows, its bounded size,
its stored form (old reports without it still load and render), and the strip's loudness lane."""

from __future__ import annotations

import json
import numpy as np
import pytest

from simulator.analysis.loudness import HOP_S, SERIES_MAX_POINTS, level_series
from simulator.analysis.tone import NOT_ENOUGH, ToneMetrics, analyse_tone
from simulator.audio.clip import SAMPLE_RATE
from simulator.report.html import render_html
from simulator.report.strip import moments_strip
from simulator.store import SessionStore
from simulator.store.models import delivery_from_json, delivery_to_json
from tests.unit.test_store_fakes import question, scored_answer
from tests.unit.test_tone import speech, swing, syllables, voice, words_every


def test_a_second_half_12_db_quieter_shows_in_the_series():
    audio, words = speech(20, swing(3.0), lambda t: np.where(t < 10, 0.0, -12.0))
    m = analyse_tone(audio, words)
    assert m.ok
    first = [v for t, v in m.loudness_series if t < 9.5]
    second = [v for t, v in m.loudness_series if t > 10.5]
    assert len(first) >= 15 and len(second) >= 15
    assert np.mean(first) - np.mean(second) == pytest.approx(12.0, abs=1.5)
    assert min(first) > max(second)
    # Relative to the answer's usual level: the median step is 0 dB.
    assert np.median([v for _, v in m.loudness_series]) == pytest.approx(0.0, abs=0.05)
    steps = np.diff([t for t, _ in m.loudness_series])
    assert steps.min() == pytest.approx(0.5)


def test_a_steady_voice_stays_near_its_usual_level():
    m = analyse_tone(*speech(15, swing(3.0)))
    assert m.loudness_series and all(abs(v) < 2.0 for _, v in m.loudness_series)


def test_pauses_are_gaps_in_the_series():
    words = [w for w in words_every(0.5, 14.5) if not 6.0 <= w.start_s <= 9.0]  # 3 s without words
    m = analyse_tone(syllables(voice(15, swing(3.0)), words), words)
    times = [t for t, _ in m.loudness_series]
    assert times and not [t for t in times if 6.5 < t < 9.0]
    assert max(np.diff(times)) >= 2.5


def test_silence_and_no_voice_give_an_empty_series():
    silent = analyse_tone(np.zeros(5 * SAMPLE_RATE, np.float32), words_every(0.5, 4.5))
    assert silent.status == NOT_ENOUGH and silent.loudness_series == ()
    assert level_series(np.zeros(0), np.zeros(0, bool)) == ()
    assert level_series(np.full(500, -20.0), np.zeros(500, bool)) == ()


@pytest.mark.parametrize("minutes", [0.5, 3, 14, 60])
def test_the_series_is_capped_however_long_the_answer(minutes):
    n = int(minutes * 60 / HOP_S)
    rng = np.random.default_rng(0)
    series = level_series(-25 + 3 * rng.standard_normal(n), np.ones(n, bool))
    assert 0 < len(series) <= SERIES_MAX_POINTS
    steps = np.diff([t for t, _ in series])
    assert steps.min() / 0.5 == pytest.approx(round(steps.min() / 0.5))  # a multiple of 0.5 s
    assert series[-1][0] <= minutes * 60
    assert len(json.dumps([list(p) for p in series])) < 4000  # a 14-minute answer stays a few KB


def test_the_series_round_trips_and_old_tone_without_it_loads():
    m = analyse_tone(*speech(15, swing(3.0)))
    d = json.loads(json.dumps(m.to_dict()))
    assert d["loudness_series"] and ToneMetrics.from_dict(d) == m
    assert "-0.0" not in json.dumps(d["loudness_series"])  # the usual level is 0, not minus zero
    del d["loudness_series"]
    assert ToneMetrics.from_dict(d).loudness_series == ()


def test_the_store_keeps_the_series_and_an_old_report_still_renders(private_data_dir):
    report, samples = scored_answer()
    assert report.delivery.tone.loudness_series
    assert "-0.0" not in json.dumps(delivery_to_json(report.delivery)["tone"]["loudness_series"])
    with SessionStore.open() as store:
        s = store.start_session(role="retail")
        store.add_answer(s.id, question(), report, samples)
        back = store.answers(s.id)[0]
        assert back.delivery.tone.loudness_series == report.delivery.tone.loudness_series
        page = render_html(store.get_session(s.id), store.answers(s.id))
        assert '<path class="loudness"' in page and "Moments, pitch variety and loudness" in page
        # The same answer as a report stored before the series existed.
        old = delivery_to_json(report.delivery)
        del old["tone"]["loudness_series"]
        store._conn.execute("UPDATE answers SET delivery = ? WHERE id = ?", (json.dumps(old), back.id))
        old_answer = store.answers(s.id)[0]
        assert old_answer.delivery.tone.loudness_series == ()
        old_page = render_html(store.get_session(s.id), [old_answer])
    assert '<svg class="chart moments"' in old_page and 'class="loudness' not in old_page
    assert delivery_from_json(old).tone.pitch_series == report.delivery.tone.pitch_series


def test_the_strip_draws_loudness_in_its_own_lane_broken_at_pauses():
    series = [(0.75, 0.0), (1.25, 1.0), (1.75, -12.0), (5.25, 0.5), (5.75, -1.0)]
    svg = str(moments_strip(8.0, [], [(4.0, 2.5)], series))
    assert svg.count('<path class="loudness"') == 1 and svg.count('class="loudness-area"') == 1
    line = svg.split('<path class="loudness" d="')[1].split('"')[0]
    assert line.count("M") == 2  # two runs: the 3.5 s gap is a pause
    assert ">0 dB<" in svg and ">−10<" in svg and ">loudness, dB from the answer" in svg
    pitch_only = str(moments_strip(8.0, [], [(4.0, 2.5)]))
    assert 'class="loudness' not in pitch_only and 'height="110"' in pitch_only
    assert 'height="110"' not in svg


def test_loudness_alone_still_draws_a_strip():
    tone = ToneMetrics(status="ok", loudness_series=((0.75, 0.0), (1.25, -3.0)))
    assert '<path class="loudness"' in str(moments_strip(2.0, [], (), tone.loudness_series))
