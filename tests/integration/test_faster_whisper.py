"""The default engine on the spoken fixtures: accuracy, silence, fillers, pace and pauses.

Tolerances come from measurements on these fixtures with tiny.en int8 (2026-11-23, see the README's
"Recognition accuracy" table): word error rate 0.00-0.20 per fixture, mean 0.09. The default model
is base since 2026-12-03; the same tolerances hold for it.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.fillers import HESITATIONS
from tests.wer import normalise_words, word_error_rate
from simulator.audio.files import read_audio
from tests.conftest import FIXTURES
from simulator.speech.mel_features import BlockFeatureExtractor

pytestmark = pytest.mark.integration

SPOKEN = ["star_clean", "star_fillers", "motivation_fillers_gb", "definition_fast", "deescalation_slow", "long_pause"]


def reference(fixture: dict) -> str:
    return " ".join(fixture["parts"])


@pytest.mark.parametrize("fid", SPOKEN)
def test_word_error_rate_per_fixture(fid, fixture_reports, fixture_manifest):
    wer = word_error_rate(reference(fixture_manifest[fid]), fixture_reports[fid].transcript.text)
    # Worst measured: 0.167 on star_fillers (bench/accuracy.py, 2026-12-01; 0.196 in an earlier build):
    # fillers garble the words around them. 0.25 keeps headroom over both.
    assert wer <= 0.25, f"{fid}: WER {wer:.3f}"


def test_mean_word_error_rate(fixture_reports, fixture_manifest):
    wers = [word_error_rate(reference(fixture_manifest[f]), fixture_reports[f].transcript.text) for f in SPOKEN]
    assert np.mean(wers) <= 0.12  # measured 0.091


@pytest.mark.parametrize("fid", ["silence", "noise"])
def test_silence_and_noise_give_no_words(fid, fixture_reports):
    report = fixture_reports[fid]
    assert report.transcript.text == ""
    assert report.no_speech
    assert report.delivery.verdicts.speech == "no speech detected"


def test_words_have_ordered_times_inside_the_clip(fixture_reports):
    for fid in SPOKEN:
        report = fixture_reports[fid]
        words = report.transcript.words
        assert words, fid
        assert all(0 <= w.start_s <= w.end_s <= report.delivery.duration_s + 0.05 for w in words)
        assert all(a.start_s <= b.start_s for a, b in zip(words, words[1:]))


def _hesitations_spoken(fixture: dict) -> int:
    words = [w.strip(",.").lower() for w in reference(fixture).split()]
    return sum(w in HESITATIONS for w in words)


def test_hesitation_recall_and_precision(fixture_reports, fixture_manifest):
    """Count-based: per fixture, detected hesitations are matched against the ones spoken.

    Whisper alone keeps some; recovery adds the rest. Measured: 9 of 10 spoken hesitations found,
    none invented on the four fixtures without any.
    """
    tp = fp = fn = 0
    for fid in SPOKEN:
        spoken = _hesitations_spoken(fixture_manifest[fid])
        found = sum(f.text in HESITATIONS for f in fixture_reports[fid].delivery.fillers.items)
        tp += min(spoken, found)
        fp += max(0, found - spoken)
        fn += max(0, spoken - found)
    assert tp + fn == 10
    assert tp / (tp + fn) >= 0.8, (tp, fn)
    assert fp == 0


def test_every_hesitation_on_the_british_voice_is_found(fixture_reports):
    """The British voice says four hesitations. Whisper base writes three of them itself; the one that
    opens the answer depends on the CPU (int8 arithmetic): on the machines of earlier stops it was
    dropped and the recovery found it, on an AMD EPYC at stop 39 Whisper wrote it (tiny.en wrote none:
    all four were recovered). Either way all four are counted, the first at the start."""
    items = fixture_reports["motivation_fillers_gb"].delivery.fillers.items
    assert [f.text[:2] for f in items] == ["um", "uh", "um", "uh"]
    assert items[0].start_s < 1.0


def test_discourse_fillers_found_and_content_likes_not(fixture_reports):
    items = [f.text for f in fixture_reports["star_fillers"].delivery.fillers.items]
    assert "like" in items and "you know" in items
    # "a role like this one" in the motivation answer is content, not a filler.
    gb = [f.text for f in fixture_reports["motivation_fillers_gb"].delivery.fillers.items]
    assert "like" not in gb


@pytest.mark.parametrize("fid", SPOKEN)
def test_words_per_minute_matches_the_reference(fid, fixture_reports, fixture_manifest):
    """WPM against reference words over the voiced span measured straight from the samples, less the
    long pauses (reported on their own, they are not part of the pace)."""
    samples = read_audio(FIXTURES / f"{fid}.flac").samples
    voiced = np.flatnonzero(np.abs(samples) > 0.01)
    span_s = (voiced[-1] - voiced[0]) / 16_000
    span_s -= sum(p.duration_s for p in fixture_reports[fid].delivery.long_pauses)
    ref_words = len(normalise_words(reference(fixture_manifest[fid]))) + _hesitations_spoken(fixture_manifest[fid])
    expected = ref_words / span_s * 60
    # Measured deviation at most 4%: recognition merges or splits a word here and there.
    assert fixture_reports[fid].delivery.wpm == pytest.approx(expected, rel=0.08)


def test_long_pause_found_where_the_silence_was(fixture_reports):
    d = fixture_reports["long_pause"].delivery
    assert len(d.long_pauses) == 1
    pause = d.long_pauses[0]
    # 3.0 s of silence inserted, plus espeak's own trailing/leading silence around it.
    assert 3.0 <= pause.duration_s <= 3.6
    assert 2.5 <= pause.start_s <= 3.5
    for fid in ("star_clean", "definition_fast", "deescalation_slow"):
        assert fixture_reports[fid].delivery.long_pauses == ()


def test_pace_verdicts_follow_the_voice_rate(fixture_reports):
    assert fixture_reports["definition_fast"].delivery.verdicts.pace == "fast"  # espeak -s 205
    # espeak -s 160 talks at about 185-195 wpm (star_clean: 184 over its span). The 3 s pause in
    # long_pause once diluted its pace to 144, "good"; a pause is not pace, so it reads as star_clean.
    assert fixture_reports["long_pause"].delivery.verdicts.pace == fixture_reports["star_clean"].delivery.verdicts.pace


def test_the_model_computes_its_features_in_blocks(faster_int8):
    # A long part's spectrogram is never built whole (simulator/speech/mel_features.py).
    assert isinstance(faster_int8._model.feature_extractor, BlockFeatureExtractor)
