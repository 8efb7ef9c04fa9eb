"""Hesitations that neither decode wrote down, found in the sound between the words.

Whisper drops most "um"s and "uh"s; the prompted second decode (``filler_recovery``) writes many of
them back, but not all: sometimes it too leaves a gap, or stretches a neighbouring word over it. What
both decodes leave behind is a tell-tale in the audio: a short stretch of voice, with a silence on each
side, that no word of the transcript covers.

A run of voice is taken for a hesitation only when all of these hold:

* it is bounded by silence (runs are split only at silences of :data:`HIDDEN_HES_JOIN_S` or more) and
  lasts :data:`HIDDEN_HES_MIN_S` to :data:`HIDDEN_HES_MAX_S`;
* none of the transcript's words overlaps it, or the one word over it is a hesitation look-alike ("a",
  "oh": Whisper's spellings of a held "uh"), or is stretched across a silence over another run of
  voice, its own (:func:`_stretched_over`: "with" timed over "with, um, <pause>");
* it lies between two words; or it is the one run after the last word with a silence after it too
  (:func:`_trailing_alone`: the "uh" that ends a phrase before a thinking pause, which the live loop
  decodes on its own); or it is the one run before the first word, with a thinking pause after it
  (:func:`_leading_alone`: "Uh, ... my weakness is"). Other runs before the first word are never
  counted: they are more likely a phrase the decoder skipped;
* the words on either side of it are not slivers (a word timed at a point beside its own sound leaves
  that sound uncovered: :data:`HIDDEN_HES_MIN_S_PER_LETTER`);
* no hesitation already found (by Whisper or the prompted pass) is within ``same_s`` of it: Whisper's
  times for a hesitation it did write are often a few hundred milliseconds late;
* it is voiced (a pitch on :data:`HIDDEN_HES_MIN_VOICED` of its frames: not a breath or a noise) and
  held (spectral change under :data:`HIDDEN_HES_MAX_FLUX_DB`: one sound, not a word's run of sounds).

It is an "um" when it ends on a nasal (:data:`HIDDEN_HES_NASAL_DROP_DB`), else an "uh". The checks look
only at the few isolated runs of a recording, so they cost a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import EnergyProfile, Span
from simulator.speech.hesitations import Filler, normalise
from simulator.speech.transcript import Word

# Detector constants, not verdict bands (the speech layer keeps its thresholds beside the code that uses
# them, and may not import simulator.analysis). Measured on the espeak-ng dev voices
# (tests/data/voices/dev.json), the spoken fixtures and, for HESITATION_LOOKALIKES, the first held-out
# voice set after its one measurement had spent it; never on a blind set before its measurement.

HESITATION_LOOKALIKES = frozenset({"a", "oh", "o", "or"})
"""Words Whisper writes for an "uh" it heard as speech. Held alone between two silences (see
:func:`_vowel_word_alone`) and passing the voicing and steadiness checks, they are hesitations.
"or" was added at stop 31: base writes it for about a quarter of heldout10's "uh"s ("the ones about,
or missing refunds"); measured on the spent sets heldout8-10 on one machine, it found one more
hesitation on two of them, none made up clean or under noise (README, "Filler words")."""

HIDDEN_HES_JOIN_S = 0.10
"""Silences shorter than this inside a voiced run do not split it. Stop closures and the dips between
syllables are 10-60 ms; the pauses a speaker leaves around a hesitation are longer (espeak-ng's comma
pauses measure 0.15-0.20 s), and 0.1 s is the ordinary gap between words (README, pause_min_s). On the
dev voices any value from 0.06 to 0.12 s finds the same isolated runs."""

HIDDEN_HES_MIN_S = 0.20
"""Shortest voiced run taken for a hesitation. Shorter isolated bursts are clicks, lip smacks, a stop's
release, or a short word whose weak edges sank under background noise: with white noise at -30 dBFS
(about 15 dB below the speech) an "I" came out as an isolated 0.15 s run. The shortest hesitation on
the dev voices lasts 0.25 s (a quick "uh" at 165 wpm), so a very short real "uh" can be missed."""

HIDDEN_HES_MAX_S = 1.2
"""Longest voiced run taken for a hesitation. A drawn-out "ummm" can last longer, but a longer run that
the transcript leaves out is more likely a phrase Whisper skipped: refusing it can only miss a
hesitation, never invent one."""

HIDDEN_HES_MIN_S_PER_LETTER = 0.04
"""A word timed shorter than this per letter is a sliver: Whisper put its time beside its sound. Even
fast speech (226 wpm) averages about 60 ms per letter ("I" at 0.08 s is the shortest next to a
real hidden hesitation on the dev voices); the slivers that made noisy audio look like hidden
hesitations were "paid" in 0.06 s and "and" in 0 s (star_clean with white noise at -40 dBFS)."""

HIDDEN_HES_VOICING_R = 0.45
"""A 40 ms frame is voiced when its normalised autocorrelation peaks above this at a pitch period of
60-400 Hz: Praat's default voicing threshold (Boersma 1993)."""

HIDDEN_HES_MIN_VOICED = 0.5
"""Share of a run's frames that must be voiced: a hesitation is voiced throughout; a breath, a cough, a
chair or a keyboard is not. Every hesitation run on the dev voices is over 0.9."""

HIDDEN_HES_MAX_FLUX_DB = 3.0
"""Largest median spectral change between consecutive 10 ms frames (16 log bands, 100-4000 Hz, level
removed) for a run to count as one held sound. A filled pause is a long, stable syllable, usually a
schwa-like vowel with little formant movement (the acoustic descriptions of filled pauses agree on
this); words move from sound to sound. On the dev voices isolated hesitations measure 0.9-2.5 dB and
most isolated "like" / "you know" / "he was" runs 2.7-4.1 dB, so this turns away the commonest words
Whisper could drop while leaving room for a human "uh", which wavers more than espeak-ng's."""

HIDDEN_HES_STRETCH_GAP_S = 0.25
"""Silence that must part a run from the sound of a word stretched over both (:func:`_stretched_over`).
Longer than espeak-ng's comma pause (0.15-0.20 s) and than the silences white noise cuts inside a
word: on ``bench/fillers_noise.py`` (stop 32) a word Whisper timed over two runs of its own sound had
them 0.10-0.21 s apart, and taking those runs made up 19-32 hesitations per noise level. The stretched
words over a real hesitation on the spent voice sets left 0.13-0.35 s; this keeps half of them."""

HIDDEN_HES_STRETCH_VOICED = 0.9
"""Share of voiced frames a run under a stretched word needs, above :data:`HIDDEN_HES_MIN_VOICED`: every
hesitation run on the dev voices is over 0.9, and the one noise-made run that left 0.25 s or more
(``bench/fillers_noise.py``, -40 dBFS) was voiced on 0.81 of its frames."""

HIDDEN_HES_LEAD_PAUSE_S = 0.3
"""Silence a run before the first word must leave before that word to be a hesitation at the start:
longer than espeak-ng's comma pause (0.15-0.20 s) and the ordinary gap between words, so it is a
thinking pause, as in "Uh, ... my weakness is". A first word the decoder skipped usually runs into the
next."""

HIDDEN_HES_NASAL_DROP_DB = 10.0
"""An "um" ends on a nasal: its last third keeps the low murmur (80-400 Hz) and loses the vowel's
formants (400-3000 Hz). A run whose high-to-low band ratio falls by more than this from its first third
to its last is an "um", else an "uh". On the dev voices every "um" drops 17-22 dB and every "uh" -1 to
+1 dB, so the cut sits halfway with room either side."""

_FRAME = 320  # 20 ms
_HOP = 160  # 10 ms
_BAND_EDGES_HZ = np.geomspace(100.0, 4000.0, 17)  # 16 log-spaced bands over the voice's formants


def isolated_runs(energy: EnergyProfile) -> list[Span]:
    """Runs of voice, joined across silences shorter than :data:`HIDDEN_HES_JOIN_S`."""
    runs: list[Span] = []
    for span in energy.voiced_spans(0.0):
        if runs and span.start_s - runs[-1].end_s < HIDDEN_HES_JOIN_S:
            runs[-1] = Span(runs[-1].start_s, span.end_s)
        else:
            runs.append(span)
    return runs


def hidden_hesitations(
    samples: np.ndarray,
    energy: EnergyProfile,
    words: Sequence[Word],
    found: Sequence[tuple[float, float]],
    same_s: float,
) -> list[Filler]:
    """Hesitations in the isolated runs of voice that no word of ``words`` covers.

    ``found`` holds the (start, end) times of the hesitations already known (in the transcript or
    recovered); a run within ``same_s`` of one of them is taken to be that one.
    """
    if not words:
        return []
    first, last = words[0].start_s, words[-1].end_s
    runs = isolated_runs(energy)
    kept: list[Filler] = []
    for run in runs:
        if not HIDDEN_HES_MIN_S <= run.duration_s <= HIDDEN_HES_MAX_S:
            continue
        covering = [w for w in words if _covers(w, run)]
        min_voiced = HIDDEN_HES_MIN_VOICED
        if covering:
            if not _vowel_word_alone(covering, words):
                if not _stretched_over(covering, run, runs, words):
                    continue
                min_voiced = HIDDEN_HES_STRETCH_VOICED
        elif run.start_s < first:
            if not _leading_alone(run, runs, first):
                continue  # a phrase the decoder skipped, more likely than a hesitation
        elif run.end_s > last and not _trailing_alone(run, runs, last, len(samples) / SAMPLE_RATE):
            continue
        elif _squeezed_neighbour(words, run):
            continue  # the run is most likely that word's own sound, timed wrongly
        if any(s - same_s < run.end_s and run.start_s < e + same_s for s, e in found):
            continue
        clip = samples[int(run.start_s * SAMPLE_RATE) : int(run.end_s * SAMPLE_RATE)]
        if not (_voiced_share(clip) >= min_voiced and _spectral_flux_db(clip) <= HIDDEN_HES_MAX_FLUX_DB):
            continue
        text = "um" if _nasal_drop_db(clip) >= HIDDEN_HES_NASAL_DROP_DB else "uh"
        kept.append(Filler(text, run.start_s, run.end_s, recovered=True))
    return kept


def _leading_alone(run: Span, runs: Sequence[Span], first_start_s: float) -> bool:
    """Whether a run before the first word is a hesitation's place: the only run of voice before that
    word, ending a thinking pause (:data:`HIDDEN_HES_LEAD_PAUSE_S`) before it.

    "Uh, ... my weakness is": Whisper often leaves out a hesitation said alone before the answer starts.
    Two or more runs there are more likely words the decoder skipped. The voicing and steadiness checks
    still apply, so a breath, a click or a cough before speaking is not counted.
    """
    before = [r for r in runs if r.end_s <= first_start_s]
    return before == [run] and first_start_s - run.end_s >= HIDDEN_HES_LEAD_PAUSE_S


def _trailing_alone(run: Span, runs: Sequence[Span], last_end_s: float, clip_s: float) -> bool:
    """Whether a run after the last word is a hesitation's place: the only run of voice after that
    word, with a silence of :data:`HIDDEN_HES_JOIN_S` or more before the recording ends.

    In the live loop each phrase before a thinking pause is decoded on its own, so "moved her to a
    quieter, uh," ends its phrase, and its "uh" comes after the phrase's last word. Two or more runs
    there are more likely words the decoder left out; a run that reaches the end of the recording may
    be a word cut off. The voicing and steadiness checks still apply.
    """
    after = [r for r in runs if r.start_s >= last_end_s]
    return after == [run] and run.end_s <= clip_s - HIDDEN_HES_JOIN_S


def _vowel_word_alone(covering: Sequence[Word], words: Sequence[Word]) -> bool:
    """Whether the run is one of :data:`HESITATION_LOOKALIKES` standing alone between silences.

    Whisper often writes an "uh" as the word it sounds like: "about a, a, faulty dryer", "Oh, I write
    three points". The article "a" runs straight into its noun, and an "oh" of surprise is not held
    between two pauses in the middle of an answer; a lone, held vowel there is a hesitation. The last
    word is left alone (a trailing "oh" or "a" is more likely the end of a cut-off phrase).
    """
    return (len(covering) == 1 and covering[0] is not words[-1]
            and normalise(covering[0].text) in HESITATION_LOOKALIKES)


def _stretched_over(covering: Sequence[Word], run: Span, runs: Sequence[Span], words: Sequence[Word]) -> bool:
    """Whether the one word over the run is timed across a silence, over a sound of its own elsewhere.

    Whisper often stretches the word before a thinking pause over the pause and the hesitation in it
    ("with, um, <0.9 s> proper access" came back as "with" from 30.08 to 31.00 s, its own sound ending
    at 30.25 s and the "um" at 30.54-31.00 s), or the word after it back over them ("I asked for the error
    text and, uh, saw" as "sorry" over the "uh"). A word's sound is one run of voice: the silence of
    :data:`HIDDEN_HES_JOIN_S` or more that splits its time means the other run is a sound it does not
    name. Only one word may cover the run, not the last (a cut-off ending) and not a one-letter word
    ("I, I, um" came back with the first "I" timed across the silence before its own held vowel,
    which is then no different from an "uh"), and the voicing and steadiness checks still apply, so a
    dropped word that moves from sound to sound is not counted. The silence between the run and the
    word's own sound must be a pause (:data:`HIDDEN_HES_STRETCH_GAP_S`), and the run voiced almost
    throughout (:data:`HIDDEN_HES_STRETCH_VOICED`): white noise splits a word's sound into runs too.
    Stop 32, on the spent voice sets: one or two more hesitations on heldout9-11, none made up, clean
    or under noise (README, "Filler words").
    """
    if len(covering) != 1 or covering[0] is words[-1]:
        return False
    word = covering[0]
    if _letters(word.text) < 2:
        return False  # "I" is one held vowel itself: which of its runs is the word cannot be told
    own = [other for other in runs if other is not run and _covers(word, other)]
    return bool(own) and all(_apart_s(run, other) >= HIDDEN_HES_STRETCH_GAP_S for other in own)


def _apart_s(a: Span, b: Span) -> float:
    """The silence between two runs."""
    return max(b.start_s - a.end_s, a.start_s - b.end_s)


def _squeezed_neighbour(words: Sequence[Word], run: Span) -> bool:
    """Whether the word just before or just after the run was given too little time to hold its sound.

    Whisper sometimes times a word as a sliver or a point beside the sound it belongs to ("and" at
    27.18-27.18 s with its sound at 26.86-27.11 s); that sound is then a run no word covers. A word
    shorter than :data:`HIDDEN_HES_MIN_S_PER_LETTER` per letter is such a sliver.
    """
    before = [w for w in words if w.end_s <= run.start_s]
    after = [w for w in words if w.start_s >= run.end_s]
    neighbours = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return any(w.end_s - w.start_s < HIDDEN_HES_MIN_S_PER_LETTER * _letters(w.text) for w in neighbours)


def _letters(text: str) -> int:
    return max(1, sum(ch.isalpha() for ch in text))


def _covers(word: Word, run: Span) -> bool:
    """Whether the word's time overlaps the run (a zero-length word counts when it falls inside it)."""
    if word.end_s <= word.start_s:
        return run.start_s <= word.start_s <= run.end_s
    return min(word.end_s, run.end_s) - max(word.start_s, run.start_s) > 0


def _voiced_share(clip: np.ndarray) -> float:
    """Share of 40 ms frames (10 ms hop) whose normalised autocorrelation peaks above
    :data:`HIDDEN_HES_VOICING_R` at a lag of one pitch period (60-400 Hz)."""
    win = 2 * _FRAME
    n = 1 + (len(clip) - win) // _HOP
    if n < 1:
        return 0.0
    idx = np.arange(win)[None, :] + _HOP * np.arange(n)[:, None]
    frames = clip[idx].astype(np.float64)
    frames -= frames.mean(axis=1, keepdims=True)
    spec = np.fft.rfft(frames * np.hanning(win), n=2 * win, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :win]
    # Divide by the window's own autocorrelation so a periodic signal peaks near 1 at its period.
    w_ac = np.fft.irfft(np.abs(np.fft.rfft(np.hanning(win), n=2 * win)) ** 2)[:win]
    norm = ac / np.maximum(ac[:, :1], 1e-12) / np.maximum(w_ac / w_ac[0], 1e-3)
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 60
    return float(np.mean(norm[:, lo : hi + 1].max(axis=1) > HIDDEN_HES_VOICING_R))


def _band_levels_db(clip: np.ndarray) -> np.ndarray:
    """Level of each 20 ms frame (10 ms hop) in 16 log-spaced bands, dB."""
    n = 1 + (len(clip) - _FRAME) // _HOP
    if n < 1:
        return np.zeros((0, len(_BAND_EDGES_HZ) - 1))
    idx = np.arange(_FRAME)[None, :] + _HOP * np.arange(n)[:, None]
    power = np.abs(np.fft.rfft(clip[idx] * np.hanning(_FRAME), axis=1)) ** 2
    freqs = np.fft.rfftfreq(_FRAME, 1 / SAMPLE_RATE)
    bands = np.stack(
        [power[:, (freqs >= lo) & (freqs < hi)].sum(axis=1) for lo, hi in zip(_BAND_EDGES_HZ, _BAND_EDGES_HZ[1:])],
        axis=1,
    )
    return 10 * np.log10(bands + 1e-10)


def _spectral_flux_db(clip: np.ndarray) -> float:
    """Median change of the spectrum's shape from one 10 ms frame to the next (level removed)."""
    levels = _band_levels_db(clip)
    if len(levels) < 3:
        return float("inf")
    shape = levels - levels.mean(axis=1, keepdims=True)
    return float(np.median(np.sqrt(np.mean(np.diff(shape, axis=0) ** 2, axis=1))))


def _high_low_db(part: np.ndarray) -> float:
    """Energy in 400-3000 Hz (the vowel's formants) over 80-400 Hz (a nasal's murmur), dB."""
    if len(part) < 256:
        return 0.0
    power = np.abs(np.fft.rfft(part * np.hanning(len(part)))) ** 2
    freqs = np.fft.rfftfreq(len(part), 1 / SAMPLE_RATE)
    low = power[(freqs > 80) & (freqs < 400)].sum()
    high = power[(freqs >= 400) & (freqs < 3000)].sum()
    return float(10 * np.log10((high + 1e-12) / (low + 1e-12)))


def _nasal_drop_db(clip: np.ndarray) -> float:
    """How far the high-to-low ratio falls from the run's first third to its last."""
    third = len(clip) // 3
    return _high_low_db(clip[:third]) - _high_low_db(clip[-third:]) if third else 0.0
