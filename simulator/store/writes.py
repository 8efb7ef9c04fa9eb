"""Writing to the session store: sessions, answers (and follow-ups' links), audio files, deleting.

:class:`SessionWrites` makes every change the voice loop and the CLI make. The order of each write is
what makes a crash safe: an answer's audio is a complete FLAC on disk before the row that points at
it is committed, and each change is one ``BEGIN IMMEDIATE`` transaction. Deleting checkpoints and
vacuums, so a deleted transcript does not linger in free pages or the WAL. The answer to an
interviewer follow-up names its main question in its ``options`` (:func:`parent_question_id`), so
the link needs no schema change and survives a rescore.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.errors import StoreError
from simulator.store import models as m
from simulator.store.models import AnswerRecord, QuestionRef, SessionRecord
from simulator.store.connection import StoreConnection, StoreFullError, typed_restored_marker
from simulator.store.queries import DELETING_PREFIX, SessionQueries
from simulator.store.rebuild import process_alive
from simulator.store import notes
from simulator.store.notes import HELD_REPORT_SUFFIX
from simulator.store.recordings import (
    PARTIAL_SUFFIX,
    AnswerWriter,
    create_private_file,
    finish_deleting,
    private_dir,
    write_flac_atomic,
)

if TYPE_CHECKING:
    from simulator.answer.report import AnswerReport


class SessionWrites:
    """The store's writes: sessions, answers (scored, streamed or rescored), their audio, deletion.

    Reads what it needs (the session a prefix names, the next free position) through ``queries``.
    """

    def __init__(self, db: StoreConnection, queries: SessionQueries) -> None:
        self.db = db
        self.queries = queries
        self.kept_aside: dict[str, Path] = {}
        """Session id -> where the files of its folder that were not the store's went when it was
        deleted (in ``lost+found``)."""

    # --- sessions ----------------------------------------------------------------------------

    def start_session(
        self,
        *,
        role: str = "",
        mode: str = "",
        settings: dict[str, Any] | None = None,
        engine: str = "",
        model: str = "",
        rubric_version: str = "",
    ) -> SessionRecord:
        """Record the start of a session (status ``in_progress``, owned by this process)."""
        started = datetime.now(timezone.utc)
        session_id = f"{started:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        with self.db.write() as c:
            c.execute(
                "INSERT INTO sessions (id, started_at, role, mode, status, settings, engine, model, "
                "rubric_version, pid) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?)",
                (session_id, started.isoformat(timespec="milliseconds"), role, mode,
                 json.dumps(settings or {}), engine, model, rubric_version, os.getpid()),
            )
        return self.queries.get_session(session_id)

    def finish_session(self, session_id: str) -> SessionRecord:
        session_id = self.queries.get_session(session_id).id
        with self.db.write() as c:
            c.execute("UPDATE sessions SET status = 'complete', ended_at = ?, pid = NULL WHERE id = ?",
                      (now_iso(), session_id))
        return self.queries.get_session(session_id)

    # --- answers -----------------------------------------------------------------------------

    def open_answer_audio(self, session_id: str, position: int, question: Any = None) -> AnswerWriter:
        """Start streaming answer ``position``'s audio to disk (see :class:`AnswerWriter`).

        ``question`` (a bank Question, a :class:`QuestionRef` or its text) is noted beside the
        recording so that a crash-recovered answer still knows what it replied to.
        """
        session_id = self.queries.get_session(session_id).id
        folder = private_dir(self.db.audio_dir(session_id))
        if question is not None:
            ref = _question_ref(question)
            note = folder / f"{position}.partial.json"
            create_private_file(note)
            note.write_text(json.dumps({"id": ref.id, "text": ref.text, "rubric": _question_rubric(question)}))
        self._note_session(session_id)
        return AnswerWriter(folder / f"{position}{PARTIAL_SUFFIX}")

    def add_answer(
        self,
        session_id: str,
        question: Any,
        report: AnswerReport,
        samples: np.ndarray | None,
        *,
        position: int | None = None,
        sample_rate: int = SAMPLE_RATE,
    ) -> AnswerRecord:
        """Store one scored answer: its audio as FLAC first, then its row, in one transaction.

        Args:
            session_id: the session (exact id).
            question: a bank ``Question``, a :class:`QuestionRef`, the question text, or None.
            report: the pipeline's report on the answer.
            samples: the answer's audio (mono float32).
            position: the answer's place in the session; the next free one by default. A
                ``<position>.partial.wav`` streamed for it is removed once the answer is saved.

        ``samples`` may be None for an answer without a recording (a typed answer).
        """
        session_id = self.queries.get_session(session_id).id
        pos = position if position is not None else self.queries.next_position(session_id)
        # The rubric it is judged by: the question's as asked, else the one its content was scored with.
        rubric = _question_rubric(question) or (report.content.rubric if report.content is not None else None)
        if samples is None:
            audio, duration_s = None, 0.0
        else:
            audio = self.write_audio(session_id, pos, samples, sample_rate)
            duration_s = round(len(np.asarray(samples).reshape(-1)) / sample_rate, 3)
            # Its question and scores beside it, for a rebuild that has lost the row (simulator/store/notes.py).
            notes.write_answer_note(self.db.root / audio, _question_ref(question), rubric, _report_columns(report))
        record = self.insert_answer(session_id, pos, _question_ref(question), audio, duration_s, report,
                                     rubric=rubric)
        self.drop_partial(session_id, pos)
        return record

    def write_audio(self, session_id: str, position: int, samples: np.ndarray, sample_rate: int) -> str:
        """Save answer ``position``'s samples as a FLAC in its session's folder (complete on disk
        before this returns); the path relative to the store's folder, as its row keeps it."""
        rel = Path("audio") / session_id / f"{position}-{secrets.token_hex(3)}.flac"
        write_flac_atomic(self.db.root / rel, samples, sample_rate)
        self._note_session(session_id)
        return rel.as_posix()

    def _note_session(self, session_id: str) -> None:
        """The session's role, mode and settings in its folder, for a rebuild that has lost its row."""
        s = self.queries.get_session(session_id)
        notes.write_session_note(self.db.audio_dir(s.id), {
            "id": s.id, "started_at": s.started_at, "role": s.role, "mode": s.mode, "settings": s.settings,
            "engine": s.engine, "model": s.model, "rubric_version": s.rubric_version})

    def insert_answer(
        self, session_id: str, position: int, q: QuestionRef, audio: str | None, duration_s: float,
        report: AnswerReport | None, *, supersedes: int | None = None, rubric: str | None = None,
        columns: tuple[Any, ...] | None = None,
    ) -> AnswerRecord:
        """Insert one answer row (unscored when ``report`` is None), marking ``supersedes`` replaced.
        ``columns``: the report's column values as :func:`_report_columns` made them (a held report,
        read back by recovery), instead of ``report``."""
        values = columns if columns is not None else _report_columns(report)
        with self.db.write() as c:
            cur = c.execute(
                "INSERT INTO answers (session_id, position, question_id, question_text, audio_path, "
                "duration_s, transcript, delivery, content, feedback, created_at, source, options, rubric) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, position, q.id, q.text, audio, duration_s, *values[:4], now_iso(), *values[4:],
                 rubric),
            )
            answer_id = int(cur.lastrowid or 0)
            if supersedes is not None:
                c.execute("UPDATE answers SET superseded_by = ? WHERE id = ?", (answer_id, supersedes))
        return self.queries.get_answer(answer_id)

    def replace_answer(self, old: AnswerRecord, report: AnswerReport) -> AnswerRecord:
        """Store a new scoring of ``old``'s recording (rescore); ``old`` is kept, marked superseded."""
        if old.superseded_by is not None:
            raise StoreError(f"answer {old.id} was already rescored (see answer {old.superseded_by})")
        audio = None
        report = _carry_links(old, report)
        if old.audio_path is not None:
            audio = old.audio_path.relative_to(self.db.root).as_posix()
            if old.audio_path.is_file():
                notes.write_answer_note(old.audio_path, old.question, old.rubric, _report_columns(report))
        return self.insert_answer(old.session_id, old.position, old.question, audio, old.duration_s,
                                   report, supersedes=old.id, rubric=old.rubric)

    def drop_partial(self, session_id: str, position: int) -> None:
        folder = self.db.audio_dir(session_id)
        (folder / f"{position}{PARTIAL_SUFFIX}").unlink(missing_ok=True)
        (folder / f"{position}.partial.json").unlink(missing_ok=True)
        (folder / f"{position}{HELD_REPORT_SUFFIX}").unlink(missing_ok=True)

    def hold_report(self, session_id: str, position: int, question: Any, report: AnswerReport,
                    n_samples: int, *, parent_id: str | None = None) -> None:
        """Keep the report of answer ``position`` beside its partial recording while the answer may
        still resume (its feedback is on screen, the microphone listens on): a crash or a kill then
        recovers the answer scored, not as a bare recording. ``n_samples``: how much of the recording
        the report covers; recovery uses the report only for a recording no longer than that (an
        answer that resumed and went on has outgrown it). :meth:`add_answer` removes the file, and so
        does :meth:`release_report` when the answer resumes."""
        folder = self.db.audio_dir(session_id)
        if parent_id is not None:
            report = replace(report, options={**report.options, PARENT_QUESTION_KEY: parent_id})
        rubric = _question_rubric(question) or (report.content.rubric if report.content is not None else None)
        try:
            notes.write_held_report(folder, position, rubric, _report_columns(report), n_samples)
        except OSError as e:
            raise StoreError(f"cannot keep the report beside the recording in {folder}: {e.strerror or e}") from e

    def release_report(self, session_id: str, position: int) -> None:
        """The answer resumed: the report held for it (:meth:`hold_report`) no longer covers it."""
        (self.db.audio_dir(session_id) / f"{position}{HELD_REPORT_SUFFIX}").unlink(missing_ok=True)

    # --- follow-ups and session results ------------------------------------------------------

    def add_follow_up_answer(
        self,
        session_id: str,
        question: Any,
        report: AnswerReport,
        samples: np.ndarray | None,
        *,
        parent_id: str,
        position: int | None = None,
        sample_rate: int = SAMPLE_RATE,
    ) -> AnswerRecord:
        """Store the answer to an interviewer follow-up, linked to its main question.

        Like :meth:`add_answer`; the main question's id is kept in the answer's ``options`` under
        :data:`PARENT_QUESTION_KEY` (read it back with :func:`parent_question_id`), so no schema
        change is needed and a rescore keeps the link.
        """
        linked = replace(report, options={**report.options, PARENT_QUESTION_KEY: parent_id})
        return self.add_answer(session_id, question, linked, samples, position=position,
                               sample_rate=sample_rate)

    def update_session_settings(self, session_id: str, **updates: Any) -> SessionRecord:
        """Merge ``updates`` into a session's settings (for results known only at the end, such as
        a role-play's outcome, mood trail and overall score)."""
        session = self.queries.get_session(session_id)
        settings = {**session.settings, **updates}
        with self.db.write() as c:
            c.execute("UPDATE sessions SET settings = ? WHERE id = ?",
                      (json.dumps(settings, default=str), session.id))
        return self.queries.get_session(session.id)

    # --- deleting ----------------------------------------------------------------------------

    def delete_session(self, session_id: str) -> SessionRecord:
        """Remove a session's rows and every file of its audio (FLAC, partial recordings).

        Raises:
            StoreError: another running app is recording the session (:meth:`open_elsewhere`).
        """
        session = self.queries.get_session(session_id)
        if session.id in self.open_elsewhere():
            raise StoreError(f"session {session.id} is open in another interview-sim window, which is still "
                             "recording it: end it there first (nothing deleted)")
        # The folder is renamed aside first (a rename needs no disk space): a crash before the
        # rows are gone leaves a folder recovery puts back, one after leaves a folder recovery
        # knows to finish deleting, never one it would take for a lost session and rebuild.
        trash = _set_for_deletion(self.db.audio_dir(session.id), self.kept_aside)

        def delete_rows() -> None:
            with self.db.write() as c:
                c.execute("UPDATE answers SET superseded_by = NULL WHERE session_id = ?", (session.id,))
                c.execute("DELETE FROM answers WHERE session_id = ?", (session.id,))
                c.execute("DELETE FROM sessions WHERE id = ?", (session.id,))

        try:
            try:
                delete_rows()
            except StoreFullError:
                # The disk is full: the rows cannot go before the recordings free some space. The
                # user asked for both to go, so remove the recordings first and try again.
                self._finish(trash)
                trash = None
                self._room_made()
                delete_rows()
        except BaseException:
            _restore_from_deletion(trash)
            raise
        self._finish(trash)
        self._vacuum()
        return session

    def open_elsewhere(self) -> list[str]:
        """Sessions in progress in another running process (another app window): deleting one
        under it lost every answer that window went on to record (stop 44's explorer)."""
        rows = self.db.conn.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress' AND pid IS NOT NULL")
        return [sid for sid, pid in rows if pid != os.getpid() and process_alive(int(pid))]

    def delete_all(self) -> int:
        """Remove every session, answer and recording, and the backups of damaged stores (they
        hold old sessions too); return how many sessions there were. Audio folders that no session
        lists are kept: they may be sessions a damaged store lost (``sessions recover`` rebuilds
        them), and nobody was asked about them (:meth:`SessionQueries.unlisted_recordings`)."""
        if open_ := self.open_elsewhere():
            raise StoreError(f"{len(open_)} session(s) ({', '.join(open_)}) are open in another interview-sim "
                             "window, which is still recording: end them there first (nothing deleted)")
        audio_root = self.db.root / "audio"
        known = {r[0] for r in self.db.conn.execute("SELECT id FROM sessions")}
        trashed = []

        def delete_rows() -> int:
            with self.db.write() as c:
                n = c.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
                c.execute("UPDATE answers SET superseded_by = NULL")
                c.execute("DELETE FROM answers")
                c.execute("DELETE FROM sessions")
            return int(n)

        try:
            if audio_root.is_dir():
                for folder in audio_root.iterdir():
                    if folder.is_dir() and folder.name in known:
                        trashed.append(_set_for_deletion(folder, self.kept_aside))
            try:
                n = delete_rows()
            except StoreFullError:
                # The disk is full: free the recordings first (the user asked for them to go).
                for trash in trashed:
                    self._finish(trash)
                trashed = []
                self._room_made()
                n = delete_rows()
        except BaseException:
            for trash in trashed:
                _restore_from_deletion(trash)
            raise
        for trash in trashed:
            self._finish(trash)
        for backup in self.db.corrupt_backups():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{backup}{suffix}").unlink(missing_ok=True)
            typed_restored_marker(backup).unlink(missing_ok=True)
        self._vacuum()
        return int(n)

    def _finish(self, trash: Path | None) -> None:
        """Finish deleting a folder set aside; what is kept of it is noted in :attr:`kept_aside`."""
        if trash is None:
            return
        session_id = trash.name.removeprefix(DELETING_PREFIX)
        if (where := finish_deleting(trash, session_id)) is not None:
            self.kept_aside[session_id] = where

    def _room_made(self) -> None:
        """Recordings were deleted to give a full disk room: a store opened read-only for want of
        it is opened for writing again."""
        if self.db.disk_full:
            self.db.reopen_writable()

    def _vacuum(self) -> None:
        """Deleted transcripts must not linger in free pages or the WAL: checkpoint and vacuum."""
        with contextlib.suppress(sqlite3.OperationalError):  # another process is reading; later
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.conn.execute("VACUUM")
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _set_for_deletion(folder: Path, kept_aside: dict[str, Path] | None = None) -> Path | None:
    """Rename ``folder`` to ``.deleting-<name>`` beside it (None when there is no folder). One left
    there by an earlier deletion that crashed is finished first; what the app did not write in it
    goes to lost+found, noted in ``kept_aside``."""
    if not folder.is_dir():
        return None
    trash = folder.with_name(f"{DELETING_PREFIX}{folder.name}")
    if trash.exists():
        where = finish_deleting(trash, folder.name)
        if where is not None and kept_aside is not None:
            kept_aside[f"{folder.name} (an earlier deletion)"] = where
        if trash.exists():
            raise StoreError(f"cannot delete {folder}: {trash}, left by an earlier deletion, holds files that "
                             "could not be moved to lost+found; move them elsewhere first")
    try:
        os.replace(folder, trash)
    except OSError as e:
        raise StoreError(f"cannot delete {folder}: {e.strerror or e}") from e
    return trash


def _restore_from_deletion(trash: Path | None) -> None:
    """Undo :func:`_set_for_deletion` (the rows could not be deleted)."""
    if trash is not None:
        with contextlib.suppress(OSError):
            os.replace(trash, trash.with_name(trash.name.removeprefix(DELETING_PREFIX)))


PARENT_QUESTION_KEY = "parent_question_id"
"""The answer option naming the main question a follow-up answer belongs to."""


def parent_question_id(answer: AnswerRecord) -> str | None:
    """The main question's id for a stored follow-up answer, else None."""
    value = answer.options.get(PARENT_QUESTION_KEY)
    return str(value) if value else None


def _carry_links(old: AnswerRecord, report: AnswerReport) -> AnswerReport:
    """A rescored report keeps the follow-up link of the answer it replaces."""
    parent = parent_question_id(old)
    if parent is None or PARENT_QUESTION_KEY in report.options:
        return report
    return replace(report, options={**report.options, PARENT_QUESTION_KEY: parent})


def now_iso() -> str:
    """The current UTC time as stored in ``started_at``/``ended_at``/``created_at``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _question_ref(question: Any) -> QuestionRef:
    if question is None:
        return QuestionRef(None, "")
    if isinstance(question, str):
        return QuestionRef(None, question)
    return QuestionRef(getattr(question, "id", None), getattr(question, "text", ""))


def _question_rubric(question: Any) -> str | None:
    """The rubric a bank ``Question`` (or a follow-up made from one) is judged by; None otherwise."""
    rubric = getattr(question, "rubric", None)
    return rubric if isinstance(rubric, str) and rubric else None


def _report_columns(report: AnswerReport | None) -> tuple[Any, ...]:
    """(transcript, delivery, content, feedback, source, options) column values."""
    if report is None:
        return (None, None, None, "[]", "", "{}")
    content = report.content
    content_json = m.content_to_json(content) if content is not None else None
    feedback = m.feedback_to_json(content.feedback) if content is not None else []
    return (
        json.dumps(m.transcript_to_json(report.transcript)),
        json.dumps(m.delivery_to_json(report.delivery)),
        json.dumps(content_json) if content_json is not None else None,
        json.dumps(feedback),
        report.source,
        json.dumps(report.options, default=str),
    )
