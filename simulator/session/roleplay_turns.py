"""Spoken role-play, headless: the customer speaks in the persona's voice, the candidate answers aloud.

The app's role-play screen drives this module and the tests drive it directly; nothing here knows
about Textual. :func:`speak_customer` renders a customer line through the :class:`Speaker` with the
persona's voice settings (voice, rate, pitch) and plays it. :func:`run_turn` is a lazy generator over
one candidate turn: it records and transcribes with the interview's
:func:`~simulator.session.answer_loop.run_answer` (level and partial-transcript events pass through),
ends at the script's turn time limit, hands the transcript to the
:class:`~simulator.roleplay.engine.RolePlaySession` and yields the customer's reply as a
:class:`TurnTaken`. :func:`debrief_items` turns a finished result into per-turn feedback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulator.audio.capture import AudioSource
from simulator.audio.endpoint import EndpointConfig, EndReason
from simulator.answer.report import AnswerReport
from simulator.roleplay.engine import RolePlaySession
from simulator.roleplay.hearing import judge_turn
from simulator.roleplay.models import Persona
from simulator.roleplay.result import RolePlayResult, Turn
from simulator.answer.build import typed_report
from simulator.session.answer_loop import AnswerOptions, run_answer
from simulator.session.events import Ended, Level, Partial, Reported, Resumed
from simulator.speech.transcript import Transcriber
from simulator.speech.tts import Speaker, Utterance

SILENCE_TEXT = "..."
"""What the engine hears when the candidate said nothing (it detects the ``silence`` cue)."""


# -- the customer's voice ---------------------------------------------------------------------------
def persona_speech_kwargs(persona: Persona, speaker: Speaker) -> dict[str, Any]:
    """The voice, rate and pitch to render this persona's lines with on this speaker.

    The persona's voice hint is matched against the speaker's installed voices when it can list them.
    """
    settings = persona.voice_settings()
    installed_of = getattr(speaker, "installed_voices", None)
    installed = installed_of() if callable(installed_of) else ()
    kwargs: dict[str, Any] = dict(settings.speaker_kwargs(installed))
    if not installed and settings.voice:
        kwargs["voice"] = None  # no list to match against: an unmatched hint would break the engine
    kwargs["pitch"] = settings.pitch
    return kwargs


def render_customer(speaker: Speaker, persona: Persona, text: str) -> Utterance:
    """Render one customer line in the persona's voice (the default voice if the speaker has no choice)."""
    render_as = getattr(speaker, "render_as", None)
    if callable(render_as):
        return render_as(text, **persona_speech_kwargs(persona, speaker))
    return speaker.render(text)


def speak_customer(speaker: Speaker, player: Any, persona: Persona, text: str, *,
                   before_play: Callable[[], bool] = lambda: True) -> Utterance:
    """Render and play one customer line; returns the utterance. ``before_play`` runs in between
    and the line is played only if it returns True (the screen waits for its microphone to hear,
    :mod:`simulator.audio.early_microphone`, and the candidate may have begun meanwhile)."""
    utterance = render_customer(speaker, persona, text)
    if before_play():
        player.play(utterance.samples, utterance.sample_rate)
    return utterance


# -- one candidate turn -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TurnTaken:
    """The candidate's turn is in: what was heard, the engine's record of it, the customer's reply."""

    text: str
    candidate: Turn
    reply: Turn
    duration_s: float
    end_reason: str
    audio_path: Path | None = None
    report: AnswerReport | None = None
    """The turn judged like an answer: transcript, delivery and its ``de-escalation`` content score."""
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    """The turn's recording (None for a typed turn), so the caller can store it."""


@dataclass(frozen=True)
class TurnCutOff:
    """A spoken turn the microphone stopped in the middle of. The customer has not heard it and does
    not reply (half a sentence is not a turn, and a device failing is not the candidate's move); the
    words so far are shown, and the recording stays with the session, kept unscored."""

    said: str
    duration_s: float
    message: str
    """Why the microphone stopped, in words."""
    report: AnswerReport | None = None
    """The take as recorded (its feedback opens with the microphone stopping), for the store."""
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)


TurnEvent = Level | Partial | Ended | Resumed | TurnTaken | TurnCutOff


def turn_options(session: RolePlaySession, end_silence_s: float | None = None) -> AnswerOptions:
    """Recording options for one turn: the script's turn limit ends it; no length target; pauses
    judged as in a conversation (a finished sentence ends the turn quickly), and the customer waits
    the role-play's resume window (:data:`~simulator.session.end_of_turn.RESUME_WINDOW_S`) before
    answering, so that speaking again continues the turn."""
    endpoint = EndpointConfig(end_silence_s=end_silence_s, max_s=session.roleplay.turn_limit_s)
    last = session.turns[-1] if session.turns else None
    line = last.text if last is not None and last.speaker == "customer" else None  # its echo is not the turn's
    return AnswerOptions(endpoint=endpoint, recover_fillers=False, mode="roleplay", question=line)


def take_turn(session: RolePlaySession, text: str, elapsed_s: float | None, *, end_reason: str = "typed",
              audio_path: Path | None = None, report: AnswerReport | None = None,
              samples: np.ndarray | None = None, bank: Any = None) -> TurnTaken:
    """Give the engine one turn (spoken or typed) and return what happened.

    A typed turn (no ``report``) gets a typed report scored on the ``de-escalation`` rubric.
    """
    said = text.strip() or SILENCE_TEXT
    if report is None:
        report = typed_report(said, lambda t: judge_turn(t, bank))
    content = report.content if report.transcript.text == said else None  # judged once, not twice
    reply = session.respond(said, elapsed_s=elapsed_s, content=content)
    return TurnTaken(said, session.candidate_turns[-1], reply, elapsed_s or 0.0, end_reason, audio_path,
                     report, samples)


def run_turn(session: RolePlaySession, source: AudioSource, transcriber: Transcriber, *,
             end_silence_s: float | None = None, audio_path: Path | None = None, stop: threading.Event | None = None,
             cancelled: Callable[[], bool] = lambda: False, writer: Any = None,
             bank: Any = None) -> Iterator[TurnEvent]:
    """Record and transcribe one candidate turn, then let the customer react.

    Yields the recording's :class:`Level`, :class:`Partial` and :class:`Ended` events, then one
    :class:`TurnTaken` (unless ``cancelled()`` turns true first), or :class:`TurnCutOff` when the
    microphone stopped during the turn. The turn ends on a pause, on
    ``stop``, or at the script's ``turn_limit_s``. After a pause the customer waits a moment before
    answering: speaking again then yields :class:`Resumed` and the turn goes on, one turn with all
    of it (``stop`` ends the wait at once). The recording streams to ``audio_path`` or to ``writer``
    (the session store's answer writer); the turn's report carries its ``de-escalation`` content score.
    """
    ended: Ended | None = None
    held: Reported | None = None  # the turn so far, while the customer waits to see if there is more
    for event in run_answer(source, transcriber, options=turn_options(session, end_silence_s),
                            audio_path=audio_path, stop=stop, cancelled=cancelled, writer=writer,
                            score_content=lambda text: judge_turn(text, bank)):
        if isinstance(event, Ended):
            ended = event
            yield event
        elif isinstance(event, Reported):
            held = event  # the last one covers the whole turn
        else:
            yield event
    if held is None or ended is None or cancelled():
        return
    reason, duration_s = ended.reason.value, ended.duration_s
    if ended.reason is EndReason.DEVICE_LOST:
        yield TurnCutOff(held.report.transcript.text.strip(), duration_s, ended.message, held.report, held.samples)
    else:
        yield take_turn(session, held.report.transcript.text, duration_s, end_reason=reason,
                        audio_path=held.audio_path, report=held.report, samples=held.samples)


# -- the debrief ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DebriefItem:
    """One candidate turn in the debrief: what was said, the mood move, why, and the customer's answer."""

    number: int
    said: str
    mood_before: int
    mood_after: int
    mood_delta: int
    mood_level: str
    cues: tuple[str, ...]
    why: str
    reply: str

    @property
    def effect(self) -> str:
        return "calmed" if self.mood_delta > 0 else "escalated" if self.mood_delta < 0 else "no change"


def debrief_items(result: RolePlayResult) -> list[DebriefItem]:
    """Per-turn feedback from a result: what calmed or escalated the customer, and why."""
    items: list[DebriefItem] = []
    turns = list(result.turns)
    mood = turns[0].mood if turns else 0
    for i, turn in enumerate(turns):
        if turn.speaker != "candidate":
            mood = turn.mood
            continue
        reply = turns[i + 1].text if i + 1 < len(turns) and turns[i + 1].speaker == "customer" else ""
        items.append(DebriefItem(len(items) + 1, turn.text, mood, turn.mood, turn.mood_delta, turn.mood_level,
                                 turn.cues, turn.feedback, reply))
        mood = turn.mood
    return items
