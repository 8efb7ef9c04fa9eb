"""Delivery metrics on synthetic audio with hand-built transcripts, where every answer is known."""

import pytest

from simulator.analysis.delivery import analyse_delivery, length_verdict, pace_verdict
from simulator.analysis.fillers import Filler
from tests.unit.synth import tone_track, transcript_of


def spoken(text: str, start_s: float, duration_s: float, *, pause_after: dict[int, float] | None = None):
    """Tone under each word of ``text`` (0.3 s voice, 0.1 s gap), with optional extra pauses."""
    words, t = [], start_s
    for i, w in enumerate(text.split()):
        words.append((w, round(t, 3), round(t + 0.3, 3)))
        t += 0.4 + (pause_after or {}).get(i, 0.0)
    audio = tone_track([(s, e) for _, s, e in words], duration_s)
    return audio, transcript_of(words)


def test_pace_over_speaking_span():
    audio, tr = spoken(" ".join(["word"] * 50), start_s=2.0, duration_s=25.0)
    d = analyse_delivery(audio, tr)
    # 50 words, first starts at 2.0 s, last ends at 2.0 + 49*0.4 + 0.3 = 21.9 s: span 19.9 s.
    assert d.speech_start_s == pytest.approx(2.0, abs=0.02)
    assert d.speech_end_s == pytest.approx(21.9, abs=0.02)
    assert d.wpm == pytest.approx(50 / 19.9 * 60, rel=0.01)
    assert d.words == 50
    assert d.duration_s == pytest.approx(25.0)


def test_gaps_between_ordinary_words_are_not_pauses():
    audio, tr = spoken(" ".join(["word"] * 20), start_s=0.5, duration_s=10.0)
    d = analyse_delivery(audio, tr)
    assert d.pauses == ()
    assert d.articulation_wpm == pytest.approx(d.wpm, rel=0.01)


def test_pauses_and_long_pauses_come_from_the_audio():
    audio, tr = spoken(" ".join(["word"] * 20), start_s=0.5, duration_s=16.0, pause_after={4: 0.5, 9: 3.0})
    d = analyse_delivery(audio, tr)
    assert len(d.pauses) == 2
    short, long_ = d.pauses
    assert short.duration_s == pytest.approx(0.6, abs=0.03)  # 0.1 s gap + 0.5 s extra
    assert long_.duration_s == pytest.approx(3.1, abs=0.03)
    assert d.long_pauses == (long_,)
    # Word 10 starts 0.5 + 10*0.4 + 0.5 = 5.0 s; the long pause ends there.
    assert long_.end_s == pytest.approx(5.0 + 3.0, abs=0.03)
    assert d.articulation_wpm > d.wpm


def test_pause_found_even_when_whisper_stretches_a_word_over_it():
    """Whisper often stretches a word's end time across a hesitation; the audio still shows the gap."""
    words = [("I", 0.0, 0.3), ("waited", 0.4, 3.6), ("then", 3.7, 4.0), ("called", 4.1, 4.4)]
    audio = tone_track([(0.0, 0.3), (0.4, 0.9), (3.7, 4.0), (4.1, 4.4)], 5.0)
    d = analyse_delivery(audio, transcript_of(words))
    assert [round(p.duration_s, 1) for p in d.long_pauses] == [2.8]


def test_noisy_recording_still_measures_pauses():
    audio, tr = spoken(" ".join(["word"] * 10), start_s=0.5, duration_s=8.0, pause_after={4: 2.5})
    noisy = audio + tone_track([], 8.0, noise_db=-45)
    d = analyse_delivery(noisy, tr)
    assert len(d.long_pauses) == 1
    assert d.long_pauses[0].duration_s == pytest.approx(2.6, abs=0.1)


def test_fillers_counted_per_minute_and_percent():
    audio, tr = spoken("um I was like really busy you know and uh it was fine", start_s=0.0, duration_s=8.0)
    d = analyse_delivery(audio, tr)
    assert [f.text for f in d.fillers.items] == ["um", "like", "you know", "uh"]
    span_min = (d.speech_end_s - d.speech_start_s) / 60
    assert d.fillers.per_minute == pytest.approx(4 / span_min, rel=0.01)
    assert d.fillers.percent == pytest.approx(100 * 5 / 13, rel=0.01)  # "you know" is two words
    assert d.verdicts.fillers == "distracting"


def test_recovered_fillers_are_merged_in_time_order_and_add_words():
    audio, tr = spoken("I was working the desk", start_s=0.0, duration_s=3.0)
    recovered = [Filler("um", 0.35, 0.35, recovered=True)]
    d = analyse_delivery(audio, tr, recovered_fillers=recovered)
    assert [f.text for f in d.fillers.items] == ["um"]
    assert d.words == 6


def test_no_words_means_no_speech():
    d = analyse_delivery(tone_track([], 3.0), transcript_of([]))
    assert d.verdicts.speech == "no speech detected"
    assert (d.words, d.wpm, d.speech_start_s) == (0, 0.0, None)
    assert d.verdicts.pace == "n/a"


@pytest.mark.parametrize("wpm, verdict", [(90, "slow"), (109.9, "slow"), (110, "good"), (150, "good"), (166, "fast")])
def test_pace_verdict_bands(wpm, verdict):
    assert pace_verdict(wpm) == verdict


@pytest.mark.parametrize("span, verdict", [(30, "too short"), (60, "good"), (120, "good"), (121, "too long")])
def test_length_verdict_against_target(span, verdict):
    assert length_verdict(span, (60, 120)) == verdict


def test_length_uses_question_target():
    audio, tr = spoken(" ".join(["word"] * 30), start_s=0.0, duration_s=13.0)
    assert analyse_delivery(audio, tr).verdicts.length == "too short"
    assert analyse_delivery(audio, tr, target_length_s=(5, 20)).verdicts.length == "good"


def test_pace_series_windows():
    audio, tr = spoken(" ".join(["word"] * 100), start_s=0.0, duration_s=41.0)
    series = analyse_delivery(audio, tr).pace_series
    assert len(series) >= 5
    assert all(w == pytest.approx(150, abs=10) for _, w in series)  # one word per 0.4 s


def test_a_long_thinking_pause_does_not_make_the_pace_slow():
    """40 words at 150 wpm with a 9 s thinking pause in the middle: the pace is the talking's, the
    pause is a long pause of its own (before, the pace read 102 wpm, "slow", as a reviewer found)."""
    audio, tr = spoken(" ".join(["word"] * 40), start_s=0.5, duration_s=30.0, pause_after={19: 9.0})
    d = analyse_delivery(audio, tr)
    assert [round(p.duration_s) for p in d.long_pauses] == [9]
    assert d.wpm == pytest.approx(40 / (39 * 0.4 + 0.3) * 60, rel=0.02)  # 151 wpm
    assert d.verdicts.pace == "good"
    assert d.verdicts.length == length_verdict(d.speech_end_s - d.speech_start_s, d.target_length_s)  # length keeps it


def test_a_few_words_give_no_pace_verdict():
    """ "Yes." was rated "182 wpm, fast" (a hands-on review): too little speech to judge a rate on."""
    audio, tr = spoken("yes i did", start_s=0.5, duration_s=3.0)
    d = analyse_delivery(audio, tr)
    assert d.wpm > 150 and d.verdicts.pace == "n/a"
    audio, tr = spoken(" ".join(["word"] * 10), start_s=0.5, duration_s=6.0)
    assert analyse_delivery(audio, tr).verdicts.pace == "good"  # ten words: judged
