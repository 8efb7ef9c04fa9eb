"""The question's own last words at the start of an answer spoken over its end.

With a speaker instead of headphones, the microphone hears the question too. An answer begun a
moment before the question ended keeps the audio the candidate's voice runs across that end from
(:class:`~simulator.audio.onset.TalkOver`), and in that audio the recogniser may also hear the
question's last words. They are the interviewer's, not the candidate's: :func:`drop_question_echo`
takes them off the transcript (the recording keeps every sample).
"""

from __future__ import annotations

from dataclasses import replace

from simulator.speech.hesitations import normalise
from simulator.speech.transcript import Transcript

TAIL_WORDS = 6
"""How many of the question's last words can be heard again: more than the :data:`~simulator.audio
.onset.TALK_OVER_S` kept of it can hold."""
SLACK_S = 0.3
"""How far past the question's end an echoed word may be timed (the recogniser's word times are
rough by about this much)."""


def drop_question_echo(transcript: Transcript, question: str, until_s: float) -> Transcript:
    """``transcript`` without its leading words that repeat the end of ``question`` and were said
    before ``until_s`` (where the question ended, in the answer's time): the longest such run of
    first words that is the question's last words, in order. Otherwise the same transcript."""
    tail = [w for w in (normalise(t) for t in question.split()) if w][-TAIL_WORDS:]
    words = transcript.words
    echoed = 0
    for n in range(min(len(tail), len(words)), 0, -1):
        lead = words[:n]
        if lead[-1].start_s <= until_s + SLACK_S and [normalise(w.text) for w in lead] == tail[-n:]:
            echoed = n
            break
    if not echoed:
        return transcript
    segments = []
    left = echoed
    for seg in transcript.segments:
        if left >= len(seg.words):
            left -= len(seg.words)
            continue
        if left:
            first, *rest = seg.words[left:]
            kept = (replace(first, text=first.text[:1].upper() + first.text[1:]), *rest)  # it opens the answer now
            seg = replace(seg, words=kept, text=" ".join(w.text for w in kept), start_s=kept[0].start_s)
            left = 0
        segments.append(seg)
    text = " ".join(s.text.strip() for s in segments if s.text.strip())
    return replace(transcript, segments=tuple(segments), text=text,
                   options={**transcript.options, "question_echo_removed": echoed})
