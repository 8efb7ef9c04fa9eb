"""Delivery metrics of one answer: timing, pace, pauses, fillers, tone, wording and the verdicts on them.

:func:`analyse_delivery` is a pure function of the audio samples and the transcript; it never calls a
model. Recovered fillers (hesitations Whisper left out, found by a second look at the audio, see
:mod:`simulator.speech.filler_recovery`) are passed in and merged here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from simulator.audio.energy import EnergyProfile, Span
from simulator.analysis.fillers import Filler, find_fillers, normalise
from simulator.analysis.language import LanguageStats, analyse_language
from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from simulator.analysis.pitch import ToneTrack
from simulator.analysis.tone import ToneMetrics, analyse_tone, summarise_tone
from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Transcript, Word


@dataclass(frozen=True)
class FillerStats:
    count: int
    per_minute: float
    percent: float
    items: tuple[Filler, ...]
    counts: dict[str, int] = field(default_factory=dict)
    """Occurrences of each filler, "um" and "uh" apart (uh announces a short delay, um a long one:
    Clark & Fox Tree 2002); spellings such as "umm" or "erm" are counted under "um"."""


@dataclass(frozen=True)
class Verdicts:
    pace: str  # slow | good | fast | n/a
    fillers: str  # rare | noticeable | distracting | n/a
    length: str  # too short | good | too long | n/a
    speech: str  # speech | no speech detected


@dataclass(frozen=True)
class DeliveryMetrics:
    """How the answer sounded. Times in seconds from the start of the recording."""

    duration_s: float
    speech_start_s: float | None
    speech_end_s: float | None
    speaking_s: float
    words: int
    wpm: float
    articulation_wpm: float
    pauses: tuple[Span, ...]
    long_pauses: tuple[Span, ...]
    fillers: FillerStats
    verdicts: Verdicts
    target_length_s: tuple[float, float]
    pace_series: tuple[tuple[float, float], ...] = field(default=())
    """(window centre s, wpm) every few seconds, for a pace-over-time chart."""
    tone: ToneMetrics | None = None
    """Pitch and loudness (simulator/analysis/tone.py); None for typed answers and old reports."""
    language: LanguageStats | None = None
    """Hedges and most repeated words/phrases; None when nothing was said and in old reports."""

    @property
    def span_s(self) -> float:
        """The answer's length as its verdict judges it: first word to last (0 when nothing was said)."""
        return max(0.0, (self.speech_end_s or 0.0) - (self.speech_start_s or 0.0))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["tone"] = self.tone.to_dict() if self.tone is not None else None
        d["language"] = self.language.to_dict() if self.language is not None else None
        d["pauses"] = [{"start": p.start_s, "end": p.end_s} for p in self.pauses]
        d["long_pauses"] = [{"start": p.start_s, "end": p.end_s} for p in self.long_pauses]
        d["fillers"]["items"] = [
            {"text": f.text, "start": f.start_s, "end": f.end_s, "recovered": f.recovered}
            for f in self.fillers.items
        ]
        return d


def analyse_delivery(
    samples: np.ndarray,
    transcript: Transcript,
    *,
    recovered_fillers: Sequence[Filler] = (),
    target_length_s: tuple[float, float] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    tone_track: ToneTrack | None = None,
    cut_off: bool = False,
) -> DeliveryMetrics:
    """Measure the delivery of one spoken answer (``cut_off``: the recording stopped before the
    answer did, a microphone lost: its length is not judged).

    Args:
        samples: the answer at 16 kHz mono float32 (empty for a typed answer: no tone).
        transcript: what was said, with word timings.
        recovered_fillers: hesitations found outside the transcript's words.
        target_length_s: the question's target answer length; the default suits a behavioural story.
        thresholds: verdict bands.
        tone_track: the pitch/loudness track already computed phrase by phrase while the candidate
            spoke (:func:`simulator.analysis.pitch.track_phrase` + ``merge_tracks``); without it the
            whole recording is tracked here (about 1% of its length).
    """
    duration_s = round(len(samples) / SAMPLE_RATE, 3)
    target = target_length_s or thresholds.default_length_s
    words = list(transcript.words)
    fillers = sorted([*find_fillers(words), *recovered_fillers], key=lambda f: f.start_s)
    if not words:
        tone = analyse_tone(samples, words, thresholds) if len(samples) else None
        return _no_speech(duration_s, target, tone)

    energy = EnergyProfile.of(samples)
    start_s, end_s = _speech_bounds(energy, words)
    span_s = max(end_s - start_s, 1e-6)
    pauses = tuple(_pauses(energy, words, start_s, end_s, thresholds.pause_min_s))
    long_pauses = tuple(p for p in pauses if p.duration_s >= thresholds.long_pause_s)
    n_words = len(words) + sum(1 for f in fillers if f.recovered)
    speaking_s = max(span_s - sum(p.duration_s for p in pauses), 1e-6)
    # Rates leave out the long pauses, which are reported on their own: a 9 s thinking pause, or
    # the wait before an answer resumed, made a 190 wpm talker "slow" and diluted the fillers.
    talking_s = max(span_s - sum(p.duration_s for p in long_pauses), speaking_s)
    wpm = n_words / talking_s * 60
    stats = FillerStats(
        count=len(fillers),
        per_minute=round(len(fillers) / talking_s * 60, 2),
        percent=round(100 * sum(len(f.text.split()) for f in fillers) / n_words, 2),
        items=tuple(fillers),
        counts=filler_counts(fillers),
    )
    if tone_track is not None:
        tone = summarise_tone(tone_track, words, thresholds)
    else:
        tone = analyse_tone(samples, words, thresholds)
    return DeliveryMetrics(
        duration_s=duration_s,
        speech_start_s=round(start_s, 3),
        speech_end_s=round(end_s, 3),
        speaking_s=round(speaking_s, 3),
        words=n_words,
        wpm=round(wpm, 1),
        articulation_wpm=round(n_words / speaking_s * 60, 1),
        pauses=pauses,
        long_pauses=long_pauses,
        fillers=stats,
        verdicts=Verdicts(
            pace=pace_verdict(wpm, thresholds) if n_words >= PACE_MIN_WORDS else "n/a",
            fillers=filler_verdict(stats, thresholds),
            length="n/a" if cut_off else length_verdict(span_s, target),
            speech="speech",
        ),
        target_length_s=target,
        pace_series=tuple(pace_series(words)),
        tone=tone,
        language=analyse_language(words),
    )


PACE_MIN_WORDS = 10
"""Fewer words than this give no pace verdict ("n/a"): "Yes." said in a third of a second is 182 wpm,
but it says nothing about how fast the candidate talks. Ten words is two or three seconds of speech,
about the shortest stretch a listener judges a rate on. The wpm figure is still reported."""

_UM = frozenset("um umm ummm erm mm mmm".split())
_UH = frozenset("uh uhh uhhh er err ah ahh eh".split())


def filler_counts(fillers: Sequence[Filler]) -> dict[str, int]:
    """How often each filler came, most frequent first; um-like and uh-like sounds counted apart."""
    counts: dict[str, int] = {}
    for f in fillers:
        key = normalise(f.text)
        key = "um" if key in _UM else "uh" if key in _UH else key
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def pace_verdict(wpm: float, t: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if wpm < t.pace_slow_below_wpm:
        return "slow"
    return "fast" if wpm > t.pace_fast_above_wpm else "good"


def filler_verdict(stats: FillerStats, t: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if stats.per_minute > t.fillers_distracting_per_min:
        return "distracting"
    if stats.per_minute >= t.fillers_noticeable_per_min or stats.percent >= t.fillers_noticeable_percent:
        return "noticeable"
    return "rare"


def length_verdict(speaking_span_s: float, target: tuple[float, float]) -> str:
    low, high = target
    if speaking_span_s < low:
        return "too short"
    return "too long" if speaking_span_s > high else "good"


def pace_series(words: Sequence[Word], window_s: float = 10.0, step_s: float = 5.0) -> list[tuple[float, float]]:
    """Words per minute in a sliding window, for charts. Empty for answers shorter than a window."""
    if not words:
        return []
    first, last = words[0].start_s, words[-1].end_s
    mids = np.array([(w.start_s + w.end_s) / 2 for w in words])
    out = []
    t = first
    while t + window_s <= last + 1e-6:
        n = int(np.count_nonzero((mids >= t) & (mids < t + window_s)))
        out.append((round(t + window_s / 2, 2), round(n / window_s * 60, 1)))
        t += step_s
    return out


def chart_pace(series: Sequence[tuple[float, float]], words: Sequence[Word]) -> list[tuple[float, float]]:
    """The pace to chart: the answer's own series (10 s windows) when it has three points or more,
    else, for a short answer, 3 s windows over its words so it still shows a shape. The app's sparkline
    and the HTML report's chart both draw this, so they agree on whether an answer has a chart."""
    if len(series) >= 3:
        return list(series)
    return pace_series(words, window_s=3.0, step_s=1.0) if words else list(series)


def _speech_bounds(energy: EnergyProfile, words: Sequence[Word]) -> tuple[float, float]:
    """First and last moment of voice, anchored on the first and last recognised words.

    Whisper's first-word start can sit a little early or late; the voiced run that overlaps it gives
    the true onset. Voice far from any word (a cough long before the answer) is not counted.
    """
    first, last = words[0], words[-1]
    start, end = first.start_s, last.end_s
    for span in energy.voiced_spans():
        if span.end_s >= first.start_s - 0.3 and span.start_s <= first.end_s + 0.3:
            start = min(max(span.start_s, first.start_s - 0.5), first.end_s)
            break
    for span in reversed(energy.voiced_spans()):
        if span.start_s <= last.end_s + 0.3 and span.end_s >= last.start_s - 0.3:
            end = max(min(span.end_s, last.end_s + 0.5), last.start_s)
            break
    return start, max(end, start)


def _pauses(
    energy: EnergyProfile, words: Sequence[Word], start_s: float, end_s: float, min_s: float
) -> list[Span]:
    """Silent stretches inside the speaking span, from the audio energy.

    When the recording is too noisy for energy to separate voice from silence (no silent frame at
    all), fall back on the gaps between word timings.
    """
    spans = [
        Span(round(max(s.start_s, start_s), 3), round(min(s.end_s, end_s), 3))
        for s in energy.silent_spans(min_s)
        if s.end_s > start_s and s.start_s < end_s
    ]
    spans = [s for s in spans if s.duration_s >= min_s]
    if spans or not energy.mask.all():
        return spans
    gaps = [Span(a.end_s, b.start_s) for a, b in zip(words, words[1:]) if b.start_s - a.end_s >= min_s]
    return gaps


def _no_speech(duration_s: float, target: tuple[float, float], tone: ToneMetrics | None = None) -> DeliveryMetrics:
    return DeliveryMetrics(
        duration_s=duration_s, speech_start_s=None, speech_end_s=None, speaking_s=0.0, words=0,
        wpm=0.0, articulation_wpm=0.0, pauses=(), long_pauses=(),
        fillers=FillerStats(count=0, per_minute=0.0, percent=0.0, items=()),
        verdicts=Verdicts(pace="n/a", fillers="n/a", length="n/a", speech="no speech detected"),
        target_length_s=target, tone=tone,
    )
