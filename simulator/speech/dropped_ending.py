"""Hearing the last word Whisper left out.

Whisper sometimes ends its text one word early: the last word of a phrase said just before a pause
is in the sound but not in the transcript. Which phrases it happens to depends on a few milliseconds
of where the phrase was cut ("...where I handled the customer service desk" came back without
"desk" for 14 of 96 bounds around the live phrase's, tried 10 ms apart; stop 41). A decode of the end
alone is no cure: Whisper cannot read half a second out of context ("desk" came back as "with a
snack" or "at the supermarket").

So the sound decides. When more voice follows the last word heard than any word's tail explains
(:data:`UNHEARD_VOICE_S`), the phrase is decoded once more with a short silence before it
(:data:`LEAD_IN_S`: it restored the word in all 14 bounds). The first reading stands; the second
only lends it the words it says after the first reading's last words (:data:`ANCHOR_WORDS`, said
at about the same time), and no more of them than the unheard voice can hold
(:data:`WORDS_PER_VOICED_S`): one that runs on is a loop. The second reading is not asked to agree
on anything earlier. Stop 41's live run lost "desk" because its second reading wrote "three years"
where the first had "3 years". Of 120 readings of that phrase under noise too small to hear (stop 42,
``bench/dropped_ending_noise.py``), 26 left "desk" out; a second reading asked to agree word for word
gave it back to 2 of them (the others said "three" for "3" or "business" for "busy"), this rule to
all 26. Numbers count as the same word in digits or in words.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from text_to_num import alpha2digit

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.energy import EnergyProfile
from simulator.speech.hesitations import normalise
from simulator.speech.transcript import Segment, Transcriber, Transcript, Word, text_of

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

ANCHOR_WORDS = 2
"""How many of the first reading's last words the second must say just before the words it adds."""
ANCHOR_SLACK_S = 0.5
"""How far apart in time the two readings may place the last of those words (the lead-in taken off)."""


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
    """``transcript``, or with the words a second reading of ``samples`` hears after its last ones."""
    unheard = unheard_voice_s(samples, transcript)
    if unheard < UNHEARD_VOICE_S:
        return transcript
    lead = int(LEAD_IN_S * SAMPLE_RATE)
    padded = np.concatenate([np.zeros(lead, dtype=np.float32), np.asarray(samples, dtype=np.float32)])
    again = [_unpadded(w) for w in transcriber.transcribe(padded, prompt=prompt).words]
    added = _words_after(transcript.words, again)
    if not 0 < len(added) <= min(MOST_WORDS, max(2, int(unheard * WORDS_PER_VOICED_S))):
        return transcript
    *before, last = transcript.segments
    ending = Segment(" ".join([last.text.strip(), *(w.text for w in added)]), last.start_s,
                     max(last.end_s, added[-1].end_s), (*last.words, *added))
    segments = (*before, ending)
    return replace(transcript, segments=segments, text=text_of(segments),
                   options={**transcript.options, "ending_heard_again": True})


def _words_after(first: tuple[Word, ...], again: list[Word]) -> list[Word]:
    """The words of ``again`` after the place where it says ``first``'s last words at about the
    same time (none if it never does)."""
    said, now = _as_compared(first), _as_compared(again)
    if not said:  # a first reading of punctuation alone ("...", a music note): nothing to anchor on
        return []
    n = min(ANCHOR_WORDS, len(said))
    for j in range(len(now), n - 1, -1):
        if [w for w, _ in now[j - n:j]] == [w for w, _ in said[-n:]] and \
                abs(now[j - 1][1].end_s - said[-1][1].end_s) <= ANCHOR_SLACK_S:
            return [word for _, word in now[j:]]
    return []


def _as_compared(words) -> list[tuple[str, Word]]:  # noqa: ANN001 - any sequence of words
    """Each word (punctuation alone left out) with its form as two readings are compared: lower
    case, no punctuation around it, a number said in one word in digits (text2num: "three" and "3",
    "twenty-five" and "25" alike; "twenty five", two words, is not "25")."""
    return [(alpha2digit(w, "en", threshold=0), word) for word in words if (w := normalise(word.text))]


def _unpadded(word: Word) -> Word:
    """A word of the second reading on the phrase's clock (nothing before its start)."""
    return replace(word, start_s=max(0.0, round(word.start_s - LEAD_IN_S, 3)),
                   end_s=max(0.0, round(word.end_s - LEAD_IN_S, 3)))
