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

MAX_TOKENS_PER_S = 10.0
"""A bound on what the decoder may write per second of audio. Fast speech (the 226 wpm fixture) is
about 5 tokens a second with its timestamps; a loop writes until the 224-token window limit, which
on a 5 s phrase costs the prompted filler pass 4-5 s instead of about 1.3 s (measured, tiny.en int8)."""
_TOKEN_SLACK = 24
MAX_TOKENS_CAP = 220
"""Whisper's context is 448 tokens, prompt included, and faster-whisper refuses a prompt plus limit
beyond it; the longest prompt it keeps is about 226 tokens. 220 a window is still 7 tokens a second
over 30 s, above any conversational pace."""


def max_new_tokens(n_samples: int, sample_rate: int = 16_000) -> int:
    """The most tokens a decode of ``n_samples`` of audio may write per 30 s window.

    Normal speech never comes near it, so the text is unchanged; a repetition loop in a short phrase
    is cut short (and then caught by :func:`is_loop`) instead of running to the end of the window.
    """
    return min(int(n_samples / sample_rate * MAX_TOKENS_PER_S) + _TOKEN_SLACK, MAX_TOKENS_CAP)


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
