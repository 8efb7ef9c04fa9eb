"""The question's own last words at the start of an answer spoken over its end.

With a speaker instead of headphones, the microphone hears the question too. An answer begun
before the question ended keeps the audio the candidate's voice runs across that end from
(:class:`~simulator.audio.onset.TalkOver`), and in that audio the recogniser may also hear the
question's words. They are the interviewer's, not the candidate's: :func:`drop_question_echo`
takes them off the transcript (the recording keeps every sample).
"""

from __future__ import annotations

from dataclasses import replace

from simulator.speech.hesitations import normalise
from simulator.speech.transcript import Transcript, text_of

TAIL_WORDS = 8
"""How many of the question's last words are looked for. The audio kept can hold more of the
question (all of it, when the candidate's voice ran on from inside it), but the more of its words
count, the likelier a candidate's own words said over its end are taken for them ("so one time I
had to explain a new billing system to a client who was upset" over "...explain something
complicated to a customer who was confused" is half the question's words): a long echo may leave
the question's first words in the transcript instead."""
SLACK_S = 0.3
"""How far past the question's end an echoed word may be timed (the recogniser's word times are
rough by about this much)."""


def drop_question_echo(transcript: Transcript, question: str, until_s: float) -> Transcript:
    """``transcript`` without the question's own end heard again at its start.

    Those are the first words, timed before ``until_s`` (where the question ended, in the answer's
    time), up to the last of them that is one of the question's last two words, when at least half
    of them are among the question's last :data:`TAIL_WORDS` (the first may be cut off, and a word
    heard through a speaker misheard: "come down an angry customer" for "calmed down an angry
    customer"); or else the longest run of first words, two or more, that the question says in
    that order. Otherwise the same transcript: words said over the question that are not its words
    are the candidate's."""
    tail = [w for w in (normalise(t) for t in question.split()) if w][-TAIL_WORDS:]
    lead = []
    for w in transcript.words:
        if w.start_s > until_s + SLACK_S:
            break
        lead.append(normalise(w.text))
    ends = [i for i, w in enumerate(lead) if w in tail[-2:]]
    echoed = ends[-1] + 1 if ends else 0
    if 2 * sum(w in tail for w in lead[:echoed]) < echoed:
        echoed = 0
    if not echoed:
        # The candidate talked over the echo's last words: a run of two or more of the question's
        # words, as it says them, still opens the transcript ("and how you're sure, so...").
        echoed = max((n for n in range(2, len(lead) + 1) if _is_slice(lead[:n], tail)), default=0)
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
    text = text_of(segments)
    return replace(transcript, segments=tuple(segments), text=text,
                   options={**transcript.options, "question_echo_removed": echoed})


def _is_slice(words: list[str], of: list[str]) -> bool:
    """Whether ``words`` appear in ``of`` one after another."""
    n = len(words)
    return any(of[i:i + n] == words for i in range(len(of) - n + 1))
