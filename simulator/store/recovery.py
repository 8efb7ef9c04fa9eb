"""Crash recovery for the session store: closing interrupted sessions without losing an answer.

:class:`StoreRecovery` runs :meth:`~StoreRecovery.recover`, run when the app or CLI starts, and
:meth:`~StoreRecovery.keep_partials`, run when the candidate quits mid-answer. A session a crash
left ``in_progress`` keeps its answers, each ``<n>.partial.wav`` streamed before the crash becomes an
answer (unscored, or scored with the report held beside it when its feedback was already on screen:
:meth:`~simulator.store.writes.SessionWrites.hold_report`), and a complete FLAC whose row was never committed is attached too. A session whose
process is still alive (another app window) is left alone, so two windows can share one store.
Audio folders whose session rows are lost are rebuilt first (:mod:`simulator.store.rebuild`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.errors import StoreError
from simulator.store.connection import StoreConnection
from simulator.store.models import AnswerRecord, QuestionRef, SessionRecord
from simulator.store.queries import SessionQueries
from simulator.store.rebuild import FolderRebuilder, process_alive, unreferenced_flacs
from simulator.store.recordings import PARTIAL_SUFFIX, read_partial_wav
from simulator.store.notes import HELD_REPORT_SUFFIX, read_answer_note, read_held_report
from simulator.store.writes import SessionWrites, now_iso


@dataclass(frozen=True)
class RecoveredSession:
    """What :meth:`SessionStore.recover` did for one interrupted session."""

    session: SessionRecord
    answers_kept: int
    recordings_attached: tuple[AnswerRecord, ...]
    rebuilt: bool = False
    """The session's row was lost (a damaged or incomplete database) and rebuilt from its folder."""


class StoreRecovery:
    """The store's crash recovery: interrupted sessions, partial recordings, orphaned files."""

    def __init__(self, db: StoreConnection, queries: SessionQueries, writes: SessionWrites) -> None:
        self.db = db
        self.queries = queries
        self.writes = writes
        self.lost_and_found: list[Path] = []
        """What the last :meth:`recover` moved to ``lost+found``."""

    def recover(self, *, include_live: bool = False) -> list[RecoveredSession]:
        """Close every session a crash left ``in_progress``: mark it ``recovered``, keep its answers,
        and store each ``<n>.partial.wav`` found in its folder as an (unscored) answer.

        Sessions whose process is still running (another app window) are left alone unless
        ``include_live``. No recording is ever deleted: an audio folder no session row refers to
        (the database was damaged and set aside, or its ``-wal`` was lost) is rebuilt into a session
        from the backup database and the files themselves, a recording whose answer row is missing
        becomes an unscored answer ``rescore`` can score, and whatever cannot be placed is moved to
        ``lost+found`` (listed in :attr:`lost_and_found`). Half-written temporary files of dead
        writers and the folders of sessions deleted on purpose are removed.
        """
        if self.db.read_only:  # a store that cannot be written is only read: nothing moved, nothing closed
            self.lost_and_found = []
            return []
        rebuilder = FolderRebuilder(self.db)
        self.lost_and_found = rebuilder.lost_and_found
        with self._recovery_lock():
            rebuilt = rebuilder.rebuild_unknown_folders()
            open_ids = self._in_progress(include_live=include_live)
            out = []
            for session_id in open_ids:
                if self._drop_empty_import(session_id):
                    continue
                out.append(self._close(session_id, rebuilt=session_id in rebuilt))
            # Closed sessions whose answer rows were lost (a lost -wal) but whose recordings are here.
            closed = self.db.conn.execute("SELECT id FROM sessions WHERE status != 'in_progress'").fetchall()
            for (session_id,) in closed:
                folder = self.db.audio_dir(session_id)
                if folder.is_dir() and (any(folder.glob(f"*{PARTIAL_SUFFIX}"))
                                        or unreferenced_flacs(self.db, session_id)):
                    out.append(self._close(session_id, rebuilt=False))
            return out

    def _in_progress(self, *, include_live: bool = False) -> list[str]:
        """Sessions still ``in_progress``: those whose process is gone (a crash, a kill, a closed
        terminal), and with ``include_live`` those still running too."""
        rows = self.db.conn.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress'").fetchall()
        return [sid for sid, pid in rows if include_live or pid is None or not process_alive(pid)]

    def interrupted(self) -> list[str]:
        """Sessions left in progress by a process that is gone: :meth:`recover` closes them."""
        return self._in_progress()

    def _drop_empty_import(self, session_id: str) -> bool:
        """An ``import`` killed before its answer was stored left a session with nothing in it (the
        recording is still where the user keeps it): remove it rather than list "0 answers"."""
        row = self.db.conn.execute("SELECT mode FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row[0] != "import":
            return False
        if self.db.conn.execute("SELECT 1 FROM answers WHERE session_id = ? LIMIT 1", (session_id,)).fetchone():
            return False
        folder = self.db.audio_dir(session_id)
        if folder.is_dir() and any(not f.name.startswith(".") for f in folder.iterdir()):
            return False  # a recording is there: recovery attaches it
        self.writes.delete_session(session_id)
        return True

    def _close(self, session_id: str, *, rebuilt: bool) -> RecoveredSession:
        attached = tuple(self._attach_partials(session_id))
        with self.db.write() as c:
            c.execute("UPDATE sessions SET status = 'recovered', ended_at = COALESCE(ended_at, ?), "
                      "pid = NULL WHERE id = ?", (now_iso(), session_id))
        kept = len(self.queries.answers(session_id)) - len(attached)
        return RecoveredSession(self.queries.get_session(session_id), kept, attached, rebuilt)

    @contextlib.contextmanager
    def _recovery_lock(self) -> Iterator[None]:
        """One recovery at a time across processes (two app windows started together would both
        attach the same partial recording otherwise)."""
        lock = self.db.root / ".recover.lock"
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"cannot recover sessions in {self.db.root}: {e.strerror or e}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _attach_partials(self, session_id: str,
                         worth_keeping: Callable[[np.ndarray], bool] | None = None) -> Iterator[AnswerRecord]:
        folder = self.db.audio_dir(session_id)
        if not folder.is_dir():
            return
        existing = {a.position for a in self.queries.answers(session_id, include_superseded=True)}
        # Complete FLACs no row points at: saved just before a crash that came before the row's
        # commit (add_answer, or an earlier recovery killed half-way).
        orphans = unreferenced_flacs(self.db, session_id)
        for partial in sorted(folder.glob(f"*{PARTIAL_SUFFIX}")):
            stem = partial.name.removesuffix(PARTIAL_SUFFIX)
            note = folder / f"{stem}.partial.json"
            try:
                samples = read_partial_wav(partial)
            except OSError:
                continue  # unreadable now (disk trouble): leave it for the next recovery
            position = int(stem) if stem.isdigit() else self.queries.next_position(session_id)
            held = folder / f"{stem}{HELD_REPORT_SUFFIX}"
            report = read_held_report(folder, stem, len(samples))
            if position in existing or len(samples) == 0 or (
                    report is None and worth_keeping and not worth_keeping(samples)):
                # Already saved as a full answer before the crash, or nothing (worth keeping) was captured.
                partial.unlink(missing_ok=True)
                note.unlink(missing_ok=True)
                held.unlink(missing_ok=True)
                continue
            question, asked_rubric = QuestionRef(None, ""), None
            if note.is_file():
                with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
                    q = json.loads(note.read_text())
                    question = QuestionRef(q.get("id"), q.get("text") or "")
                    asked_rubric = q.get("rubric") if isinstance(q.get("rubric"), str) else None
            saved = next((o for o in orphans if o[1] == position), None)
            if saved is not None:
                # The same take, already complete as FLAC: attach that file, do not store it twice,
                # scored if its note says how (the row's commit was all that was missing).
                orphans.remove(saved)
                rel, _, duration_s = saved
                if report is None and (note_of := read_answer_note(self.db.root / rel)) is not None \
                        and note_of.columns is not None:
                    report = (note_of.columns, note_of.rubric)
            else:
                rel = self.writes.write_audio(session_id, position, samples, SAMPLE_RATE)
                duration_s = round(len(samples) / SAMPLE_RATE, 3)
            if report is not None:  # scored, its feedback on screen, when the process ended
                columns, rubric = report
                record = self.writes.insert_answer(session_id, position, question, rel, duration_s, None,
                                                   columns=columns, rubric=rubric)
            else:  # unscored, judged by its question's rubric when `rescore` scores it
                record = self.writes.insert_answer(session_id, position, question, rel, duration_s, None,
                                                   rubric=asked_rubric)
            existing.add(position)
            partial.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
            held.unlink(missing_ok=True)
            yield record
        for rel, head, duration_s in orphans:
            # No partial recording beside it (its row lost with a damaged database, a typed-in session,
            # an import): keep it as an answer, with the question and scores its note keeps.
            position = head if head is not None and head not in existing else self.queries.next_position(session_id)
            existing.add(position)
            note_of = read_answer_note(self.db.root / rel)
            if note_of is None:
                yield self.writes.insert_answer(session_id, position, QuestionRef(None, ""), rel, duration_s, None)
            else:
                yield self.writes.insert_answer(session_id, position, note_of.question, rel, duration_s, None,
                                                rubric=note_of.rubric, columns=note_of.columns)

    def keep_partials(self, session_id: str, *,
                      worth_keeping: Callable[[np.ndarray], bool] | None = None) -> list[AnswerRecord]:
        """Store every ``<n>.partial.wav`` of a live session as an (unscored) answer, now.

        For the app when the candidate quits or cancels mid-answer: the audio captured so far is
        kept exactly as :meth:`recover` would keep it after a crash. ``worth_keeping(samples)``,
        when given, drops the takes it turns down (the app's: a take that never heard a voice).
        """
        session_id = self.queries.get_session(session_id).id
        with self._recovery_lock():
            return list(self._attach_partials(session_id, worth_keeping))

