"""The bands that turn delivery figures into verdicts, with where each number comes from.

All values are defaults in one place; :class:`Thresholds` can be built from a config file or the
command line. Sources are listed in the README ("How delivery is judged").
"""

from __future__ import annotations

from dataclasses import dataclass

PAUSE_MIN_S = 0.25
"""Silent pause threshold. 0.2 s is the usual monologue fluency measure and 0.35 s the perceived one in
dialogue (Gao et al. 2025; De Jong & Bosker 2013); 0.25 s sits between them and above the ~0.1 s gaps
between ordinary words."""

LONG_PAUSE_S = 2.0
"""A pause a listener notices as hesitation. A 4 s silence already makes listeners feel rejected
(Koudenburg et al. 2011), so half of that is flagged."""


@dataclass(frozen=True)
class Thresholds:
    """Verdict bands. Pace bands in words per minute, fillers per minute of speech."""

    # Microsoft Speaker Coach flags outside 100-165 wpm; conversational English runs 130-160 wpm
    # (Griffiths 1990; Tauroza & Allison 1990). Below 110 already sounds hesitant in an interview.
    pace_slow_below_wpm: float = 110.0
    pace_fast_above_wpm: float = 165.0
    # About 1.2 fillers/min sounds fluent and 4.8/min hesitant (InterviewVoice); no measurable penalty
    # up to ~5/min, harm near 12/min (Laske et al. 2024). Read.ai asks for under 4% of words.
    fillers_noticeable_per_min: float = 3.0
    fillers_distracting_per_min: float = 6.0
    fillers_noticeable_percent: float = 4.0
    # 1-2 minutes for a behavioural story (common career advice; the seeds say about two minutes).
    default_length_s: tuple[float, float] = (60.0, 120.0)
    pause_min_s: float = PAUSE_MIN_S
    long_pause_s: float = LONG_PAUSE_S

    # --- tone (simulator/analysis/tone.py, tone_moments.py) ---
    # Pitch is measured in semitones from the speaker's own median: SD in semitones is about equal for
    # men and women (Traunmüller & Eriksson), and rated liveliness tracks F0 spread (Hincks 2005).
    # Voice-coach tools flag monotone when the SD stays under about 2 st over 8-10 s; 2 st is also the
    # upper end of the just-noticeable pitch change ('t Hart 1981).
    monotone_below_st: float = 2.0
    monotone_window_s: float = 8.0
    # Not "more is better": confident voices vary pitch less (Jiang & Pell 2014). No study gives an
    # upper cut-off; 6 st is twice the 3 st that matters in conversation (Grawunder & Bose 2008), far
    # above ordinary lively speech (2-4 st), so only sing-song delivery (or a bad track) gets there.
    pitch_wide_above_st: float = 6.0
    # Uptalk: a statement ending with F0 rising from its last accented syllable, up to about 6 st
    # (Ladd 1996); only rises over about 3 st are meaningful in conversation (Grawunder & Bose 2008).
    uptalk_rise_st: float = 3.0
    # Loudness varies 0-10 dB within a phrase; a drop of more than 10 dB inside one is trailing off
    # (cluttering guidance). A whole phrase that far below the answer's usual level is flagged quiet.
    trailing_off_drop_db: float = 10.0
    quiet_phrase_drop_db: float = 10.0
    # Volume variation is low when the word-to-word loudness SD is under about 3 dB (common tool default).
    flat_volume_below_db: float = 3.0
    # Recording level depends on the microphone, so this only catches a voice far too low for it:
    # ordinary speech sits about 20 dB below full scale; 40 dB below is barely above a quiet room's hiss.
    quiet_below_dbfs: float = -40.0
    # Below this much voiced speech (or fewer words) the spread of pitch and loudness is noise: a single
    # word, a whisper, silence or noise get "not enough voiced speech to judge tone" instead.
    tone_min_voiced_s: float = 2.0
    tone_min_words: int = 3
    # Flat-topped samples above this share of the voiced audio make loudness and pitch unreliable.
    tone_max_clipped_share: float = 0.01


DEFAULT_THRESHOLDS = Thresholds()
