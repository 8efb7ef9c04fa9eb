"""Hesitations found in the sound between the words when neither decode wrote them: what is taken
(a held, voiced stretch between words that no word covers) and everything that is not."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import EnergyProfile
from simulator.speech.filler_recovery import second_look
from simulator.speech.hidden_hesitations import HIDDEN_HES_MIN_VOICED, _voiced_share, hidden_hesitations
from tests.unit.synth import tone_track, transcript_of

WORDS = [("i", 0.3, 0.6), ("called", 0.6, 1.1), ("the", 2.0, 2.2), ("hotel", 2.2, 2.8)]
"""A transcript with a gap between 1.1 s and 2.0 s, where the tests put (or leave out) a sound."""


def _t(n: int) -> np.ndarray:
    return np.arange(n) / SAMPLE_RATE


def _with(extra: np.ndarray | None, at_s: float = 1.35) -> np.ndarray:
    audio = tone_track([(0.3, 1.1), (2.0, 2.8)], 3.5)
    if extra is not None:
        i = int(at_s * SAMPLE_RATE)
        audio[i : i + len(extra)] = extra
    return audio


def _uh(duration_s: float = 0.35) -> np.ndarray:
    """A held vowel: 150 Hz with strong formant-range harmonics."""
    t = _t(int(duration_s * SAMPLE_RATE))
    return (0.2 * np.sin(2 * np.pi * 150 * t) + 0.15 * np.sin(2 * np.pi * 750 * t)
            + 0.1 * np.sin(2 * np.pi * 1200 * t)).astype(np.float32)


def _um(duration_s: float = 0.45) -> np.ndarray:
    """The same vowel closing on a nasal: its last 40% keeps only the low murmur."""
    x = _uh(duration_s)
    t = _t(len(x))
    cut = int(len(x) * 0.6)
    x[cut:] = 0.25 * np.sin(2 * np.pi * 150 * t[cut:])
    return x


def _found(audio: np.ndarray, words=WORDS, known=()) -> list[tuple[str, float]]:
    ws = transcript_of(words).words
    return [(f.text, round(f.start_s, 2)) for f in hidden_hesitations(audio, EnergyProfile.of(audio), ws, known, 0.5)]


def test_a_held_vowel_between_words_that_no_word_covers_is_an_uh():
    found = _found(_with(_uh()))
    assert [text for text, _ in found] == ["uh"]
    assert found[0][1] == pytest.approx(1.35, abs=0.05)


def test_one_that_closes_on_a_nasal_is_an_um():
    assert [text for text, _ in _found(_with(_um()))] == ["um"]


def test_a_silent_gap_holds_nothing():
    assert _found(_with(None)) == []


def test_noise_is_not_a_hesitation():
    rng = np.random.default_rng(1)
    assert _found(_with((0.2 * rng.normal(size=int(0.4 * SAMPLE_RATE))).astype(np.float32))) == []


def test_a_changing_sound_is_a_word_not_a_hesitation():
    # Voiced throughout, but a formant sweeping 300-3000 Hz and back three times: a run of different
    # sounds, as in a word, not one held sound.
    t = _t(int(0.42 * SAMPLE_RATE))
    formant = 300 + 2700 * np.abs(np.sin(2 * np.pi * 3.5 * t))
    sound = 0.15 * np.sin(2 * np.pi * 150 * t)  # harmonics of 150 Hz: periodic, so voiced
    for k in range(2, 21):
        sound += 0.25 * np.exp(-(((150 * k - formant) / 200) ** 2)) * np.sin(2 * np.pi * 150 * k * t)
    assert _voiced_share(sound) > HIDDEN_HES_MIN_VOICED  # it is voice: the flux turns it away
    assert _found(_with(sound.astype(np.float32))) == []


def test_a_word_over_the_sound_means_it_was_transcribed():
    words = [*WORDS[:2], ("and", 1.3, 1.7), *WORDS[2:]]
    assert _found(_with(_uh()), words) == []


@pytest.mark.parametrize("spelling", ["a", "a,", "Oh,", "or", "or..."])
def test_a_held_vowel_written_as_a_or_oh_alone_between_silences_is_an_uh(spelling):
    # Whisper writes an "uh" it hears as speech as the word it sounds like: "about a, a, faulty dryer",
    # and (base, on the spent voice sets) "the ones about, or missing refunds".
    words = [*WORDS[:2], (spelling, 1.4, 1.6), *WORDS[2:]]
    assert [text for text, _ in _found(_with(_uh()), words)] == ["uh"]


def test_a_look_alike_that_is_not_a_held_sound_or_is_the_last_word_is_left_alone():
    words = [*WORDS[:2], ("and", 1.3, 1.7), *WORDS[2:]]
    assert _found(_with(_uh()), words) == []  # a real word
    rng = np.random.default_rng(2)
    noise = (0.2 * rng.normal(size=int(0.4 * SAMPLE_RATE))).astype(np.float32)
    assert _found(_with(noise), [*WORDS[:2], ("a", 1.4, 1.6), *WORDS[2:]]) == []  # not voiced
    audio = tone_track([(0.3, 1.1)], 2.5)
    audio[int(1.35 * SAMPLE_RATE) : int(1.35 * SAMPLE_RATE) + int(0.35 * SAMPLE_RATE)] = _uh()
    assert _found(audio, [*WORDS[:2], ("oh", 1.4, 1.6)]) == []  # a trailing "oh" ends the answer


@pytest.mark.parametrize("words", [
    [WORDS[0], ("called", 0.6, 1.8), *WORDS[2:]],  # "called" stretched over the pause after it
    [*WORDS[:2], ("the", 1.2, 2.2), WORDS[3]],  # "the" stretched back over the pause before it
])
def test_a_held_vowel_under_a_word_stretched_across_a_silence_from_its_own_sound_is_an_uh(words):
    # Base on the spent voice sets: "with, um, <0.9 s> proper" came back as "with" timed 30.08-31.00 s,
    # its sound ending at 30.25 s, the "um" at 30.54-31.00 s. Here 0.35 s and 0.3 s of silence part
    # the "uh" from the sounds either side.
    assert [text for text, _ in _found(_with(_uh(0.25), at_s=1.45), words)] == ["uh"]


def test_under_a_stretched_word_a_run_close_to_its_own_sound_is_left_alone():
    # White noise splits a word's own sound into runs 0.10-0.21 s apart (bench/fillers_noise.py).
    words = [WORDS[0], ("called", 0.6, 1.8), *WORDS[2:]]
    assert _found(_with(_uh(0.25), at_s=1.25), words) == []


def test_a_stretched_word_over_a_changing_sound_or_shared_or_one_vowel_or_last_is_left_alone():
    t = _t(int(0.42 * SAMPLE_RATE))
    formant = 300 + 2700 * np.abs(np.sin(2 * np.pi * 3.5 * t))
    sound = 0.15 * np.sin(2 * np.pi * 150 * t)
    for k in range(2, 21):
        sound += 0.25 * np.exp(-(((150 * k - formant) / 200) ** 2)) * np.sin(2 * np.pi * 150 * k * t)
    stretched = [WORDS[0], ("called", 0.6, 1.8), *WORDS[2:]]
    assert _found(_with(sound.astype(np.float32), at_s=1.45), stretched) == []  # a word Whisper left out
    shared = [WORDS[0], ("called", 0.6, 1.5), ("the", 1.5, 2.2), WORDS[3]]
    assert _found(_with(_uh(0.25), at_s=1.45), shared) == []  # two words over it: whose sound is unclear
    one_vowel = [WORDS[0], ("called", 0.6, 0.9), ("I", 0.9, 1.8), *WORDS[2:]]
    assert _found(_with(_uh(0.25), at_s=1.45), one_vowel) == []  # "I, I, um": the held sound may be the "I"
    audio = tone_track([(0.3, 1.1)], 2.5)
    audio[int(1.45 * SAMPLE_RATE) : int(1.45 * SAMPLE_RATE) + int(0.25 * SAMPLE_RATE)] = _uh(0.25)
    assert _found(audio, [WORDS[0], ("called", 0.6, 1.8)]) == []  # the last word: maybe cut off


def test_one_next_to_a_hesitation_already_found_is_that_one():
    # Whisper's time for a hesitation it did write is often late: 0.3 s after the sound here.
    assert _found(_with(_uh()), known=[(1.95, 2.0)]) == []


def _late(runs_at: list[float], first_s: float = 1.3) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """The transcript moved to start at ``first_s``, with a held vowel at each time in ``runs_at``."""
    shift = first_s - 0.3
    late = [(w, s + shift, e + shift) for w, s, e in WORDS]
    audio = tone_track([(0.3 + shift, 1.1 + shift), (2.0 + shift, 2.8 + shift)], 3.5 + shift)
    for at in runs_at:
        audio[int(at * SAMPLE_RATE) : int(at * SAMPLE_RATE) + int(0.35 * SAMPLE_RATE)] = _uh()
    return audio, late


def test_a_held_vowel_alone_before_a_thinking_pause_at_the_start_is_an_uh():
    """ "Uh, ... my weakness is": the hesitation that opens an answer, with a pause after it."""
    audio, words = _late([0.4], first_s=1.6)
    found = _found(audio, words)
    assert [text for text, _ in found] == ["uh"] and found[0][1] == pytest.approx(0.4, abs=0.05)


def test_before_the_first_word_a_run_close_to_it_or_several_runs_are_left_alone():
    # 0.15 s before the first word: more likely a first word the decoder skipped.
    assert _found(*_late([0.8], first_s=1.3)) == []
    # Two runs before the first word: more likely a phrase the decoder skipped.
    assert _found(*_late([0.2, 1.0], first_s=2.0)) == []


def test_a_held_vowel_alone_after_the_last_word_is_an_uh():
    """The live loop decodes a phrase before a thinking pause on its own: "... a quieter, uh," ends it."""
    found = _found(_with(_uh(), at_s=3.0))
    assert [text for text, _ in found] == ["uh"] and found[0][1] == pytest.approx(3.0, abs=0.05)


def test_after_the_last_word_a_cut_off_sound_or_several_runs_are_left_alone():
    assert _found(_with(_uh(0.3), at_s=3.2)) == []  # reaches the end of the recording: maybe a word cut off
    audio = tone_track([(0.3, 1.1), (2.0, 2.8)], 4.5)
    for at in (3.0, 3.6):  # two runs after the last word: more likely words the decoder left out
        audio[int(at * SAMPLE_RATE) : int(at * SAMPLE_RATE) + int(0.35 * SAMPLE_RATE)] = _uh()
    assert _found(audio) == []


def test_too_short_or_too_long_a_sound_is_left_alone():
    assert _found(_with(_uh(0.08))) == []
    words = [("i", 0.3, 0.6), ("called", 0.6, 1.1), ("the", 3.0, 3.2), ("hotel", 3.2, 3.8)]
    audio = tone_track([(0.3, 1.1), (3.0, 3.8)], 4.5)
    audio[int(1.3 * SAMPLE_RATE) : int(1.3 * SAMPLE_RATE) + int(1.5 * SAMPLE_RATE)] = _uh(1.5)
    assert _found(audio, words) == []
    audio[int(1.3 * SAMPLE_RATE) : int(1.3 * SAMPLE_RATE) + int(1.5 * SAMPLE_RATE)] = 0
    audio[int(1.3 * SAMPLE_RATE) : int(1.3 * SAMPLE_RATE) + int(0.8 * SAMPLE_RATE)] = _uh(0.8)
    assert [text for text, _ in _found(audio, words)] == ["uh"]  # a drawn-out one is still taken


def test_second_look_adds_them_after_the_prompted_pass_in_time_order():
    audio = _with(_uh())
    main = transcript_of(WORDS).words
    prompted = transcript_of([("um", 0.31, 0.35), *WORDS]).words  # an 'um' at the start, proposed
    kept = second_look(prompted, main, audio)
    assert [(f.text, f.recovered) for f in kept] == [("um", True), ("uh", True)]
    assert [f.start_s for f in kept] == sorted(f.start_s for f in kept)


def test_a_sound_beside_a_word_timed_as_a_sliver_is_that_word():
    # "and" timed at a point just after its own sound: the sound is the word, not a hesitation.
    words = [*WORDS[:2], ("and", 1.95, 1.95), *WORDS[2:]]
    assert _found(_with(_uh()), words) == []
    words = [*WORDS[:2], ("paid", 1.9, 1.95), *WORDS[2:]]  # four letters in 50 ms
    assert _found(_with(_uh()), words) == []
    words = [*WORDS[:2], ("i", 1.9, 1.98), *WORDS[2:]]  # a short word, fairly timed: the uh stands
    assert [text for text, _ in _found(_with(_uh()), words)] == ["uh"]
