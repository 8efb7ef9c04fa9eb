"""Guarding against Whisper's repetition loops ("see you in the next video" forty times).

Whisper sometimes decodes a short or quiet stretch into one phrase repeated until the window ends,
especially when primed with a prompt. The reference implementation detects this with the gzip
compression ratio of the text (over 2.4 means a loop) and retries at a higher temperature; with
deterministic decoding the retry here is a decode without the prompt, and what still loops is cut
back to its first occurrence.

Whisper can also get stuck on one sound: an "um" before a thinking pause came out as a single "word"
of two hundred m's, and the decoder wrote nothing more for the rest of the window, so the 30 words
after the pause were lost (heldout8 voice set, v8-06). Such a runaway word is cut at the silence after
it, kept as the hesitation it was, and the audio after that silence is decoded again
(:func:`resume_after_runaways`).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import replace

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import EnergyProfile
from simulator.speech.dropped_ending import hear_dropped_ending
from simulator.speech.hesitations import is_hesitation, normalise
from simulator.speech.transcript import Segment, Transcriber, Transcript, Word, text_of

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
    text = text_of(kept)
    return replace(transcript, segments=tuple(kept), text=text,
                   options={**transcript.options, "repetition_loop_removed": True})


RUNAWAY_MIN_LETTERS = 12
"""A "word" of at least this many letters, nearly all of them one letter (:data:`RUNAWAY_SHARE`), is the
decoder stuck on one sound ("ummmmmmmmmmmm..."). English words this long use many letters: the
commonest letter of "responsibilities" is 3 of its 16."""

RUNAWAY_SHARE = 0.7

RESUME_PAUSE_S = 0.3
"""The silence after a runaway word where decoding starts again: a thinking pause, longer than the
gaps between words, so the held sound is over."""

MAX_RESUMES = 4
"""Runaway words resumed after, at most, in one decode: each resume moves past a pause, so a few
cover any answer; past that the rest is left as it is rather than decoded again and again."""


def is_runaway(text: str) -> bool:
    """Whether a word is the decoder stuck on one letter's sound."""
    letters = [c for c in text.lower() if c.isalpha()]
    if len(letters) < RUNAWAY_MIN_LETTERS:
        return False
    return max(letters.count(c) for c in set(letters)) >= RUNAWAY_SHARE * len(letters)


def resume_after_runaways(transcriber: Transcriber, samples: np.ndarray, transcript: Transcript,
                          prompt: str | None) -> Transcript:
    """The transcript with each runaway word cut back and the speech after its pause decoded again.

    The runaway word is kept as the hesitation it spells ("ummmm..." is an "umm", "mmmm..." an "mm",
    timed up to the pause), or dropped when it spells none. Without a pause after it, nothing is
    decoded again: the rest of the recording is the held sound.
    """
    pauses = None
    for _ in range(MAX_RESUMES):
        stuck = next((w for w in transcript.words if is_runaway(w.text)), None)
        if stuck is None:
            return transcript
        pauses = pauses if pauses is not None else EnergyProfile.of(samples).silent_spans(RESUME_PAUSE_S)
        pause = next((p for p in pauses if p.start_s > stuck.start_s), None)
        spelt = re.sub(r"(.)\1{2,}", r"\1\1", normalise(stuck.text))  # "ummmm..." -> "umm", "mmmm..." -> "mm"
        held = (Word(spelt, stuck.start_s, pause.start_s if pause else stuck.end_s, stuck.probability),) \
            if is_hesitation(spelt) else ()
        segments = [*_before(transcript, stuck, held)]
        if pause is not None:
            resume_s = (pause.start_s + pause.end_s) / 2
            rest = transcriber.transcribe(samples[int(resume_s * SAMPLE_RATE):], prompt=prompt)
            segments += [seg.shifted(resume_s) for seg in rest.segments]
        resumed = transcript.options.get("resumed_after_runaway", 0) + 1
        transcript = replace(transcript, segments=tuple(segments), text=" ".join(seg.text for seg in segments),
                             options={**transcript.options, "resumed_after_runaway": resumed})
        if pause is None:
            return transcript
    return transcript


def _before(transcript: Transcript, stuck: Word, held: tuple[Word, ...]) -> list[Segment]:
    """The segments up to the runaway word, the one holding it cut back and ended with ``held``."""
    kept: list[Segment] = []
    for seg in transcript.segments:
        if stuck not in seg.words:
            kept.append(seg)
            continue
        words = (*seg.words[: seg.words.index(stuck)], *held)
        if words:
            kept.append(Segment(" ".join(w.text for w in words), seg.start_s, words[-1].end_s, words))
        break
    return kept


LOOP_RUN = 3
"""A phrase of one to :data:`LOOP_PERIOD_MAX` words said this many times running, inside one segment,
is the decoder looping ("three, four, three, four, ..."): a person repeats a word or two, not three
times over."""
LOOP_PERIOD_MAX = 8


def repeat_start(tokens: list[str]) -> int:
    """How many of ``tokens`` come before a phrase said :data:`LOOP_RUN` times running, plus that
    phrase once (all of them when none is)."""
    said = [normalise(t) for t in tokens]
    for p in range(len(said)):
        for k in range(1, LOOP_PERIOD_MAX + 1):
            if p + LOOP_RUN * k > len(said):
                break
            if all(said[p + i * k: p + (i + 1) * k] == said[p: p + k] for i in range(1, LOOP_RUN)):
                return p + k
    return len(said)


def _loops_in_words(segment: Segment) -> bool:
    """A segment that loops on a phrase of whole words (a word stuck on one sound is a runaway,
    :func:`resume_after_runaways`)."""
    tokens = [w.text for w in segment.words] or segment.text.split()
    return is_loop(segment.text) and repeat_start(tokens) < len(tokens)


def _cut_back(segment: Segment) -> Segment | None:
    """The segment up to its repeated phrase, said once (None when nothing is left)."""
    if segment.words:
        kept = segment.words[: repeat_start([w.text for w in segment.words])]
        return Segment(" ".join(w.text for w in kept), segment.start_s, kept[-1].end_s, kept) if kept else None
    tokens = segment.text.split()  # an engine without word times
    kept_text = " ".join(tokens[: repeat_start(tokens)])
    return Segment(kept_text, segment.start_s, segment.end_s) if kept_text else None


def decode_loop_again(transcriber: Transcriber, samples: np.ndarray, transcript: Transcript) -> Transcript:
    """A loop inside one segment, which :func:`drop_repeated_segments` cannot see: the audio from that
    segment's start is decoded again on its own; if that loops too, the segment is cut back to the
    first time its phrase was said (:func:`repeat_start`). Either way the rest of the transcript stays.

    A whole-file decode of a heldout17 voice answer ran "three, four, three, four, ..." for its last
    2.3 s (80 words) and lost the sentence said there (stop 41)."""
    at = next((i for i, seg in enumerate(transcript.segments) if _loops_in_words(seg)), None)
    if at is None:
        return transcript
    looping = transcript.segments[at]
    start = max(0.0, looping.start_s)
    again = transcriber.transcribe(samples[int(start * SAMPLE_RATE):], prompt=None)
    if again.text.strip() and not is_loop(again.text):
        tail = [seg.shifted(start) for seg in again.segments]
    else:
        cut = _cut_back(looping)
        tail = [cut] if cut is not None else []
    segments = (*transcript.segments[:at], *tail)
    return replace(transcript, segments=segments, text=text_of(segments),
                   options={**transcript.options, "loop_decoded_again": True})


_LOOP_MENDED = ("prompt_dropped_after_loop", "repetition_loop_removed", "loop_decoded_again", "resumed_after_runaway")
"""Options a transcript carries once a loop or a runaway was mended (see the functions above)."""


def transcribe_without_loops(transcriber: Transcriber, samples: np.ndarray, prompt: str | None) -> Transcript:
    """Transcribe; if the result loops, decode again without the prompt, then cut what still loops
    (a segment said again, a loop inside a segment), decode again after a word stuck on one sound, and
    read the phrase again if its last word was left out (:mod:`simulator.speech.dropped_ending`)."""
    transcript = transcriber.transcribe(samples, prompt=prompt)
    if is_loop(transcript.text):
        retried = transcriber.transcribe(samples, prompt=None) if prompt else transcript
        if retried is not transcript and not is_loop(retried.text):
            transcript = replace(retried, options={**retried.options, "prompt_dropped_after_loop": prompt})
        else:
            transcript = decode_loop_again(transcriber, samples, drop_repeated_segments(retried))
    transcript = resume_after_runaways(transcriber, samples, transcript, prompt)
    if any(k in transcript.options for k in _LOOP_MENDED):
        return transcript  # a loop cut back leaves voice "unheard" that a second reading would loop on again
    return hear_dropped_ending(transcriber, samples, transcript, prompt)

