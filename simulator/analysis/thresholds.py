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


DEFAULT_THRESHOLDS = Thresholds()
