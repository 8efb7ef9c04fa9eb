"""Guarding against Whisper's repetition loops ("see you in the next video" forty times).

Whisper sometimes decodes a short or quiet stretch into one phrase repeated until the window ends,
especially when primed with a prompt. The reference implementation detects this with the gzip
compression ratio of the text (over 2.4 means a loop) and retries at a higher temperature; with
deterministic decoding the retry here is a decode without the prompt, and what still loops is cut
back to its first occurrence.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

import numpy as np

from simulator.speech.transcript import Transcriber, Transcript

COMPRESSION_RATIO_LIMIT = 2.4
"""openai-whisper's ``compression_ratio_threshold``: ordinary speech compresses to about 1.5-2."""

_MIN_CHARS = 40  # short texts compress badly whatever they say


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def is_loop(text: str) -> bool:
    """True when ``text`` is so repetitive that it is almost certainly a decoding loop."""
    return len(text) >= _MIN_CHARS and compression_ratio(text) > COMPRESSION_RATIO_LIMIT


def drop_repeated_segments(transcript: Transcript) -> Transcript:
    """Remove segments whose text repeats an earlier segment of the same transcript word for word.

    A candidate does say the same sentence twice now and then, so this is applied only to a
    transcript already judged a loop by :func:`is_loop`.
    """
    seen: set[str] = set()
    kept = []
    for seg in transcript.segments:
        key = " ".join(seg.text.lower().split())
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(seg)
    text = " ".join(s.text.strip() for s in kept if s.text.strip())
    return replace(transcript, segments=tuple(kept), text=text,
                   options={**transcript.options, "repetition_loop_removed": True})


def transcribe_without_loops(transcriber: Transcriber, samples: np.ndarray, prompt: str | None) -> Transcript:
    """Transcribe; if the result loops, decode again without the prompt, then cut what still loops."""
    transcript = transcriber.transcribe(samples, prompt=prompt)
    if not is_loop(transcript.text):
        return transcript
    if prompt:
        transcript = transcriber.transcribe(samples, prompt=None)
        if not is_loop(transcript.text):
            return replace(transcript, options={**transcript.options, "prompt_dropped_after_loop": prompt})
    return drop_repeated_segments(transcript)
