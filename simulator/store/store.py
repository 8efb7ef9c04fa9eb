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

:class:`SessionStore` is assembled from one layer per responsibility, each building on the one
before, so each stays short enough to read in one sitting:

- :mod:`~simulator.store.connection`: opening, migrating, write transactions, damaged files;
- :mod:`~simulator.store.queries`: sessions, answers, audio and history figures (reads only);
- :mod:`~simulator.store.writes`: sessions, answers, follow-up links, deleting;
- :mod:`~simulator.store.recovery`: closing sessions a crash interrupted.
"""

from __future__ import annotations

from simulator.store.connection import BUSY_TIMEOUT_MS, DB_NAME, StoreCorruptError
from simulator.store.queries import UnknownSessionError
from simulator.store.recovery import RecoveredSession, StoreRecovery
from simulator.store.writes import PARENT_QUESTION_KEY, parent_question_id

__all__ = [
    "BUSY_TIMEOUT_MS", "DB_NAME", "PARENT_QUESTION_KEY", "RecoveredSession", "SessionStore",
    "StoreCorruptError", "UnknownSessionError", "parent_question_id",
]


class SessionStore(StoreRecovery):
    """A connection to the store. Open with :meth:`open`; usable as a context manager."""
