"""Tone of voice: pitch variety and loudness of an answer, the verdicts on them, and its moments.

Built in two steps so the live recorder can do the heavy part while the candidate speaks:

* :func:`simulator.analysis.pitch.track_phrase` turns one phrase's samples into a ``ToneTrack`` (F0
  and level every 10 ms, in clip time). It is the only step that touches the samples.
* :func:`simulator.analysis.pitch.merge_tracks` joins the tracks of consecutive phrases, and
  :func:`summarise_tone` turns the merged track and the transcript's words into :class:`ToneMetrics`.
  ``PhraseToneTracker`` wraps the two for a recorder.

:func:`analyse_tone` does both for a whole recording at once. Pitch is judged relative to the speaker
(:mod:`simulator.analysis.voicing`); loudness is in dB relative to full scale, per word and per
phrase, using the transcript's word times, and over time as a compact series for the report's strip
(:func:`simulator.analysis.loudness.level_series`); the moments come from
:mod:`simulator.analysis.tone_moments`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.analysis.loudness import HOP_S, level_series
from simulator.analysis.pitch import ToneTrack, track_recording
from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from simulator.analysis.tone_moments import ToneMoment, monotone_moments, phrase_moments, split_phrases
from simulator.analysis.voicing import VoicedFrames, robust_sd
from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Word

NOT_ENOUGH = "not enough voiced speech"


@dataclass(frozen=True)
class ToneMetrics:
    """How the voice sounded. ``status`` is "ok", or "not enough voiced speech" with the ``reason``."""

    status: str
    reason: str = ""
    voiced_s: float = 0.0
    pitch_median_hz: float | None = None
    pitch_sd_st: float | None = None
    pitch_range_st: float | None = None
    loudness_db: float | None = None
    loudness_sd_db: float | None = None
    variety: str = "n/a"  # monotone | varied | very wide | n/a
    volume: str = "n/a"  # quiet | flat | varied | n/a
    moments: tuple[ToneMoment, ...] = ()
    pitch_series: tuple[tuple[float, float], ...] = field(default=())
    """(window centre s, pitch SD in st) for each 8 s window with enough voice, every second."""
    loudness_series: tuple[tuple[float, float], ...] = field(default=())
    """(step centre s, dB from the answer's usual level) every 0.5 s of voice, at most 240 points
    (:func:`simulator.analysis.loudness.level_series`); empty in reports made before it existed."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "voiced_s": self.voiced_s,
            "pitch_median_hz": self.pitch_median_hz,
            "pitch_sd_st": self.pitch_sd_st,
            "pitch_range_st": self.pitch_range_st,
            "loudness_db": self.loudness_db,
            "loudness_sd_db": self.loudness_sd_db,
            "verdicts": {"variety": self.variety, "volume": self.volume},
            "moments": [
                {"kind": m.kind, "start": m.start_s, "end": m.end_s, "detail": m.detail, "value": m.value,
                 "quote": m.quote}
                for m in self.moments
            ],
            "pitch_series": [list(p) for p in self.pitch_series],
            "loudness_series": [list(p) for p in self.loudness_series],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> ToneMetrics | None:
        if not d:
            return None
        verdicts = d.get("verdicts") or {}
        return cls(
            status=d.get("status", "ok"),
            reason=d.get("reason", ""),
            voiced_s=d.get("voiced_s", 0.0),
            pitch_median_hz=d.get("pitch_median_hz"),
            pitch_sd_st=d.get("pitch_sd_st"),
            pitch_range_st=d.get("pitch_range_st"),
            loudness_db=d.get("loudness_db"),
            loudness_sd_db=d.get("loudness_sd_db"),
            variety=verdicts.get("variety", "n/a"),
            volume=verdicts.get("volume", "n/a"),
            moments=tuple(
                ToneMoment(m["kind"], m["start"], m["end"], m.get("detail", ""), m.get("value"), m.get("quote", ""))
                for m in d.get("moments") or ()
            ),
            pitch_series=tuple((float(a), float(b)) for a, b in d.get("pitch_series") or ()),
            loudness_series=tuple((float(a), float(b)) for a, b in d.get("loudness_series") or ()),
        )


def analyse_tone(
    samples: np.ndarray, words: Sequence[Word], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> ToneMetrics:
    """Tone of one recorded answer (16 kHz mono) with its transcript's words."""
    if len(words) < thresholds.tone_min_words:
        return _not_enough(f"{len(words)} word{'s' if len(words) != 1 else ''} recognised; "
                           f"at least {thresholds.tone_min_words} are needed")
    return summarise_tone(track_recording(samples), words, thresholds)


def summarise_tone(
    track: ToneTrack, words: Sequence[Word], thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> ToneMetrics:
    """Measures, verdicts and moments from a merged track and the words said over it."""
    t = thresholds
    words = [w for w in words if w.end_s > w.start_s]
    if len(words) < t.tone_min_words:
        return _not_enough(f"{len(words)} word{'s' if len(words) != 1 else ''} recognised; "
                           f"at least {t.tone_min_words} are needed")
    f = VoicedFrames.of(track, words)
    voiced_s = round(f.voiced.sum() * HOP_S, 2)
    if voiced_s < t.tone_min_voiced_s:
        return _not_enough(f"only {voiced_s:.1f} s of voiced speech; {t.tone_min_voiced_s:.0f} s are needed "
                           "(a whisper, noise or a very short answer)", voiced_s)
    clipped_share = track.clipped_samples / (f.voiced.sum() * HOP_S * SAMPLE_RATE)
    if clipped_share > t.tone_max_clipped_share:
        return _not_enough(f"the recording is clipped ({100 * clipped_share:.0f}% of the voiced audio is "
                           "flat-topped or at full scale): lower the microphone gain", voiced_s)

    st = f.st[f.voiced]
    median_hz = float(np.exp(np.median(np.log(f.f0[f.voiced]))))
    sd_st = robust_sd(st)
    range_st = float(np.percentile(st, 95) - np.percentile(st, 5))
    word_levels = np.array([lv for w in words if (lv := f.word_level(w)) is not None])
    loud_db = float(np.median(word_levels)) if len(word_levels) else float(np.median(f.level[f.voiced]))
    loud_sd = robust_sd(word_levels) if len(word_levels) >= t.tone_min_words else 0.0

    series, monotone = monotone_moments(f, words, t)
    phrases = split_phrases(words, t.pause_min_s)
    moments = [*monotone, *phrase_moments(f, phrases, t)]
    variety = "monotone" if sd_st < t.monotone_below_st else (
        "very wide" if sd_st > t.pitch_wide_above_st else "varied")
    volume = "quiet" if loud_db < t.quiet_below_dbfs else ("flat" if loud_sd < t.flat_volume_below_db else "varied")
    return ToneMetrics(
        status="ok",
        voiced_s=voiced_s,
        pitch_median_hz=round(median_hz, 1),
        pitch_sd_st=round(sd_st, 2),
        pitch_range_st=round(range_st, 2),
        loudness_db=round(loud_db, 1),
        loudness_sd_db=round(loud_sd, 2),
        variety=variety,
        volume=volume,
        moments=tuple(sorted(moments, key=lambda m: (m.start_s, m.kind))),
        pitch_series=tuple(series),
        loudness_series=level_series(f.level, f.voiced),
    )


def _not_enough(reason: str, voiced_s: float = 0.0) -> ToneMetrics:
    return ToneMetrics(status=NOT_ENOUGH, reason=reason, voiced_s=voiced_s)
