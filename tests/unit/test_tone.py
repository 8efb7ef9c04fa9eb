"""Tone of voice on synthetic voices whose pitch and loudness are known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS
from simulator.analysis.pitch import PhraseToneTracker, merge_tracks, track_phrase
from simulator.analysis.tone import NOT_ENOUGH, ToneMetrics, analyse_tone, summarise_tone
from simulator.analysis.tone_moments import ends_with_tag, is_question
from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Word

SR = SAMPLE_RATE


def voice(duration_s: float, f0_st, gain_db=None, *, base_hz: float = 150.0) -> np.ndarray:
    """A buzzy harmonic voice: F0 ``base_hz`` moved by ``f0_st(t)`` semitones, level ``gain_db(t)``."""
    t = np.arange(int(duration_s * SR)) / SR
    f0 = base_hz * 2 ** (f0_st(t) / 12)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    x = sum(np.sin(k * phase) / k for k in range(1, 8))
    level = 10 ** ((gain_db(t) if gain_db else np.zeros_like(t)) / 20)
    return (0.1 * x * level).astype(np.float32)


def syllables(audio: np.ndarray, words: list[Word]) -> np.ndarray:
    """Silence except under each word (so words are separate, like syllables)."""
    out = np.zeros_like(audio)
    for w in words:
        a, b = int(w.start_s * SR), int(w.end_s * SR)
        out[a:b] = audio[a:b] * np.hanning(b - a)[:, None].ravel() ** 0.25
    return out


def words_every(start_s: float, end_s: float, *, word_s: float = 0.3, gap_s: float = 0.1,
                sentence: int = 0, text: str = "word") -> list[Word]:
    """Words of ``word_s`` with ``gap_s`` between them; every ``sentence`` words end with a full stop
    followed by a 0.5 s pause."""
    out, t, i = [], start_s, 0
    while t + word_s <= end_s:
        i += 1
        end_of_sentence = sentence and i % sentence == 0
        out.append(Word(text + ("." if end_of_sentence else ""), round(t, 3), round(t + word_s, 3), 0.9))
        t += word_s + gap_s + (0.5 if end_of_sentence else 0.0)
    return out


def speech(duration_s, f0_st, gain_db=None, **kw):
    words = words_every(0.5, duration_s - 0.5, **kw)
    return syllables(voice(duration_s, f0_st, gain_db), words), words


def swing(amplitude_st: float, period_s: float = 1.7):
    return lambda t: amplitude_st * np.sin(2 * np.pi * t / period_s)


# --- pitch ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("amplitude", [0.5, 2.0, 4.0])
def test_pitch_spread_in_semitones_matches_the_sweep(amplitude):
    audio, words = speech(20, swing(amplitude))
    m = analyse_tone(audio, words)
    assert m.ok
    # A sine's SD is its amplitude over sqrt 2; gating by words samples it unevenly, hence the margin.
    assert m.pitch_sd_st == pytest.approx(amplitude / np.sqrt(2), abs=0.25 + 0.1 * amplitude)
    assert m.pitch_median_hz == pytest.approx(150, rel=0.03)
    assert m.pitch_range_st > m.pitch_sd_st


def test_semitones_are_relative_to_the_speaker():
    low = analyse_tone(*speech(20, swing(3.0)))
    audio, words = speech(20, swing(3.0))
    high_audio = syllables(voice(20, swing(3.0), base_hz=240), words)
    high = analyse_tone(high_audio, words)
    assert high.pitch_median_hz == pytest.approx(240, rel=0.03)
    assert high.pitch_sd_st == pytest.approx(low.pitch_sd_st, abs=0.2)


def test_flat_voice_is_monotone_with_a_moment_and_lively_is_not():
    flat = analyse_tone(*speech(24, swing(0.8)))
    lively = analyse_tone(*speech(24, swing(4.0)))
    assert flat.variety == "monotone"
    assert [m.kind for m in flat.moments] == ["monotone"]
    assert flat.moments[0].end_s - flat.moments[0].start_s >= DEFAULT_THRESHOLDS.monotone_window_s
    assert lively.variety == "varied"
    assert not [m for m in lively.moments if m.kind == "monotone"]
    assert lively.pitch_sd_st - flat.pitch_sd_st > 1.0
    assert all(sd >= 2.0 for _, sd in lively.pitch_series)


def test_monotone_stretch_inside_a_lively_answer_is_located():
    # Lively for 12 s, flat from 12 s to 30 s.
    audio, words = speech(30, lambda t: np.where(t < 12, 4.0, 0.3) * np.sin(2 * np.pi * t / 1.7))
    m = analyse_tone(audio, words)
    spans = [(x.start_s, x.end_s) for x in m.moments if x.kind == "monotone"]
    assert len(spans) == 1
    start, end = spans[0]
    assert 10 <= start <= 14 and end >= 28


def test_very_wide_pitch_is_not_praised():
    m = analyse_tone(*speech(20, swing(9.0)))
    assert m.variety == "very wide"


def test_octave_errors_do_not_move_the_spread():
    clean_audio, words = speech(20, swing(2.0))
    clean = analyse_tone(clean_audio, words)
    # Five 60 ms bursts an octave up, as a tracker's octave jump would report.
    jumps = lambda t: swing(2.0)(t) + 12 * sum(((t > s) & (t < s + 0.06)) for s in (2.1, 5.3, 9.7, 13.1, 17.5))  # noqa: E731
    jumpy = analyse_tone(syllables(voice(20, jumps), words), words)
    assert jumpy.pitch_sd_st == pytest.approx(clean.pitch_sd_st, abs=0.3)
    assert jumpy.pitch_median_hz == pytest.approx(clean.pitch_median_hz, rel=0.02)


# --- loudness ------------------------------------------------------------------------------------


def test_word_loudness_variation_and_flat_volume():
    steady = analyse_tone(*speech(15, swing(3.0)))
    assert steady.volume == "flat" and steady.loudness_sd_db < 3
    # Every other word 8 dB down: word-level SD about 4 dB.
    varied = analyse_tone(*speech(15, swing(3.0), lambda t: np.where((t // 0.4) % 2 == 0, 0.0, -8.0)))
    assert varied.volume == "varied"
    assert varied.loudness_sd_db == pytest.approx(4.0, abs=1.0)
    assert steady.loudness_db == pytest.approx(varied.loudness_db, abs=9)


def test_a_voice_too_low_for_the_microphone_is_quiet():
    m = analyse_tone(*speech(15, swing(3.0), lambda t: np.full_like(t, -35.0)))
    assert m.ok and m.volume == "quiet"
    assert m.loudness_db < DEFAULT_THRESHOLDS.quiet_below_dbfs


def test_a_quiet_phrase_among_normal_ones():
    # Sentences of 5 words (2.5 s with the pause); the third sentence is 14 dB down.
    words = words_every(0.5, 14.5, sentence=5)
    third = (words[10].start_s - 0.05, words[14].end_s + 0.05)
    gain = lambda t: np.where((t > third[0]) & (t < third[1]), -14.0, 0.0)  # noqa: E731
    m = analyse_tone(syllables(voice(15, swing(3.0), gain), words), words)
    quiet = [x for x in m.moments if x.kind == "quiet"]
    assert len(quiet) == 1 and quiet[0].start_s == pytest.approx(words[10].start_s)


def test_trailing_off_at_the_end_of_phrases():
    words = words_every(0.5, 19.5, sentence=6)
    ends = [w for w in words if w.text.endswith(".")]
    # The last word of each sentence 15 dB below the rest.
    def gain(t):
        g = np.zeros_like(t)
        for w in ends:
            g[(t >= w.start_s - 0.02) & (t <= w.end_s + 0.02)] = -15.0
        return g
    faded = analyse_tone(syllables(voice(20, swing(3.0), gain), words), words)
    steady = analyse_tone(syllables(voice(20, swing(3.0)), words), words)
    trailing = [x for x in faded.moments if x.kind == "trailing_off"]
    assert len(trailing) >= len(ends) // 2
    assert all(any(w.start_s - 0.3 <= x.start_s <= w.end_s for w in ends) for x in trailing)
    assert not [x for x in steady.moments if x.kind == "trailing_off"]


# --- uptalk --------------------------------------------------------------------------------------


def rising_ends(words: list[Word], rise_st: float):
    """A gentle swing, with the last word of each sentence gliding up ``rise_st`` semitones."""
    ends = [w for w in words if w.text.endswith((".", "?"))]

    def contour(t):
        st = swing(1.5, 2.3)(t)
        for w in ends:
            inside = (t >= w.start_s) & (t <= w.end_s)
            st = np.where(inside, swing(1.5, 2.3)(w.start_s) + rise_st * (t - w.start_s) / (w.end_s - w.start_s), st)
        return st

    return contour, ends


def test_uptalk_on_statements_that_rise():
    words = words_every(0.5, 19.5, sentence=6)
    contour, ends = rising_ends(words, 5.0)
    m = analyse_tone(syllables(voice(20, contour), words), words)
    uptalk = [x for x in m.moments if x.kind == "uptalk"]
    assert len(uptalk) >= len(ends) // 2
    flat_contour, _ = rising_ends(words, 0.0)
    plain = analyse_tone(syllables(voice(20, flat_contour), words), words)
    assert not [x for x in plain.moments if x.kind == "uptalk"]


def test_a_real_question_may_rise():
    words = words_every(0.5, 19.5, sentence=6)
    asked = []
    for i, w in enumerate(words):
        text = "could" if i % 6 == 0 else w.text.replace(".", "?")
        asked.append(Word(text, w.start_s, w.end_s, w.probability))
    contour, _ = rising_ends(asked, 5.0)
    m = analyse_tone(syllables(voice(20, contour), asked), asked)
    assert not [x for x in m.moments if x.kind == "uptalk"]


@pytest.mark.parametrize(("text", "question"), [
    ("How would you handle an angry caller?", True),
    ("Could you tell me more?", True),
    ("I fixed it the same day, right?", True),
    ("I offered him a refund?", False),  # a rising statement Whisper punctuated as a question
    ("I offered him a refund.", False),
])
def test_what_counts_as_a_question(text, question):
    words = [Word(w, i * 0.3, i * 0.3 + 0.2, 0.9) for i, w in enumerate(text.split())]
    assert is_question(words) is question


@pytest.mark.parametrize(("text", "tag"), [
    ("I listened to the whole story, you know.", True),
    ("I fixed it the same day, right.", True),
    ("I listened to the whole story.", False),
])
def test_tags_rise_as_tags(text, tag):
    words = [Word(w, i * 0.3, i * 0.3 + 0.2, 0.9) for i, w in enumerate(text.split())]
    assert ends_with_tag(words) is tag


# --- not enough voiced speech --------------------------------------------------------------------


def test_silence_noise_whisper_clipping_and_one_word_are_not_judged():
    words = words_every(0.5, 9.5)
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.05, 10 * SR).astype(np.float32)
    # A whisper: breathy noise shaped like speech, with no voicing.
    whisper = syllables(np.convolve(noise, np.hanning(8), "same").astype(np.float32), words)
    clipped = np.clip(syllables(voice(10, swing(3.0)), words) * 40, -0.5, 0.5)
    one_word = syllables(voice(3, swing(3.0)), [Word("hello", 1.0, 1.6, 0.9)])
    cases = {
        "silence": (np.zeros(10 * SR, np.float32), words),
        "noise": (noise, words),
        "whisper": (whisper, words),
        "clipped": (clipped.astype(np.float32), words),
        "one word": (one_word, [Word("hello", 1.0, 1.6, 0.9)]),
        "no words": (syllables(voice(10, swing(3.0)), words), []),
    }
    for name, (audio, ws) in cases.items():
        m = analyse_tone(audio, ws)
        assert m.status == NOT_ENOUGH, name
        assert m.reason, name
        assert m.variety == m.volume == "n/a" and m.moments == () and m.pitch_sd_st is None, name
    assert "clipped" in analyse_tone(clipped.astype(np.float32), words).reason


def test_clipping_is_seen_after_the_audio_was_resampled():
    """A gain set too high clips at full scale; a 48 kHz device read at 16 kHz rings where the tops
    were flat, and the flat-run test alone never fired in the live app (stop 43)."""
    import soxr

    words = words_every(0.5, 9.5)
    hot = np.clip(soxr.resample(syllables(voice(10, swing(3.0)), words) * 40, SR, 48000), -1.0, 1.0)
    heard = soxr.resample(hot, 48000, SR).astype(np.float32)
    assert "clipped" in analyse_tone(heard, words).reason
    loud = syllables(voice(10, swing(3.0)), words)
    loud = (loud / np.abs(loud).max() * 0.99).astype(np.float32)  # loud, not clipped: judged
    assert analyse_tone(loud, words).status != NOT_ENOUGH


# --- per phrase, and the stored form -------------------------------------------------------------


def test_phrase_tracks_merge_into_the_whole_recording_track():
    audio, words = speech(20, swing(3.0), sentence=6)
    whole = analyse_tone(audio, words)
    cuts = [0.0] + [w.end_s + 0.2 for w in words if w.text.endswith(".")] + [20.0]
    cuts = sorted({round(c, 2) for c in cuts if c <= 20.0})
    tracks = [track_phrase(audio[int(a * SR) : int(b * SR)], a) for a, b in zip(cuts, cuts[1:])]
    merged = summarise_tone(merge_tracks(tracks), words)
    assert merged.pitch_sd_st == pytest.approx(whole.pitch_sd_st, abs=0.1)
    assert merged.loudness_db == pytest.approx(whole.loudness_db, abs=0.5)
    assert merged.variety == whole.variety and merged.volume == whole.volume


def test_tone_round_trips_through_its_dict():
    m = analyse_tone(*speech(24, swing(0.8)))
    assert ToneMetrics.from_dict(m.to_dict()) == m
    assert ToneMetrics.from_dict(None) is None


def test_the_next_sentence_starting_higher_is_not_uptalk():
    # Falling sentence ends; each next sentence starts 6 st up, and Whisper's last word of a sentence
    # runs 0.15 s into it.
    words = words_every(0.5, 19.5, sentence=6)
    starts = [words[i + 1].start_s for i, w in enumerate(words[:-1]) if w.text.endswith(".")]

    def contour(t):
        st = np.zeros_like(t) - 2.0
        for s in starts:
            st = np.where((t >= s) & (t < s + 0.3), 4.0, st)
        return st

    audio = syllables(voice(20, contour), words)
    loose = [Word(w.text, w.start_s, w.end_s + (0.65 if w.text.endswith(".") else 0.0), w.probability) for w in words]
    m = analyse_tone(audio, loose)
    assert not [x for x in m.moments if x.kind == "uptalk"]


def test_a_rise_before_a_comma_is_continuation_not_uptalk():
    words = words_every(0.5, 19.5, sentence=6)
    commas = [Word(w.text.replace(".", ","), w.start_s, w.end_s, w.probability) for w in words]
    commas[-1] = Word("word.", commas[-1].start_s, commas[-1].end_s, 0.9)
    contour, ends = rising_ends(words, 5.0)
    audio = syllables(voice(20, contour), words)
    uptalk = [x for x in analyse_tone(audio, commas).moments if x.kind == "uptalk"]
    assert len(uptalk) <= 1  # only the answer's last sentence, which ends with a full stop


def test_a_recorder_can_track_phrases_as_they_end():
    audio, words = speech(12, swing(3.0), sentence=6)
    tracker = PhraseToneTracker()
    for a, b in ((0.0, 4.237), (4.237, 8.0), (8.0, 12.0)):
        tracker.add_phrase(audio[int(round(a / 0.01) * 160) : int(b * SR)], a)
    live = summarise_tone(tracker.track(), words)
    assert live.pitch_sd_st == pytest.approx(analyse_tone(audio, words).pitch_sd_st, abs=0.1)
