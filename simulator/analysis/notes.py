"""The two or three most useful things to say about how an answer was delivered.

Each note names a figure or quotes the candidate, says what to try, and is about the delivery, never
the person ("your pitch moved about 1 semitone", not "you sound bored"). Problems are ranked by how
much they get in a listener's way; when there are fewer than two, one strength joins them.
:func:`simulator.rubric.feedback.with_delivery_feedback` adds them to the content feedback.
"""

from __future__ import annotations

import re

from simulator.analysis.delivery import DeliveryMetrics

MAX_PROBLEMS = 2
MAX_NOTES = 3


def delivery_notes(d: DeliveryMetrics) -> list[tuple[str, str]]:
    """(kind, text) pairs, kind "improve" or "strength"; empty when nothing was said."""
    if d.verdicts.speech != "speech" or d.words == 0:
        return []
    problems = [text for _, text in sorted(_problems(d), key=lambda p: p[0])]
    notes = [("improve", t) for t in problems[:MAX_PROBLEMS]]
    strength = _strength(d)
    if strength is not None and len(problems) < MAX_PROBLEMS:
        notes.insert(0, ("strength", strength))
    elif len(problems) > MAX_PROBLEMS:
        notes.append(("improve", problems[MAX_PROBLEMS]))
    return notes[:MAX_NOTES]


def _clock(s: float) -> str:
    return f"{int(s // 60)}:{int(s % 60):02d}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _capital_i(text: str) -> str:
    return re.sub(r"\bi\b", "I", text)


def _count(n: int, noun: str) -> str:
    words = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}
    return f"{words.get(n, n)} {noun}{'s' if n != 1 else ''}"


def _semitones(sd: float) -> str:
    return "less than half a semitone" if sd < 0.5 else f"about {sd:.1f} semitones"


def _quoted_fillers(d: DeliveryMetrics) -> str:
    counts = d.fillers.counts or {}
    top = list(counts.items())[:2]
    if not top:
        return f"{d.fillers.count} fillers"
    parts = [f"“{w}” {_times(n)}" for w, n in top]
    rest = d.fillers.count - sum(n for _, n in top)
    if rest > 0:  # the note named two kinds while the table counted six fillers (stop 43)
        return f"{', '.join(parts)} and {rest} other filler{'s' if rest != 1 else ''}"
    return " and ".join(parts)


def _problems(d: DeliveryMetrics) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    v = d.verdicts
    span = d.span_s
    low, high = d.target_length_s
    if v.fillers == "distracting":
        out.append((10, f"You said {_quoted_fillers(d)} (about {d.fillers.per_minute:.0f} fillers a minute). "
                        "A short silent pause does the same job and sounds more assured."))
    elif v.fillers == "noticeable":
        out.append((90, f"You said {_quoted_fillers(d)}; when you need a moment to think, a brief silent pause "
                        "works better than a filler."))
    if v.pace == "fast":
        out.append((20, f"At about {d.wpm:.0f} words a minute the answer runs fast; a breath at the end of "
                        "each sentence brings it toward 130-160 and gives the interviewer time to take in each point."))
    elif v.pace == "slow":
        out.append((20, f"At about {d.wpm:.0f} words a minute the story loses momentum; shorter sentences "
                        "and fewer restarts bring it toward 130-160."))
    if v.length == "too short":
        out.append((30, f"The answer lasted {span:.0f} s; {low:.0f}-{high:.0f} s leaves room for what you did "
                        "and how it turned out."))
    elif v.length == "too long":
        out.append((30, f"The answer ran {_clock(span)}, past the {low:.0f}-{high:.0f} s target; lead with the "
                        "result and keep the background to one sentence."))
    tone = d.tone
    if tone is not None and tone.ok:
        monotone = [m for m in tone.moments if m.kind == "monotone"]
        if tone.variety == "monotone" or monotone:
            flat_s = sum(m.end_s - m.start_s for m in monotone)
            if tone.variety == "monotone" or not monotone:
                where, sd = "through most of the answer", tone.pitch_sd_st or 0.0
            else:
                m = max(monotone, key=lambda m: m.end_s - m.start_s)
                where, sd = f"from {_clock(m.start_s)} to {_clock(m.end_s)}", m.value or 0.0
            if tone.variety == "monotone" or flat_s >= 8:
                out.append((40, f"Your pitch moved little ({_semitones(sd)} of spread) {where}; lifting your "
                                "voice on the key points (the problem, what you did, the result) makes them stand out."))
        if tone.volume == "quiet":
            out.append((50, f"Your voice came through quietly for this microphone (about {tone.loudness_db:.0f} dB "
                            "below full scale); moving closer or speaking up a little makes every word clear."))
        trailing = [m for m in tone.moments if m.kind == "trailing_off"]
        if trailing:
            n = len(trailing)
            out.append((60, f"Your voice faded at the end of {_count(n, 'sentence').lower()}, for example "
                            f"“{trailing[0].quote}”; keep it up through the last word, where the result "
                            "often is."))
        uptalk = [m for m in tone.moments if m.kind == "uptalk"]
        if uptalk:
            n = len(uptalk)
            out.append((70, f"{_count(n, 'statement')} rose at the end like a question, for example "
                            f"“{uptalk[0].quote}”; letting statements fall at the end makes them sound "
                            "settled."))
        if tone.volume == "flat" and tone.loudness_sd_db is not None:
            out.append((95, f"Your loudness changed little from word to word ({tone.loudness_sd_db:.1f} dB); "
                            "leaning on the words that matter helps them land."))
    lang = d.language
    if lang is not None and lang.hedge_count >= 2:
        names = " and ".join(f"“{_capital_i(h.text)}”" for h in lang.hedges[:2])
        out.append((80, f"Phrases like {names} ({lang.hedge_count} in all) soften what you did; saying what "
                        "you did plainly (“I offered…”, “I called…”) gives you the credit."))
    return out


def _strength(d: DeliveryMetrics) -> str | None:
    v = d.verdicts
    if v.pace == "good" and v.fillers == "rare":
        return f"Your pace (about {d.wpm:.0f} words a minute) was easy to follow, with few fillers."
    tone = d.tone
    if tone is not None and tone.ok and tone.variety == "varied" and not any(m.kind == "monotone" for m in tone.moments):
        return f"Your voice moved naturally in pitch ({tone.pitch_sd_st:.1f} semitones), which helps a listener follow."
    return None
