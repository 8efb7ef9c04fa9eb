"""The typed schema of role-play drills: personas (who the customer is and how they sound) and
role-play scripts (a small state machine the customer follows).

Coaches write both as YAML under ``scenarios/personas/`` (``kind: persona``) and
``scenarios/roleplays/`` (``kind: roleplay``). pydantic checks the shape (unknown keys, unknown cue
names, bad outcomes are errors naming the field); :mod:`simulator.roleplay.library` checks the
graph (unreachable states, transitions to unknown states, missing lines, unknown rubric criteria).

A script's customer starts in ``start`` and says its ``opening``. After each candidate turn the
engine detects turn cues (:data:`CUES`), moves the mood, then takes the first matching transition:
the role-play's ``always`` rules first, then the current state's. A state with an ``outcome`` ends
the drill.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from simulator.rubric.models import RoleFamily, Slug

# Turn cues the engine detects in a candidate's turn; conditions and reactions may name only these.
CUES = (
    "acknowledgement", "apology", "question", "option", "bare_policy", "escalation", "commitment",
    "find_out", "bluff", "blame", "repetition", "nothing_new", "long_turn", "silence", "over_time",
)
Cue = Literal[
    "acknowledgement", "apology", "question", "option", "bare_policy", "escalation", "commitment",
    "find_out", "bluff", "blame", "repetition", "nothing_new", "long_turn", "silence", "over_time",
]
OUTCOMES = ("resolved", "escalated", "abandoned")
Outcome = Literal["resolved", "escalated", "abandoned"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VoiceSettings(_Strict):
    """What the TTS needs to give the persona a voice.

    ``voice`` is a pyttsx3 voice id or a case-insensitive fragment of a voice name ("female",
    "english", "david"); the speaker picks the first installed voice that matches, else the default.
    ``rate`` is words per minute (pyttsx3's ``rate`` property); ``pitch`` is a 0-100 hint (50 =
    neutral) for engines that support it (espeak does, SAPI and NSSpeech ignore it).
    """

    voice: str = ""
    rate: int = Field(default=175, ge=80, le=320)
    pitch: int = Field(default=50, ge=0, le=100)

    def pick_voice(self, installed: Sequence[tuple[str, str]]) -> str | None:
        """The installed voice id to use, given ``(id, name)`` pairs from ``engine.getProperty("voices")``.

        An exact id wins, then the first voice whose id or name contains the hint; None means "keep
        the engine's default voice".
        """
        hint = self.voice.strip().lower()
        if not hint:
            return None
        for vid, _ in installed:
            if vid.lower() == hint:
                return vid
        for vid, name in installed:
            if hint in vid.lower() or hint in (name or "").lower():
                return vid
        return None

    def speaker_kwargs(self, installed: Sequence[tuple[str, str]] = ()) -> dict[str, str | int | None]:
        """Keyword arguments for :class:`simulator.speech.tts.Pyttsx3Speaker` (voice id and rate)."""
        return {"voice": self.pick_voice(installed), "rate": self.rate}


class Temperament(_Strict):
    """How the persona reacts: start mood and how strongly good and bad turns move it.

    Mood is 0 (furious) to 100 (calm and satisfied). ``calms_by`` multiplies the engine's positive
    mood moves, ``heats_by`` the negative ones; ``cue_weights`` overrides a cue's base move for this
    persona (a caller with a language barrier minds a long, fast turn far more than most).
    """

    start_mood: int = Field(default=30, ge=0, le=100)
    calms_by: float = Field(default=1.0, gt=0, le=3)
    heats_by: float = Field(default=1.0, gt=0, le=3)
    cue_weights: dict[Cue, int] = Field(default_factory=dict)


class Persona(_Strict):
    """A customer the simulator can play: name, temperament, voice and stock reactions."""

    id: Slug
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    temperament: Temperament = Temperament()
    voice: VoiceSettings = VoiceSettings()
    # What the customer says when a turn went badly and the script has nothing more specific.
    reactions: dict[Cue, tuple[str, ...]] = Field(default_factory=dict)

    def voice_settings(self) -> VoiceSettings:
        """The voice the TTS should use for this persona."""
        return self.voice

    @field_validator("reactions")
    @classmethod
    def _lines_present(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for cue, lines in v.items():
            if not lines or any(not line.strip() for line in lines):
                raise ValueError(f"reaction {cue!r} needs at least one non-empty line")
        return v


class Condition(_Strict):
    """When a transition fires. Every given test must hold; an empty condition always holds.

    Cue tests look at this turn's cues; ``criteria`` at the ``de-escalation`` rubric criteria this
    turn met; mood tests at the mood *after* this turn; ``streak_min`` at consecutive turns that made
    things worse, ``failures_min`` at all of them so far; ``turn_min`` at the candidate turn number.
    """

    cues_all: tuple[Cue, ...] = ()
    cues_any: tuple[Cue, ...] = ()
    cues_none: tuple[Cue, ...] = ()
    criteria: tuple[str, ...] = ()
    mood_min: int | None = Field(default=None, ge=0, le=100)
    mood_max: int | None = Field(default=None, ge=0, le=100)
    streak_min: int | None = Field(default=None, ge=1)
    failures_min: int | None = Field(default=None, ge=1)
    turn_min: int | None = Field(default=None, ge=1)


class Transition(_Strict):
    """Go to state ``to`` when ``when`` holds; ``why`` explains the move in the debrief."""

    to: Slug
    when: Condition = Condition()
    why: str = ""


class State(_Strict):
    """A point in the conversation: the customer's lines here and where it can go next.

    ``lines`` are said in turn, one per visit (entering the state, or staying in it after a turn
    that did not trigger a reaction), cycling when exhausted.
    """

    lines: tuple[str, ...] = ()
    outcome: Outcome | None = None
    transitions: tuple[Transition, ...] = ()


class RolePlay(_Strict):
    """A role-play drill: the situation, the customer, the state machine and the limits."""

    id: Slug
    title: str = Field(min_length=3)
    role: RoleFamily
    persona: Slug
    brief: str = Field(min_length=3, description="What the candidate is told before the customer speaks.")
    opening: str = Field(min_length=1)
    start: Slug
    start_mood: int | None = Field(default=None, ge=0, le=100, description="Overrides the persona's.")
    turn_limit_s: float = Field(default=45, gt=0, le=600)
    total_limit_s: float = Field(default=300, gt=0, le=3600)
    max_turns: int = Field(default=8, ge=1, le=40)
    timeout_line: str = "I've wasted enough time on this. Goodbye."
    always: tuple[Transition, ...] = ()
    states: dict[Slug, State] = Field(min_length=2)
    reactions: dict[Cue, tuple[str, ...]] = Field(default_factory=dict)
    source: str = ""


class PersonaFile(_Strict):
    kind: Literal["persona"]
    persona: Persona


class RolePlayFile(_Strict):
    kind: Literal["roleplay"]
    roleplay: RolePlay
