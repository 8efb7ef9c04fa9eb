"""When is the candidate done? The end-of-turn decision for a spoken answer.

Silence alone is the wrong signal: people pause to think in interviews, and a coach never cuts them
off. So at each pause the decision looks at what is known about the answer so far:

- **how the last phrase ended**: a sentence that ends (Whisper writes ". ! ?") reads as complete;
  one that trails off on "and", "so", "because", a filler or a half clause ("I went to the") reads as
  a thought still being formed;
- **how long the answer is against the question's target**: a story of 15 s for a 60-120 s question
  is rarely finished, even when its last sentence is;
- **whether the transcript of the last phrase is known yet**: nothing is decided on a guess while the
  phrase is still being decoded (it takes about half a second).

The verdict sets how long a pause may last before the answer ends:

========================  ======================================================================
verdict                   what happens during the pause
========================  ======================================================================
``complete``              "finishing…" shows once the verdict is known; the answer ends after
                          ``complete_end_s`` of silence (well under the old fixed 2.5 s)
``incomplete``            "take your time" after ``take_your_time_s``; in rehearsal the app asks
                          "are you done?" after ``ask_after_s`` and never ends on the pause alone
                          (``no_reply_end_s`` ends it if nobody is there); in a drill the answer
                          ends after ``incomplete_end_s`` (longer than a 9 s thinking pause), and
                          the drill's hard time limit still applies
========================  ======================================================================

Speaking again cancels any of these, and (see :func:`simulator.session.answer_loop.run_answer`) a
candidate who speaks again shortly after the answer ended resumes it: nothing said is lost.

Pure logic, no audio and no threads: the answer loop asks :meth:`TurnJudge.decide` once per block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

Mode = Literal["rehearsal", "drill", "rapid", "roleplay"]


@dataclass(frozen=True)
class TurnPolicy:
    """How long a pause may last, by verdict. Every default is documented in the README."""

    complete_end_s: float = 0.9
    """A complete-sounding answer ends after this much silence (once its last phrase is decoded).
    Short enough that the report follows the last word within about 1.5 s, long enough that a
    breath between two sentences (0.3-0.7 s in fluent speech) does not end the answer."""
    take_your_time_s: float = 3.0
    """An unfinished answer shows "take your time" after this much silence."""
    ask_after_s: float = 10.0
    """Rehearsal: after this much silence on an unfinished answer, ask whether the candidate is done."""
    no_reply_end_s: float = 30.0
    """Rehearsal: the answer ends after this much silence even unfinished (nobody answered the
    question "are you done?"); the recording keeps everything and the answer can still resume."""
    incomplete_end_s: float = 12.0
    """Drills and role-play: an unfinished answer ends after this much silence (thinking pauses of
    9 s and more are waited through)."""
    decode_wait_s: float = 3.0
    """If the last phrase is still not transcribed after this much silence, judge without it."""
    short_fraction: float = 0.3
    """An answer shorter than this fraction of the bottom of its target band is not complete yet,
    however its last sentence ended (a 10 s reply to a 45-90 s question has usually only begun;
    the fixtures' complete stories run from 0.4 to 0.9 of the bottom of their band)."""


DEFAULT_TARGET_S = (30.0, 90.0)
"""The length band assumed for an interview answer whose question has none (``score --rubric``):
a one-sentence opening is then not taken for a whole answer. Role-play turns have no band."""

RESUME_WINDOW_S: dict[str, float] = {"rehearsal": 10.0, "drill": 4.0, "rapid": 4.0, "roleplay": 1.5}
"""After an answer ended at a pause, speaking again within this long resumes it. Rehearsal: while
the feedback is read (a 9 s thinking pause is covered); drills: the next question waits this long
for quiet; role-play: the customer waits this long before answering, so a second sentence after a
breath (a turn ends 0.9 s after a finished sentence) joins the turn instead of being spoken over the
customer's reply, when nothing records (space ends the wait at once)."""


class Verdict(str, Enum):
    UNKNOWN = "unknown"
    """The last phrase is still being transcribed."""
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


class Cue(str, Enum):
    """What the screen should say during a pause."""

    NONE = "none"
    FINISHING = "finishing"
    TAKE_YOUR_TIME = "take your time"
    ASK_DONE = "are you done?"
    NO_SIGNAL = "no signal"
    """Before the first word: the microphone has sent nothing but digital silence for a while
    (muted, or the wrong device); see :data:`simulator.audio.energy.NO_SIGNAL_DB`."""


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    cue: Cue
    end: bool
    """End the answer now."""
    reason: str = ""
    """Why, in words, when the answer ends or the verdict is not complete."""


# Words a sentence does not end on: conjunctions, fillers, articles, possessives, prepositions that
# need an object, subject pronouns. Whisper adds a full stop to a phrase cut at a pause, so the word
# matters more than the punctuation. Auxiliaries are left out on purpose: "whose mistake it was."
# ends many a story, and waiting too long costs far less than cutting a candidate off.
_TRAILING_WORDS = frozenset("""
and but so or because cause cos then also plus like um umm uh uhh er erm hmm mm
the a an my our your their his its every
to of at with from by into onto than if when while whereas although though
unless until which who whom whose where whether
i we he she they i'm we're they're you're he's she's it's i've we've i'd we'd i'll we'll
just very
""".split())
_WORD = re.compile(r"[a-z']+")
_SENTENCE_END = re.compile(r"[.!?…]\s*[\"')\]]*\s*$")
_TRAILING_PUNCT = re.compile(r"(?:,|;|:|-|—|–|\.\.\.|…)\s*$")


def last_phrase_complete(text: str) -> tuple[bool, str]:
    """Does ``text`` (the answer so far) end like a finished sentence? ``(complete, why_not)``."""
    stripped = text.strip()
    if not stripped:
        return False, "nothing transcribed yet"
    words = _WORD.findall(stripped.lower())
    if not words:
        return False, "no words yet"
    if _TRAILING_PUNCT.search(stripped):
        return False, "the last sentence trails off"
    last = words[-1]
    if last in _TRAILING_WORDS:
        return False, f"the last phrase ends on “{last}”"
    if not _SENTENCE_END.search(stripped):
        return False, "the last sentence has not ended"
    return True, ""


class TurnJudge:
    """Decides, block by block during a pause, whether the answer is over."""

    def __init__(self, *, mode: Mode = "rehearsal", target_s: tuple[float, float] | None = None,
                 policy: TurnPolicy | None = None):
        self.mode = mode
        self.target_s = target_s if target_s is not None or mode == "roleplay" else DEFAULT_TARGET_S
        self.policy = policy or TurnPolicy()

    def verdict(self, text: str | None, answer_s: float, silent_s: float) -> tuple[Verdict, str]:
        """The verdict on the answer so far; ``text`` None while its last phrase is being decoded."""
        if text is None and silent_s < self.policy.decode_wait_s:
            return Verdict.UNKNOWN, "transcribing the last phrase"
        complete, why = last_phrase_complete(text or "")
        if not complete:
            return Verdict.INCOMPLETE, why
        if self.target_s is not None and answer_s < self.policy.short_fraction * self.target_s[0]:
            return Verdict.INCOMPLETE, f"{answer_s:.0f} s is short for this question"
        return Verdict.COMPLETE, ""

    def decide(self, *, text: str | None, answer_s: float, silent_s: float) -> Decision:
        """What to do ``silent_s`` into a pause.

        Args:
            text: the transcript so far, or ``None`` if the last phrase is not decoded yet.
            answer_s: how long the answer has run, from its first word to its last.
            silent_s: how long the current pause has lasted.
        """
        p = self.policy
        verdict, why = self.verdict(text, answer_s, silent_s)
        if verdict is Verdict.COMPLETE:
            return Decision(verdict, Cue.FINISHING, silent_s >= p.complete_end_s, "the answer sounded complete")
        if verdict is Verdict.UNKNOWN:
            return Decision(verdict, Cue.NONE, False, why)
        if self.mode == "rehearsal":
            if silent_s >= p.no_reply_end_s:
                return Decision(verdict, Cue.ASK_DONE, True, f"no reply after a {silent_s:.0f} s pause")
            if silent_s >= p.ask_after_s:
                return Decision(verdict, Cue.ASK_DONE, False, why)
        elif silent_s >= p.incomplete_end_s:
            return Decision(verdict, Cue.TAKE_YOUR_TIME, True, f"a {silent_s:.0f} s pause ({why})")
        cue = Cue.TAKE_YOUR_TIME if silent_s >= p.take_your_time_s else Cue.NONE
        return Decision(verdict, cue, False, why)
