"""The app's side of the session store: one stored session per interview or role-play, answers as they come.

:class:`SessionLog` wraps a :class:`~simulator.session.SessionStore` for the app. Answer audio is
streamed through :meth:`SessionStore.open_answer_audio` (``audio/<session>/<n>.partial.wav``), so a
killed app leaves a recording that ``sessions recover`` (or the next start of the app) turns into an
answer. Each take gets its own position, so a re-recorded answer keeps both takes. No Textual here:
the app calls it from the main thread (the store's SQLite connection belongs to that thread).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.errors import StoreError
from simulator.roleplay.result import RolePlayResult
from simulator.store import AnswerRecord, AnswerWriter, RecoveredSession, SessionRecord, SessionStore

# Role-plays as sessions live in the core (``roleplay --text`` stores them too); re-exported here.
from simulator.store.roleplays import (
    ROLEPLAY_MODE,
    roleplay_settings,
    roleplay_summary,
    roleplay_turn_question,
)
from simulator import __version__
from simulator.audio.endpoint import Endpointer
from simulator.audio.energy import HOP_S, frame_levels_db

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport

__all__ = ["ROLEPLAY_MODE", "SessionLog", "StartupNotes", "open_store", "roleplay_settings", "roleplay_summary",
           "roleplay_turn_question", "rubric_version"]


@dataclass
class StartupNotes:
    """What opening the store found, for the app to tell the user."""

    recovered: list[RecoveredSession] = field(default_factory=list)
    corrupt_backup: Path | None = None
    error: str = ""
    lost_and_found: list[Path] = field(default_factory=list)

    def messages(self) -> list[tuple[str, str]]:
        """``(severity, text)`` notifications, in the order to show them."""
        out: list[tuple[str, str]] = []
        if self.error:
            out.append(("error", f"Sessions will not be saved: {self.error}"))
        if self.corrupt_backup is not None:
            out.append(("warning", f"The session store was damaged; it was kept as {self.corrupt_backup.name} "
                                   "and a new, empty store was started."))
        for r in self.recovered:
            verb = "Rebuilt lost session" if r.rebuilt else "Recovered interrupted session"
            text = f"{verb} {r.session.id}: {r.answers_kept} answer(s) kept"
            if r.recordings_attached:
                secs = sum(a.duration_s for a in r.recordings_attached)
                text += (f", {len(r.recordings_attached)} unfinished recording(s) ({secs:.1f} s) saved "
                         f"(score with `interview-sim rescore {r.session.id}`)")
            out.append(("information", text + "."))
        for path in self.lost_and_found:
            out.append(("warning", f"Files that belong to no session were moved to {path} (nothing was deleted)."))
        return out


def open_store(path: Path | None) -> tuple[SessionStore | None, StartupNotes]:
    """Open the store at ``path`` (the data directory's by default), set a damaged one aside, and
    recover sessions a crash left open. Never raises: problems become notes."""
    notes = StartupNotes()
    try:
        store = SessionStore.open(path, on_corrupt="backup")
    except StoreError as e:
        notes.error = str(e)
        return None, notes
    notes.corrupt_backup = store.corrupt_backup
    try:
        notes.recovered = store.recover()
        notes.lost_and_found = list(store.lost_and_found)
    except StoreError as e:
        notes.error = f"interrupted sessions could not be recovered: {e}"
    return store, notes


def rubric_version() -> str:
    return f"interview-sim {__version__}"


class SessionLog:
    """Stores one interview: start, each answer's audio and report, finish."""

    def __init__(self, store: SessionStore):
        self.store = store
        self.session: SessionRecord | None = None
        self._next_position = 1
        self._open: dict[int, AnswerWriter] = {}
        self.left_unscored: str | None = None
        """What the last session closed mid-answer left to score, as a line for the candidate (None: nothing)."""

    @property
    def active(self) -> bool:
        return self.session is not None

    def start(self, *, role: str, mode: str, settings: dict[str, Any], engine: str, model: str) -> SessionRecord:
        self.finish()
        self.left_unscored = None
        self.session = self.store.start_session(role=role, mode=mode, settings=settings, engine=engine,
                                                model=model, rubric_version=rubric_version())
        self._next_position = 1
        return self.session

    def open_audio(self, question: Any) -> tuple[int, AnswerWriter] | None:
        """A writer streaming the next take's audio to disk, with its position (None: no session)."""
        if self.session is None:
            return None
        position = self._next_position
        self._next_position += 1
        writer = self.store.open_answer_audio(self.session.id, position, question)
        self._open[position] = writer
        return position, writer

    def save(self, question: Any, report: AnswerReport, samples: np.ndarray | None,
             position: int | None = None, *, parent_id: str | None = None) -> AnswerRecord | None:
        """Store a scored answer (``samples`` None for a typed one) and drop its partial recording.

        ``parent_id`` marks the answer to an interviewer follow-up with its main question's id.
        """
        if self.session is None:
            return None
        if position is None:
            position = self._next_position
            self._next_position += 1
        writer = self._open.pop(position, None)
        if writer is not None:
            writer.close()
        if parent_id is not None:
            return self.store.add_follow_up_answer(self.session.id, question, report, samples,
                                                   parent_id=parent_id, position=position)
        return self.store.add_answer(self.session.id, question, report, samples, position=position)

    def save_late(self, session_id: str, question: Any, report: AnswerReport, samples: np.ndarray | None,
                  position: int | None, *, parent_id: str | None = None) -> AnswerRecord:
        """Store an answer the store could not keep when it was given (a full disk), once it can, into
        its session, closed or not. A recording the session's close kept meanwhile as an unscored
        answer at the same place is scored with this report rather than stored twice."""
        if position is not None:
            kept = next((a for a in self.store.answers(session_id) if a.position == position and not a.scored), None)
            if kept is not None:
                return self.store.replace_answer(kept, report)
        if parent_id is not None:
            return self.store.add_follow_up_answer(session_id, question, report, samples, parent_id=parent_id,
                                                   position=position)
        return self.store.add_answer(session_id, question, report, samples, position=position)

    def hold(self, question: Any, report: AnswerReport, n_samples: int, position: int | None, *,
             parent_id: str | None = None) -> None:
        """Keep the report of a take whose feedback shows while it may still resume, beside its
        recording, so that a crash then recovers it scored (see ``SessionWrites.hold_report``)."""
        if self.session is not None and position in self._open:
            self.store.hold_report(self.session.id, position, question, report, n_samples,
                                          parent_id=parent_id)

    def release(self, position: int | None) -> None:
        """The take resumed: the report held for it no longer covers it."""
        if self.session is not None and position in self._open:
            self.store.release_report(self.session.id, position)

    def finish_roleplay(self, result: RolePlayResult) -> SessionRecord | None:
        """End a role-play session, keeping its outcome, mood trail and scores in its settings."""
        if self.session is None:
            return None
        self.store.update_session_settings(self.session.id, roleplay_result=roleplay_summary(result))
        return self.finish()

    def cancel(self, *, drop_if_silent: bool = True) -> SessionRecord | None:
        """End a session the candidate cut short (Escape, or a quit part-way): kept, marked
        ``cancelled`` in its settings, when anything was said; removed (rows and audio) when nothing
        was, unless ``drop_if_silent`` is False (answers were scored: they stay, whatever they hold).
        Returns the kept session."""
        if self.session is None:
            return None
        session_id = self.session.id
        self.finish()  # keeps the audio of a take cut short as an unscored answer
        if drop_if_silent and not any(_said_something(self.store, a) for a in self.store.answers(session_id)):
            self.store.delete_session(session_id)
            self.left_unscored = None  # nothing was said: nothing kept
            return None
        return self.store.update_session_settings(session_id, cancelled=True)

    def finish(self) -> SessionRecord | None:
        """End the session; audio of takes never scored (quit or cancel mid-answer) is kept as
        unscored answers, as crash recovery would keep it, when it holds speech: a take cancelled
        before a word was said (a re-record the candidate changed their mind about) is not an answer."""
        if self.session is None:
            return None
        session, self.session = self.session, None
        # Writers still open belong to a recording worker that is stopping: it closes them. What
        # they hold so far is read now (a partial file is readable at any moment).
        self._open.clear()
        kept = self.store.keep_partials(session.id, worth_keeping=holds_speech)
        if kept:
            secs = sum(a.duration_s for a in kept)
            what = "Your unfinished answer" if len(kept) == 1 else f"{len(kept)} unfinished answers"
            self.left_unscored = (f"{what} ({secs:.1f} s) kept, not scored: `interview-sim rescore "
                                  f"{session.id}` scores it.")
        return self.store.finish_session(session.id)


SPEECH_LEVEL_DB = -40.0
"""A take cut short holds speech when it is louder than this (dBFS) for :data:`SPEECH_MIN_S`: a quiet
room's microphone sits far below it, a voice near the microphone far above."""
SPEECH_MIN_S = 0.2


def _said_something(store: SessionStore, answer: AnswerRecord) -> bool:
    """Whether a stored answer holds anything the candidate said: a transcript with words, or audio
    that holds speech (an unscored take cut short, or a voice the recogniser read as nothing)."""
    if answer.transcript is not None and answer.transcript.text.strip():
        return True
    if answer.audio_path is None or answer.audio_missing:  # typed, or a transcript with no words
        return False
    try:
        samples = store.load_audio(answer)
    except (StoreError, OSError, ValueError, RuntimeError):
        return True  # unreadable: keep it rather than lose what may be speech
    return holds_speech(samples)


QUIET_SPEECH_MIN_S = 0.5
"""...or when a voice was heard above the room, however quietly, for this long (a microphone set very
low: a helper's answer at -51 dBFS RMS never reached -40 dBFS, so quitting mid-answer deleted it)."""


def holds_speech(samples: np.ndarray) -> bool:
    """Whether a recording is loud enough for long enough to be speech (see :data:`SPEECH_LEVEL_DB`),
    or holds a quiet voice (:data:`QUIET_SPEECH_MIN_S`)."""
    if int((frame_levels_db(samples) > SPEECH_LEVEL_DB).sum()) * HOP_S >= SPEECH_MIN_S:
        return True
    heard = Endpointer()
    heard.feed(np.asarray(samples, dtype=np.float32))
    return heard.voice_above_room_s >= QUIET_SPEECH_MIN_S
