"""Hearing the last word Whisper left out.

Whisper sometimes ends its text one word early: the last word of a phrase said just before a pause
is in the sound but not in the transcript. Which phrases it happens to depends on a few milliseconds
of where the phrase was cut ("...where I handled the customer service desk" came back without
"desk" for 14 of 96 bounds around the live phrase's, tried 10 ms apart; stop 41). A decode of the end
alone is no cure: Whisper cannot read half a second out of context ("desk" came back as "with a
snack" or "at the supermarket").

So the sound decides. When more voice follows the last word heard than any word's tail explains
(:data:`UNHEARD_VOICE_S`), the phrase is decoded once more with a short silence before it
(:data:`LEAD_IN_S`: it restored the word in all 14 bounds). The second reading is taken only if it
says everything the first did, word for word, and no more after it than the unheard voice can hold
(:data:`WORDS_PER_VOICED_S`): a retry that reads an earlier word differently is not a better
transcript, only another one, and one that runs on is a loop.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import EnergyProfile
from simulator.speech.hesitations import normalise
from simulator.speech.transcript import Segment, Transcriber, Transcript, text_of

UNHEARD_VOICE_S = 0.25
"""Voiced time after the last word's end that calls for a second reading. Whisper's word times end a
little early, so some voice always follows: at most 0.22 s over 18 phrases read whole, against 0.28-0.33
s where a word was left out."""

LEAD_IN_S = 0.2
"""Silence put before the phrase for its second reading."""

WORDS_PER_VOICED_S = 5.0
"""The most words a second of unheard voice may add (fast speech is about 4 words a second of voice);
at least two are always allowed ("front desk"), never more than :data:`MOST_WORDS`."""
MOST_WORDS = 8


def unheard_voice_s(samples: np.ndarray, transcript: Transcript, energy: EnergyProfile | None = None) -> float:
    """How much voice follows the transcript's last word (0 without word times: nothing to compare)."""
    words = transcript.words
    if not words:
        return 0.0
    energy = energy or EnergyProfile.of(samples)
    last_end = words[-1].end_s
    return sum(max(0.0, s.end_s - max(s.start_s, last_end)) for s in energy.voiced_spans())


def hear_dropped_ending(transcriber: Transcriber, samples: np.ndarray, transcript: Transcript,
                        prompt: str | None) -> Transcript:
    """``transcript``, or a second reading of ``samples`` that adds the words it left off the end."""
    unheard = unheard_voice_s(samples, transcript)
    if unheard < UNHEARD_VOICE_S:
        return transcript
    lead = int(LEAD_IN_S * SAMPLE_RATE)
    padded = np.concatenate([np.zeros(lead, dtype=np.float32), np.asarray(samples, dtype=np.float32)])
    again = transcriber.transcribe(padded, prompt=prompt)
    if not _adds_to(again, transcript, min(MOST_WORDS, max(2, int(unheard * WORDS_PER_VOICED_S)))):
        return transcript
    segments = tuple(_unpadded(s) for s in again.segments)
    return replace(transcript, segments=segments, text=text_of(segments),
                   options={**transcript.options, "ending_heard_again": True})


def _adds_to(again: Transcript, first: Transcript, most: int) -> bool:
    """Whether ``again`` says all ``first`` said, in order and word for word, then 1 to ``most`` words more."""
    said = [w for w in (normalise(x.text) for x in first.words) if w]
    now = [w for w in (normalise(x.text) for x in again.words) if w]
    return 0 < len(now) - len(said) <= most and now[:len(said)] == said


def _unpadded(segment: Segment) -> Segment:
    """A segment of the second reading on the phrase's clock (nothing before its start)."""
    moved = segment.shifted(-LEAD_IN_S)
    words = tuple(replace(w, start_s=max(0.0, w.start_s), end_s=max(0.0, w.end_s)) for w in moved.words)
    return Segment(moved.text, max(0.0, moved.start_s), max(0.0, moved.end_s), words)
