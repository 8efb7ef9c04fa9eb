"""Tone of voice: pitch variety, loudness, and the moments worth pointing out.

Pitch comes from WORLD's DIO tracker refined by StoneMask (``pyworld``, MIT/modified-BSD): on two cores
it takes about 1-2% of real time and has no first-call compilation, where ``librosa.pyin`` took about
40% of real time and 9 s (up to a minute on a fresh install) to compile on its first call
(``bench/tone.py``, README "Tone of voice").

Everything is relative to the speaker: pitch in semitones from their own median F0 (so men and women
compare, Traunmüller & Eriksson) and spreads taken from percentiles, so the odd octave error of the
tracker moves nothing. Loudness is in dB relative to full scale, per word and per phrase, using the
transcript's word times.

Built in two steps so the live recorder can do the heavy part while the candidate speaks:

* :func:`track_phrase` turns one phrase's samples into a :class:`ToneTrack` (F0 and level every 10 ms,
  in clip time). It is the only step that touches the samples.
* :func:`merge_tracks` joins the tracks of consecutive phrases, and :func:`summarise_tone` turns the
  merged track and the transcript's words into :class:`ToneMetrics` (milliseconds).
  :class:`PhraseToneTracker` wraps the two for a recorder.

:func:`analyse_tone` does both for a whole recording at once.
"""

from __future__ import annotations

import importlib.util
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Word

HOP_S = 0.01
F0_FLOOR_HZ = 60.0
F0_CEIL_HZ = 400.0
_FLOOR_DB = -100.0
_MIN_RUN_FRAMES = 5  # voiced runs shorter than 50 ms are tracker noise, not syllables
_OCTAVE_GUARD_ST = 10.0  # frames this far from the median are octave errors (speech rarely goes there)
_CHUNK_S = 10.0  # the whole-recording path tracks at most this much at a time (memory stays flat)

NOT_ENOUGH = "not enough voiced speech"


@cache
def _pyworld() -> Any:
    """The compiled WORLD module.

    pyworld 0.3.5 (the newest on PyPI for Python 3.11) imports ``pkg_resources`` only to read its own
    version, and setuptools 81 removed that module. When the package cannot be imported for that
    reason, its compiled extension is loaded directly: it needs nothing from the package.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pkg_resources' deprecation warning on older setuptools
            import pyworld  # noqa: PLC0415

        return pyworld
    except ModuleNotFoundError as e:
        if e.name != "pkg_resources":
            raise
    spec = importlib.util.find_spec("pyworld")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyworld is not installed", name="pyworld")
    from pathlib import Path  # noqa: PLC0415

    folder = Path(next(iter(spec.submodule_search_locations)))
    ext = next(folder.glob("pyworld*.so"), None) or next(folder.glob("pyworld*.pyd"))
    ext_spec = importlib.util.spec_from_file_location("pyworld.pyworld", ext)
    assert ext_spec is not None and ext_spec.loader is not None
    module = importlib.util.module_from_spec(ext_spec)
    ext_spec.loader.exec_module(module)
    return module


# --- step 1: one phrase's samples -> a track ------------------------------------------------------


@dataclass(frozen=True)
class ToneTrack:
    """F0 (Hz, 0 where unvoiced) and level (dBFS) every 10 ms, frame ``i`` at ``start_s + i * 0.01``."""

    start_s: float
    f0_hz: np.ndarray
    level_db: np.ndarray
    clipped_samples: int = 0

    @property
    def end_s(self) -> float:
        return self.start_s + len(self.f0_hz) * HOP_S


def track_phrase(samples: np.ndarray, start_s: float = 0.0) -> ToneTrack:
    """Pitch and loudness of one stretch of 16 kHz mono audio that starts at ``start_s`` in the clip.

    A phrase of a few seconds costs a few milliseconds; call it as each phrase ends and keep the tracks.
    ``start_s`` should be a multiple of 10 ms so the tracks of neighbouring phrases line up.
    """
    x = np.ascontiguousarray(samples, dtype=np.float64)
    hop = int(HOP_S * SAMPLE_RATE)
    if len(x) < 2 * hop:
        return ToneTrack(start_s, np.zeros(0), np.zeros(0), 0)
    pw = _pyworld()
    f0, t = pw.dio(x, SAMPLE_RATE, f0_floor=F0_FLOOR_HZ, f0_ceil=F0_CEIL_HZ, frame_period=HOP_S * 1000,
                   speed=2)  # DIO works at 8 kHz: half the time, the same F0 (bench/tone.py)
    f0 = pw.stonemask(x, f0, t, SAMPLE_RATE)
    return ToneTrack(round(start_s, 3), np.asarray(f0, np.float64), _frame_levels(x, len(f0)), _clipped(x))


def _frame_levels(x: np.ndarray, n: int) -> np.ndarray:
    """RMS level of a 20 ms window centred on each 10 ms frame, in dBFS."""
    hop = int(HOP_S * SAMPLE_RATE)
    padded = np.pad(x, (hop, hop * 2))
    power = np.square(padded)
    csum = np.concatenate([[0.0], np.cumsum(power)])
    starts = np.arange(n) * hop  # window [k*hop - hop, k*hop + hop) in x == [k*hop, k*hop + 2hop) padded
    ms = (csum[starts + 2 * hop] - csum[starts]) / (2 * hop)
    return np.maximum(10 * np.log10(np.maximum(ms, 1e-20)), _FLOOR_DB)


def _clipped(x: np.ndarray) -> int:
    """Samples in flat-topped runs (4+ samples within 0.05% of the peak): the sign of clipping."""
    a = np.abs(x)
    peak = float(a.max()) if len(a) else 0.0
    if peak < 0.05:
        return 0
    at = np.concatenate([[False], a >= peak * 0.9995, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(at))
    runs = edges[1::2] - edges[0::2]
    return int(runs[runs >= 4].sum())


def merge_tracks(tracks: Iterable[ToneTrack]) -> ToneTrack:
    """One track on the clip's time axis from the tracks of several phrases (gaps are unvoiced)."""
    tracks = [t for t in tracks if len(t.f0_hz)]
    if not tracks:
        return ToneTrack(0.0, np.zeros(0), np.zeros(0), 0)
    n = max(int(round(t.start_s / HOP_S)) + len(t.f0_hz) for t in tracks)
    f0 = np.zeros(n)
    level = np.full(n, _FLOOR_DB)
    for t in sorted(tracks, key=lambda t: t.start_s):
        i = int(round(t.start_s / HOP_S))
        f0[i : i + len(t.f0_hz)] = t.f0_hz
        level[i : i + len(t.level_db)] = t.level_db
    return ToneTrack(0.0, f0, level, sum(t.clipped_samples for t in tracks))


class PhraseToneTracker:
    """Collects phrase tracks while the candidate speaks, so the answer's wait holds only the summary.

    Call :meth:`add_phrase` with each phrase's samples as the phrase ends (off the audio thread: a 5 s
    phrase costs about 50 ms), then pass :meth:`track` to ``analyse_delivery(..., tone_track=...)``.
    """

    def __init__(self) -> None:
        self._tracks: list[ToneTrack] = []

    def add_phrase(self, samples: np.ndarray, start_s: float) -> None:
        self._tracks.append(track_phrase(samples, round(start_s / HOP_S) * HOP_S))

    def track(self) -> ToneTrack:
        return merge_tracks(self._tracks)


def track_recording(samples: np.ndarray) -> ToneTrack:
    """The track of a whole recording, tracked in chunks of at most 10 s cut at the quietest moment."""
    hop = int(HOP_S * SAMPLE_RATE)
    chunk = int(_CHUNK_S * SAMPLE_RATE)
    tracks, start = [], 0
    while start < len(samples):
        end = len(samples)
        if end - start > chunk:
            lo, hi = start + chunk * 3 // 4, start + chunk
            frames = samples[lo:hi][: (hi - lo) // hop * hop].reshape(-1, hop)
            quietest = int(np.argmin(np.mean(np.square(frames, dtype=np.float64), axis=1)))
            end = lo + quietest * hop
        tracks.append(track_phrase(samples[start:end], start / SAMPLE_RATE))
        start = end
    return merge_tracks(tracks)


# --- step 2: track + words -> measures, verdicts and moments ---------------------------------------


@dataclass(frozen=True)
class ToneMoment:
    kind: str  # monotone | trailing_off | uptalk | quiet
    start_s: float
    end_s: float
    detail: str
    value: float | None = None  # monotone: pitch SD (st); trailing_off, quiet: drop (dB); uptalk: rise (st)
    quote: str = ""  # the phrase's last words, for phrase moments


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
    f = _Frames.of(track, words)
    voiced_s = round(f.voiced.sum() * HOP_S, 2)
    if voiced_s < t.tone_min_voiced_s:
        return _not_enough(f"only {voiced_s:.1f} s of voiced speech; {t.tone_min_voiced_s:.0f} s are needed "
                           "(a whisper, noise or a very short answer)", voiced_s)
    clipped_share = track.clipped_samples / (f.voiced.sum() * HOP_S * SAMPLE_RATE)
    if clipped_share > t.tone_max_clipped_share:
        return _not_enough(f"the recording is clipped ({100 * clipped_share:.0f}% of the voiced audio is "
                           "flat-topped): lower the microphone gain", voiced_s)

    st = f.st[f.voiced]
    median_hz = float(np.exp(np.median(np.log(f.f0[f.voiced]))))
    sd_st = _robust_sd(st)
    range_st = float(np.percentile(st, 95) - np.percentile(st, 5))
    word_levels = np.array([lv for w in words if (lv := f.word_level(w)) is not None])
    loud_db = float(np.median(word_levels)) if len(word_levels) else float(np.median(f.level[f.voiced]))
    loud_sd = _robust_sd(word_levels) if len(word_levels) >= t.tone_min_words else 0.0

    series, monotone = _monotone(f, words, t)
    phrases = _phrases(words, t.pause_min_s)
    moments = [*monotone, *_phrase_moments(f, phrases, t)]
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
    )


def _not_enough(reason: str, voiced_s: float = 0.0) -> ToneMetrics:
    return ToneMetrics(status=NOT_ENOUGH, reason=reason, voiced_s=voiced_s)


def _robust_sd(x: np.ndarray) -> float:
    """SD with the outer 2.5% at each end pulled in to the 2.5th/97.5th percentile (winsorised).

    Close to the plain SD the published thresholds use, but a few octave errors or a stray frame
    cannot move it far.
    """
    if len(x) < 2:
        return 0.0
    lo, hi = np.percentile(x, [2.5, 97.5])
    return float(np.std(np.clip(x, lo, hi)))


@dataclass(frozen=True)
class _Frames:
    """The track cleaned for judging: F0 smoothed, short runs and octave errors dropped, words only."""

    f0: np.ndarray
    st: np.ndarray  # semitones from the speaker's median (0 where unvoiced)
    level: np.ndarray
    voiced: np.ndarray

    @classmethod
    def of(cls, track: ToneTrack, words: Sequence[Word]) -> _Frames:
        offset = int(round(track.start_s / HOP_S))
        last = max(int(np.ceil(words[-1].end_s / HOP_S)) + 20, offset + len(track.f0_hz))
        f0 = np.zeros(last)
        level = np.full(last, _FLOOR_DB)
        f0[offset : offset + len(track.f0_hz)] = track.f0_hz
        level[offset : offset + len(track.level_db)] = track.level_db
        voiced = f0 > 0
        voiced &= _in_words(words, last)
        voiced = _drop_short_runs(voiced, _MIN_RUN_FRAMES)
        if voiced.any():
            # Frames far quieter than the voice are breath, hum or a tracker guess in background noise.
            voiced &= level > np.percentile(level[voiced], 95) - 35.0
        f0 = np.where(voiced, _median5(np.where(voiced, f0, np.nan)), 0.0)
        st = np.zeros(last)
        if voiced.any():
            st[voiced] = 12 * np.log2(f0[voiced] / np.median(f0[voiced]))
            voiced &= np.abs(st) <= _OCTAVE_GUARD_ST
            if voiced.any():
                st = np.where(voiced, 12 * np.log2(np.where(voiced, f0, 1.0) / np.median(f0[voiced])), 0.0)
        return cls(f0, st, level, voiced)

    def span(self, start_s: float, end_s: float) -> slice:
        return slice(max(int(round(start_s / HOP_S)), 0), max(int(round(end_s / HOP_S)), 0))

    def word_level(self, w: Word) -> float | None:
        """A word's loudness: the 90th percentile of its frame levels (robust to loose word times)."""
        lv = self.level[self.span(w.start_s, w.end_s)]
        return float(np.percentile(lv, 90)) if len(lv) >= 3 else None


def _in_words(words: Sequence[Word], n: int, pad_s: float = 0.1) -> np.ndarray:
    mask = np.zeros(n, bool)
    for w in words:
        mask[max(int((w.start_s - pad_s) / HOP_S), 0) : int(np.ceil((w.end_s + pad_s) / HOP_S))] = True
    return mask


def _drop_short_runs(mask: np.ndarray, min_len: int) -> np.ndarray:
    padded = np.concatenate([[0], mask.astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(padded))
    out = mask.copy()
    for s, e in zip(edges[0::2], edges[1::2]):
        if e - s < min_len:
            out[s:e] = False
    return out


def _median5(x: np.ndarray) -> np.ndarray:
    """Median over 5 frames, ignoring NaN (unvoiced) neighbours."""
    padded = np.pad(x, 2, constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 5)
    # All-NaN windows (unvoiced) stay NaN. They are left out rather than silenced with
    # warnings.catch_warnings, which is not thread-safe (tone is tracked on a thread of its own).
    out = np.full(len(windows), np.nan)
    voiced = ~np.all(np.isnan(windows), axis=1)
    if voiced.any():
        out[voiced] = np.nanmedian(windows[voiced], axis=1)
    return out


def _monotone(f: _Frames, words: Sequence[Word], t: Thresholds) -> tuple[list[tuple[float, float]], list[ToneMoment]]:
    """Pitch SD in each 8 s window (1 s steps); runs of windows under 2 st become monotone moments."""
    win = t.monotone_window_s
    first, last = words[0].start_s, words[-1].end_s
    series: list[tuple[float, float]] = []
    flagged: list[tuple[float, float]] = []
    passed: list[tuple[float, float]] = []
    start = first
    min_voiced = int(win * 0.2 / HOP_S)  # at least 1.6 s of voice in 8 s
    while start + win <= last + 0.5:
        sl = f.span(start, start + win)
        v = f.voiced[sl]
        if v.sum() >= min_voiced:
            sd = _robust_sd(f.st[sl][v])
            series.append((round(start + win / 2, 2), round(sd, 2)))
            (flagged if sd < t.monotone_below_st else passed).append((start, min(start + win, last)))
        start += 1.0
    moments = []
    for a, b in _merge_spans(flagged):
        a, b = _trim(a, b, _merge_spans(passed))
        if b - a < win:
            continue  # flat on average in one window, but no 8 s stretch of it
        sl = f.span(a, b)
        sd = _robust_sd(f.st[sl][f.voiced[sl]])
        moments.append(ToneMoment("monotone", round(a, 2), round(b, 2),
                                  f"pitch varied by only about {sd:.1f} semitones (SD) for {b - a:.0f} s", round(sd, 2)))
    return series, moments


def _trim(a: float, b: float, passed: list[tuple[float, float]]) -> tuple[float, float]:
    """Where in a run of flat windows the flatness is.

    A window straddling a lively and a flat stretch can come out either way, so the run's edge is put
    halfway between the first flat window's start and the last lively window's end (and likewise at
    the other end).
    """
    lo, hi = a, b
    for pa, pb in passed:
        if pa <= a < pb:
            lo = max(lo, (a + pb) / 2)
        if pa < b <= pb:
            hi = min(hi, (b + pa) / 2)
    return lo, hi


def _merge_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# --- phrases: trailing off, uptalk, quiet ----------------------------------------------------------

_QUESTION_STARTS = frozenset(
    "what why how when where who whom whose which do does did is are was were am can could would will "
    "should shall have has had may might must isn't aren't wasn't weren't don't doesn't didn't can't "
    "couldn't wouldn't won't shouldn't haven't hasn't".split()
)
_TAGS = frozenset("right okay ok yeah eh no".split())


def _norm(text: str) -> str:
    return re.sub(r"^[^\w']+|[^\w']+$", "", text.lower().replace("\u2019", "'"))


def _phrases(words: Sequence[Word], pause_s: float) -> list[list[Word]]:
    """Words grouped at sentence punctuation and at silent gaps of at least ``pause_s``."""
    out: list[list[Word]] = []
    for w in words:
        if out and (w.start_s - out[-1][-1].end_s < pause_s) and not out[-1][-1].text.rstrip().endswith((".", "?", "!")):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def is_question(phrase: Sequence[Word]) -> bool:
    """A real question: ends with "?" and starts like one ("how would…", "…, right?").

    A statement that Whisper punctuated with "?" because its end rose ("I offered a refund?") is
    exactly uptalk, so "?" alone does not make a question.
    """
    if not phrase or not phrase[-1].text.rstrip().endswith("?"):
        return False
    first = [_norm(w.text) for w in phrase[:3]]
    return any(x in _QUESTION_STARTS for x in first[:2]) or _norm(phrase[-1].text) in _TAGS


def ends_with_tag(phrase: Sequence[Word]) -> bool:
    """Ends on a tag ("…, you know.", "…, right.") whose rise is the tag's, not the statement's."""
    last = [_norm(w.text) for w in phrase[-2:]]
    return last[-1] in _TAGS or last == ["you", "know"]


def _quote(phrase: Sequence[Word], n: int = 5) -> str:
    """The phrase's last ``n`` words, without its closing punctuation."""
    text = " ".join(w.text.strip() for w in phrase[-n:]).rstrip(".?!,;:")
    return ("… " if len(phrase) > n else "") + text


def _phrase_voice(f: _Frames, ph: Sequence[Word], next_start_s: float | None) -> np.ndarray:
    """Indices of the voiced frames that belong to a phrase.

    Whisper's last word often runs on into the next sentence's first sound, so the phrase stops at
    the next phrase's first word, and voice that starts after a silent gap of 0.2 s or more near the
    last word's end (the next sentence's onset, a breath) is left out.
    """
    stop = ph[-1].end_s + 0.1
    if next_start_s is not None:
        stop = min(stop, max(next_start_s, ph[-1].end_s - 0.1))
    sl = f.span(ph[0].start_s - 0.05, stop)
    idx = np.flatnonzero(f.voiced[sl]) + sl.start
    if len(idx) < 2:
        return idx
    breaks = np.flatnonzero(np.diff(idx) >= 20)  # gaps of 0.2 s or more
    for b in breaks[::-1]:
        if idx[b + 1] * HOP_S > ph[-1].end_s - 0.1:
            idx = idx[: b + 1]
    return idx


def _phrase_moments(f: _Frames, phrases: list[list[Word]], t: Thresholds) -> list[ToneMoment]:
    out: list[ToneMoment] = []
    nexts = [p[0].start_s for p in phrases[1:]] + [None]
    # Uptalk is judged on sentence ends: a rise before a comma or mid-sentence pause is the ordinary
    # continuation rise ("… by mistake, and she was upset"). Without any punctuation (some engines),
    # every phrase at a pause counts, and the last phrase of the answer always does.
    punctuated = any(w.text.rstrip().endswith((".", "?", "!")) for ph in phrases for w in ph)
    ends = [not punctuated or ph[-1].text.rstrip().endswith((".", "?", "!")) or i == len(phrases) - 1
            for i, ph in enumerate(phrases)]
    voices = [_phrase_voice(f, ph, nxt) for ph, nxt in zip(phrases, nexts)]
    levels = [float(np.median(f.level[idx])) if len(idx) >= 10 else None for idx in voices]
    known = [lv for lv in levels if lv is not None]
    typical = float(np.median(known)) if known else None
    for ph, idx, lv, sentence_end in zip(phrases, voices, levels, ends):
        if lv is None:
            continue
        start, end = round(ph[0].start_s, 2), round(ph[-1].end_s, 2)
        quote = _quote(ph)
        if typical is not None and len(ph) >= 2 and typical - lv > t.quiet_phrase_drop_db:
            out.append(ToneMoment("quiet", start, end, f"“{quote}” was {typical - lv:.0f} dB quieter than the rest",
                                  round(typical - lv, 1), quote))
            continue
        if len(ph) < 3 or len(idx) < 40:
            continue
        drop = lv - float(np.median(f.level[idx[-20:]]))
        if drop > t.trailing_off_drop_db:
            out.append(ToneMoment("trailing_off", round(float(idx[-20] * HOP_S), 2), end,
                                  f"the end of “{quote}” was {drop:.0f} dB quieter than the phrase",
                                  round(drop, 1), quote))
        if sentence_end and not is_question(ph) and not ends_with_tag(ph):
            rise = _final_rise(f, ph, idx)
            if rise is not None and rise > t.uptalk_rise_st:
                out.append(ToneMoment("uptalk", round(ph[-1].start_s, 2), end,
                                      f"“{quote}” rose {rise:.1f} semitones at the end, like a question",
                                      round(rise, 1), quote))
    return out


def _final_rise(f: _Frames, phrase: Sequence[Word], idx: np.ndarray) -> float | None:
    """Semitones from the lowest point of the last word (at most its last 0.8 s, at least 0.4 s) up to
    where the voice ends."""
    if not len(idx):
        return None
    end_s = idx[-1] * HOP_S
    from_s = max(min(phrase[-1].start_s - 0.1, end_s - 0.4), end_s - 0.8)
    tail = idx[idx * HOP_S >= from_s]
    if len(tail) < 12:
        return None
    st = f.st[tail]
    return float(np.median(st[-6:])) - float(np.min(st[:-6]))
