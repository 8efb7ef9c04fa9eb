"""Long recordings transcribed in parts cut at silences, so the decoder's memory does not grow with
the recording, and joined back on the recording's clock."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import HOP_S, EnergyProfile
from simulator.speech.filler_recovery import transcribe_and_recover
from simulator.speech.hesitations import Filler
from simulator.speech.transcript import Transcriber, Transcript

PART_S = 120.0
"""A recording longer than :data:`LONG_S` is transcribed in parts of about this length, so the
decoder's memory (its features cover what it is given) does not grow with the recording."""
LONG_S = 150.0
_SEARCH_S = 25.0  # a part ends at the longest silence in the last this-many seconds before PART_S


def transcribe_in_parts(
    transcriber: Transcriber, samples: Any, prompt: str | None, recover: bool
) -> tuple[Transcript, list[Filler]]:
    """:func:`transcribe_and_recover` on the whole recording, or on parts cut at silences and joined
    back on the recording's clock when it is longer than :data:`LONG_S`."""
    if len(samples) <= LONG_S * SAMPLE_RATE:
        return transcribe_and_recover(transcriber, samples, prompt, recover=recover)
    cuts = _cut_points(samples)
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        transcript, fillers = transcribe_and_recover(transcriber, samples[a:b], prompt, recover=recover)
        parts.append((a / SAMPLE_RATE, transcript, fillers))
    return _joined(parts)


def _cut_points(samples: Any) -> list[int]:
    """Sample offsets of the parts' bounds: each cut in the middle of the longest silence in the
    :data:`_SEARCH_S` seconds before the part would reach :data:`PART_S` (at that point if none)."""
    mask = EnergyProfile.of(samples).mask  # voiced frames, HOP_S apart
    hop = int(HOP_S * SAMPLE_RATE)
    cuts = [0]
    while len(samples) - cuts[-1] > LONG_S * SAMPLE_RATE:
        lo = cuts[-1] + int((PART_S - _SEARCH_S) * SAMPLE_RATE)
        hi = cuts[-1] + int(PART_S * SAMPLE_RATE)
        window = mask[lo // hop: hi // hop]
        best, best_len, run_start = hi, 0, None
        for i, voiced in enumerate([*window, True]):
            if not voiced and run_start is None:
                run_start = i
            elif voiced and run_start is not None:
                if i - run_start > best_len:
                    best_len = i - run_start
                    best = lo + ((run_start + i) // 2) * hop
                run_start = None
        cuts.append(best)
    cuts.append(len(samples))
    return cuts


def _joined(parts: list[tuple[float, Transcript, list[Filler]]]) -> tuple[Transcript, list[Filler]]:
    """One transcript (and filler list) from the parts', each moved by its part's start time."""
    segments, fillers, texts = [], [], []
    for offset, t, found in parts:
        segments += [seg.shifted(offset) for seg in t.segments]
        fillers += [replace(f, start_s=f.start_s + offset, end_s=f.end_s + offset) for f in found]
        if t.text.strip():
            texts.append(t.text.strip())
    first = parts[0][1]
    options = {**first.options, "parts": len(parts)}
    return Transcript(" ".join(texts), tuple(segments), first.engine, first.model, options), fillers
