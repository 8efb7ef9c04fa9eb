"""The session store: every practice session, its answers and their recordings, kept locally.

One SQLite database (``sessions.db`` in the data directory; WAL, foreign keys, a busy timeout so
several app windows can share it) holds sessions and answers; each answer's audio is a FLAC file in
``audio/<session>/``. Write order makes every crash safe: the audio file is complete on disk before
the row that points at it is committed, and each change is one ``BEGIN IMMEDIATE`` transaction.
A session left ``in_progress`` by a crash is found by :meth:`SessionStore.recover`, which keeps its
answers and turns any half-recorded ``*.partial.wav`` into an answer.

Used by the CLI (``sessions``, ``history``, ``import``, ``rescore``, ``export``), the voice loop
(:meth:`~SessionStore.start_session`, :meth:`~SessionStore.open_answer_audio`,
:meth:`~SessionStore.add_answer`, :meth:`~SessionStore.finish_session`) and the replay and history
screens (:meth:`~SessionStore.answers`, :meth:`~SessionStore.load_audio`, :meth:`~SessionStore.summaries`).

:class:`SessionStore` is composed of one object per responsibility, all sharing one connection,
and passes each call on to the one that owns it:

- :mod:`~simulator.store.connection`: the connection, write transactions, damaged files;
- :mod:`~simulator.store.queries`: sessions, answers, audio and history figures (reads only);
- :mod:`~simulator.store.writes`: sessions, answers, follow-up links, audio files, deleting;
- :mod:`~simulator.store.recovery`: closing sessions a crash interrupted, with
  :mod:`~simulator.store.rebuild` giving folders whose rows were lost their session back.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.store.connection import BUSY_TIMEOUT_MS, DB_NAME, StoreConnection, StoreCorruptError
from simulator.store.models import AnswerRecord, SessionRecord, SessionSummary
from simulator.store.queries import SessionQueries, UnknownSessionError
from simulator.store.recordings import AnswerWriter
from simulator.store.recovery import RecoveredSession, StoreRecovery
from simulator.store.writes import PARENT_QUESTION_KEY, SessionWrites, parent_question_id

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport

__all__ = [
    "BUSY_TIMEOUT_MS", "DB_NAME", "PARENT_QUESTION_KEY", "RecoveredSession", "SessionStore",
    "StoreCorruptError", "UnknownSessionError", "parent_question_id",
]


class SessionStore:
    """A connection to the store. Open with :meth:`open`; usable as a context manager.

    ``queries``, ``writes`` and ``recovery`` are the parts that do the work; every public method
    here is one of theirs, so callers need only the store.
    """

    def __init__(self, db: StoreConnection) -> None:
        self.db = db
        self.queries = SessionQueries(db)
        self.writes = SessionWrites(db, self.queries)
        self.recovery = StoreRecovery(db, self.queries, self.writes)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, on_corrupt: Literal["raise", "backup"] = "raise"
    ) -> SessionStore:
        """Open (creating and migrating as needed) the store at ``path`` or ``data_dir()/sessions.db``.

        See :meth:`StoreConnection.open <simulator.store.connection.StoreConnection.open>` for
        damaged files (``on_corrupt``) and the errors raised.
        """
        return cls(StoreConnection.open(path, on_corrupt=on_corrupt))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the store's folder ---------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def root(self) -> Path:
        return self.db.root

    @property
    def corrupt_backup(self) -> Path | None:
        """The damaged database set aside when this store was opened (``on_corrupt="backup"``)."""
        return self.db.corrupt_backup

    @property
    def lost_and_found(self) -> list[Path]:
        """What the last :meth:`recover` moved to ``lost+found``."""
        return self.recovery.lost_and_found

    @property
    def damaged(self) -> list[str]:
        """One line per damaged row met so far (skipped, or read without its damaged value)."""
        return self.queries.damaged

    @property
    def _conn(self) -> sqlite3.Connection:
        """The raw SQLite connection (for tests and maintenance; the parts reach it through ``db``)."""
        return self.db.conn

    @_conn.setter
    def _conn(self, conn: sqlite3.Connection) -> None:
        self.db.conn = conn

    def audio_dir(self, session_id: str) -> Path:
        return self.db.audio_dir(session_id)

    def corrupt_backups(self) -> list[Path]:
        return self.db.corrupt_backups()

    # --- reads ----------------------------------------------------------------------------------

    def get_session(self, session_id: str) -> SessionRecord:
        return self.queries.get_session(session_id)

    def list_sessions(self) -> list[SessionRecord]:
        return self.queries.list_sessions()

    def unlisted_recordings(self) -> list[Path]:
        return self.queries.unlisted_recordings()

    def next_position(self, session_id: str) -> int:
        return self.queries.next_position(session_id)

    def get_answer(self, answer_id: int) -> AnswerRecord:
        return self.queries.get_answer(answer_id)

    def answers(self, session_id: str, *, include_superseded: bool = False) -> list[AnswerRecord]:
        return self.queries.answers(session_id, include_superseded=include_superseded)

    def answer_history(self, session_id: str, position: int) -> list[AnswerRecord]:
        return self.queries.answer_history(session_id, position)

    def load_audio(self, answer: AnswerRecord) -> np.ndarray:
        return self.queries.load_audio(answer)

    def questions_answered(self) -> list[tuple[str, str, int]]:
        return self.queries.questions_answered()

    def attempts(self, question_id: str) -> list[AnswerRecord]:
        return self.queries.attempts(question_id)

    def summaries(self) -> list[SessionSummary]:
        return self.queries.summaries()

    # --- writes ---------------------------------------------------------------------------------

    def start_session(self, *, role: str = "", mode: str = "", settings: dict[str, Any] | None = None,
                      engine: str = "", model: str = "", rubric_version: str = "") -> SessionRecord:
        return self.writes.start_session(role=role, mode=mode, settings=settings, engine=engine, model=model,
                                         rubric_version=rubric_version)

    def finish_session(self, session_id: str) -> SessionRecord:
        return self.writes.finish_session(session_id)

    def update_session_settings(self, session_id: str, **updates: Any) -> SessionRecord:
        return self.writes.update_session_settings(session_id, **updates)

    def open_answer_audio(self, session_id: str, position: int, question: Any = None) -> AnswerWriter:
        return self.writes.open_answer_audio(session_id, position, question)

    def add_answer(self, session_id: str, question: Any, report: AnswerReport, samples: np.ndarray | None, *,
                   position: int | None = None, sample_rate: int = SAMPLE_RATE) -> AnswerRecord:
        return self.writes.add_answer(session_id, question, report, samples, position=position,
                                      sample_rate=sample_rate)

    def add_follow_up_answer(self, session_id: str, question: Any, report: AnswerReport,
                             samples: np.ndarray | None, *, parent_id: str, position: int | None = None,
                             sample_rate: int = SAMPLE_RATE) -> AnswerRecord:
        return self.writes.add_follow_up_answer(session_id, question, report, samples, parent_id=parent_id,
                                                position=position, sample_rate=sample_rate)

    def replace_answer(self, old: AnswerRecord, report: AnswerReport) -> AnswerRecord:
        return self.writes.replace_answer(old, report)

    def hold_report(self, session_id: str, position: int, question: Any, report: AnswerReport, n_samples: int,
                    *, parent_id: str | None = None) -> None:
        self.writes.hold_report(session_id, position, question, report, n_samples, parent_id=parent_id)

    def release_report(self, session_id: str, position: int) -> None:
        self.writes.release_report(session_id, position)

    def delete_session(self, session_id: str) -> SessionRecord:
        return self.writes.delete_session(session_id)

    def delete_all(self) -> int:
        return self.writes.delete_all()

    def interrupted(self) -> list[str]:
        """Sessions left in progress by a process that is gone (a crash, a kill, a closed terminal):
        ``sessions recover``, or the next start of the app, closes them and keeps every recording."""
        return self.recovery.interrupted()

    def kept_aside(self) -> dict[str, Path]:
        """Session id -> where a deletion kept the files of its folder that were not the store's
        (a user's notes, their own recording): in ``lost+found``, never deleted."""
        return dict(self.writes.kept_aside)

    # --- recovery -------------------------------------------------------------------------------

    def recover(self, *, include_live: bool = False) -> list[RecoveredSession]:
        return self.recovery.recover(include_live=include_live)

    def keep_partials(self, session_id: str, *,
                      worth_keeping: Callable[[np.ndarray], bool] | None = None) -> list[AnswerRecord]:
        return self.recovery.keep_partials(session_id, worth_keeping=worth_keeping)


for _name, _part in [
    ("get_session", SessionQueries), ("list_sessions", SessionQueries), ("next_position", SessionQueries),
    ("unlisted_recordings", SessionQueries),
    ("get_answer", SessionQueries), ("answers", SessionQueries), ("answer_history", SessionQueries),
    ("load_audio", SessionQueries), ("questions_answered", SessionQueries), ("attempts", SessionQueries),
    ("summaries", SessionQueries), ("start_session", SessionWrites), ("finish_session", SessionWrites),
    ("update_session_settings", SessionWrites), ("open_answer_audio", SessionWrites),
    ("add_answer", SessionWrites), ("add_follow_up_answer", SessionWrites), ("replace_answer", SessionWrites),
    ("hold_report", SessionWrites), ("release_report", SessionWrites),
    ("delete_session", SessionWrites), ("delete_all", SessionWrites), ("recover", StoreRecovery),
    ("keep_partials", StoreRecovery), ("audio_dir", StoreConnection), ("corrupt_backups", StoreConnection),
]:
    getattr(SessionStore, _name).__doc__ = getattr(_part, _name).__doc__  # one docstring, where the work is
del _name, _part
