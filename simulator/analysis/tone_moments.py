"""The moments of an answer worth pointing out in its tone: monotone stretches, and phrases that
trail off, rise like a question (uptalk) or drop far quieter than the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.analysis.loudness import HOP_S
from simulator.analysis.thresholds import Thresholds
from simulator.analysis.voicing import VoicedFrames, robust_sd
from simulator.speech.transcript import Word


@dataclass(frozen=True)
class ToneMoment:
    """A stretch of the answer worth pointing out, with what was heard and (for phrases) its quote."""

    kind: str  # monotone | trailing_off | uptalk | quiet
    start_s: float
    end_s: float
    detail: str
    value: float | None = None  # monotone: pitch SD (st); trailing_off, quiet: drop (dB); uptalk: rise (st)
    quote: str = ""  # the phrase's last words, for phrase moments


def monotone_moments(
    f: VoicedFrames, words: Sequence[Word], t: Thresholds
) -> tuple[list[tuple[float, float]], list[ToneMoment]]:
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
            sd = robust_sd(f.st[sl][v])
            series.append((round(start + win / 2, 2), round(sd, 2)))
            (flagged if sd < t.monotone_below_st else passed).append((start, min(start + win, last)))
        start += 1.0
    moments = []
    for a, b in _merge_spans(flagged):
        a, b = _trim(a, b, _merge_spans(passed))
        if b - a < win:
            continue  # flat on average in one window, but no 8 s stretch of it
        sl = f.span(a, b)
        sd = robust_sd(f.st[sl][f.voiced[sl]])
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


def split_phrases(words: Sequence[Word], pause_s: float) -> list[list[Word]]:
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


def _phrase_voice(f: VoicedFrames, ph: Sequence[Word], next_start_s: float | None) -> np.ndarray:
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


def phrase_moments(f: VoicedFrames, phrases: list[list[Word]], t: Thresholds) -> list[ToneMoment]:
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


def _final_rise(f: VoicedFrames, phrase: Sequence[Word], idx: np.ndarray) -> float | None:
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
