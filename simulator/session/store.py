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
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.errors import StoreError
from simulator.pipeline import AnswerReport
from simulator.session import models as m
from simulator.session.models import AnswerRecord, QuestionRef, SessionRecord, SessionSummary
from simulator.session.recordings import (
    PARTIAL_SUFFIX,
    AnswerWriter,
    create_private_file,
    private_dir,
    read_partial_wav,
    write_flac_atomic,
)
from simulator.session.schema import migrate

DB_NAME = "sessions.db"
BUSY_TIMEOUT_MS = 15_000
_CORRUPT_CODES = {getattr(sqlite3, "SQLITE_CORRUPT", 11), getattr(sqlite3, "SQLITE_NOTADB", 26)}


class StoreCorruptError(StoreError):
    """The database file was damaged; it has been set aside and a fresh store created."""

    def __init__(self, message: str, backup: Path) -> None:
        super().__init__(message)
        self.backup = backup


class UnknownSessionError(StoreError):
    """No session has the id (or id prefix) the user gave."""


@dataclass(frozen=True)
class RecoveredSession:
    """What :meth:`SessionStore.recover` did for one interrupted session."""

    session: SessionRecord
    answers_kept: int
    recordings_attached: tuple[AnswerRecord, ...]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _question_ref(question: Any) -> QuestionRef:
    if question is None:
        return QuestionRef(None, "")
    if isinstance(question, str):
        return QuestionRef(None, question)
    return QuestionRef(getattr(question, "id", None), getattr(question, "text", ""))


class SessionStore:
    """A connection to the store. Open with :meth:`open`; usable as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self.root = path.parent
        self.corrupt_backup: Path | None = None

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, on_corrupt: Literal["raise", "backup"] = "raise"
    ) -> SessionStore:
        """Open (creating and migrating as needed) the store at ``path`` or ``data_dir()/sessions.db``.

        A damaged database file is never deleted: it is renamed to ``sessions.db.corrupt-<time>``
        and a fresh store is created in its place. With ``on_corrupt="raise"`` (the CLI) that is
        reported as :class:`StoreCorruptError`; with ``"backup"`` (the app) the fresh store is
        returned and ``store.corrupt_backup`` names the backup so the app can tell the user.

        Raises:
            StoreError: the database cannot be opened or was written by a newer release.
        """
        if path is None:
            from simulator.paths import data_dir  # noqa: PLC0415

            db = data_dir() / DB_NAME
        else:
            db = Path(path)
            private_dir(db.parent)
        try:
            return cls._connect(db)
        except sqlite3.DatabaseError as e:
            if getattr(e, "sqlite_errorcode", None) not in _CORRUPT_CODES and not isinstance(e, _Corrupt):
                raise StoreError(f"cannot open the session store {db}: {e}") from e
            backup = _set_aside(db)
            store = cls._connect(db)
            store.corrupt_backup = backup
            if on_corrupt == "raise":
                store.close()
                raise StoreCorruptError(
                    f"the session store {db} was damaged; it was moved to {backup.name} and a new, "
                    f"empty store was created (run the command again)", backup,
                ) from e
            return store

    @classmethod
    def _connect(cls, db: Path) -> SessionStore:
        # 0600 before SQLite writes (its -wal/-shm inherit the mode). O_EXCL: never truncate a
        # database another process created a moment ago.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _Corrupt(check)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, db)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front (no upgrade deadlocks)."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"the session store is busy or read-only ({e}); try again") from e
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def audio_dir(self, session_id: str) -> Path:
        return self.root / "audio" / session_id

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
        with self._write() as c:
            c.execute(
                "INSERT INTO sessions (id, started_at, role, mode, status, settings, engine, model, "
                "rubric_version, pid) VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?)",
                (session_id, started.isoformat(timespec="milliseconds"), role, mode,
                 json.dumps(settings or {}), engine, model, rubric_version, os.getpid()),
            )
        return self.get_session(session_id)

    def finish_session(self, session_id: str) -> SessionRecord:
        session_id = self.get_session(session_id).id
        with self._write() as c:
            c.execute("UPDATE sessions SET status = 'complete', ended_at = ?, pid = NULL WHERE id = ?",
                      (_now(), session_id))
        return self.get_session(session_id)

    def get_session(self, session_id: str) -> SessionRecord:
        """The session with this id, or the only one whose id starts with it.

        Raises:
            UnknownSessionError: no such session, or the prefix is ambiguous.
        """
        row = self._conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None and session_id:
            rows = self._conn.execute(
                "SELECT * FROM sessions WHERE substr(id, 1, ?) = ? LIMIT 2", (len(session_id), session_id)
            ).fetchall()
            if len(rows) > 1:
                raise UnknownSessionError(f"session id {session_id!r} is ambiguous; give more of it")
            row = rows[0] if rows else None
        if row is None:
            raise UnknownSessionError(f"no session {session_id!r}; see `interview-sim sessions list`")
        return self._session(row)

    def list_sessions(self) -> list[SessionRecord]:
        """All sessions, oldest first."""
        rows = self._conn.execute("SELECT * FROM sessions ORDER BY started_at, id").fetchall()
        return [self._session(r) for r in rows]

    def _session(self, row: tuple) -> SessionRecord:
        d = self._row_dict("sessions", row)
        return SessionRecord(
            id=d["id"], started_at=d["started_at"], ended_at=d["ended_at"], role=d["role"],
            mode=d["mode"], status=d["status"], settings=json.loads(d["settings"] or "{}"),
            engine=d.get("engine") or "", model=d.get("model") or "",
            rubric_version=d.get("rubric_version") or "",
        )

    def _row_dict(self, table: str, row: tuple) -> dict[str, Any]:
        cols = self._columns.get(table)
        if cols is None:
            cols = [r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")]
            self._columns[table] = cols
        return dict(zip(cols, row))

    @property
    def _columns(self) -> dict[str, list[str]]:
        cache = self.__dict__.setdefault("_column_cache", {})
        return cache

    # --- answers -----------------------------------------------------------------------------

    def next_position(self, session_id: str) -> int:
        row = self._conn.execute(
            "SELECT COALESCE(MAX(position), 0) FROM answers WHERE session_id = ?", (session_id,)
        ).fetchone()
        return int(row[0]) + 1

    def open_answer_audio(self, session_id: str, position: int, question: Any = None) -> AnswerWriter:
        """Start streaming answer ``position``'s audio to disk (see :class:`AnswerWriter`).

        ``question`` (a bank Question, a :class:`QuestionRef` or its text) is noted beside the
        recording so that a crash-recovered answer still knows what it replied to.
        """
        session_id = self.get_session(session_id).id
        folder = private_dir(self.audio_dir(session_id))
        if question is not None:
            ref = _question_ref(question)
            note = folder / f"{position}.partial.json"
            create_private_file(note)
            note.write_text(json.dumps({"id": ref.id, "text": ref.text}))
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
        session_id = self.get_session(session_id).id
        pos = position if position is not None else self.next_position(session_id)
        if samples is None:
            audio, duration_s = None, 0.0
        else:
            audio = self._write_audio(session_id, pos, samples, sample_rate)
            duration_s = round(len(np.asarray(samples).reshape(-1)) / sample_rate, 3)
        record = self._insert_answer(session_id, pos, _question_ref(question), audio, duration_s, report)
        self._drop_partial(session_id, pos)
        return record

    def _write_audio(self, session_id: str, position: int, samples: np.ndarray, sample_rate: int) -> str:
        rel = Path("audio") / session_id / f"{position}-{secrets.token_hex(3)}.flac"
        write_flac_atomic(self.root / rel, samples, sample_rate)
        return rel.as_posix()

    def _insert_answer(
        self, session_id: str, position: int, q: QuestionRef, audio: str | None, duration_s: float,
        report: AnswerReport | None, *, supersedes: int | None = None,
    ) -> AnswerRecord:
        values = _report_columns(report)
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO answers (session_id, position, question_id, question_text, audio_path, "
                "duration_s, transcript, delivery, content, feedback, created_at, source, options) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, position, q.id, q.text, audio, duration_s, *values[:4], _now(), *values[4:]),
            )
            answer_id = int(cur.lastrowid or 0)
            if supersedes is not None:
                c.execute("UPDATE answers SET superseded_by = ? WHERE id = ?", (answer_id, supersedes))
        return self.get_answer(answer_id)

    def replace_answer(self, old: AnswerRecord, report: AnswerReport) -> AnswerRecord:
        """Store a new scoring of ``old``'s recording (rescore); ``old`` is kept, marked superseded."""
        if old.superseded_by is not None:
            raise StoreError(f"answer {old.id} was already rescored (see answer {old.superseded_by})")
        audio = None
        if old.audio_path is not None:
            audio = old.audio_path.relative_to(self.root).as_posix()
        return self._insert_answer(old.session_id, old.position, old.question, audio, old.duration_s,
                                   report, supersedes=old.id)

    def get_answer(self, answer_id: int) -> AnswerRecord:
        row = self._conn.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            raise StoreError(f"no answer {answer_id}")
        return self._answer(row)

    def answers(self, session_id: str, *, include_superseded: bool = False) -> list[AnswerRecord]:
        """The session's answers in order: the current scoring of each, or every scoring."""
        session_id = self.get_session(session_id).id
        sql = "SELECT * FROM answers WHERE session_id = ?"
        if not include_superseded:
            sql += " AND superseded_by IS NULL"
        rows = self._conn.execute(sql + " ORDER BY position, id", (session_id,)).fetchall()
        return [self._answer(r) for r in rows]

    def answer_history(self, session_id: str, position: int) -> list[AnswerRecord]:
        """Every scoring of one answer, the original first."""
        return [a for a in self.answers(session_id, include_superseded=True) if a.position == position]

    def load_audio(self, answer: AnswerRecord) -> np.ndarray:
        """The answer's samples (mono float32).

        Raises:
            StoreError: the recording is missing or unreadable ("audio missing").
        """
        import soundfile as sf  # noqa: PLC0415

        if answer.audio_missing or answer.audio_path is None:
            raise StoreError(f"audio missing for answer {answer.position} of session {answer.session_id}")
        try:
            data, _ = sf.read(answer.audio_path, dtype="float32", always_2d=False)
        except (sf.LibsndfileError, RuntimeError, OSError) as e:
            raise StoreError(f"audio unreadable for answer {answer.position} of session "
                             f"{answer.session_id}: {e}") from e
        return np.asarray(data, dtype=np.float32).reshape(-1)

    def _answer(self, row: tuple) -> AnswerRecord:
        d = self._row_dict("answers", row)

        def load(key: str) -> Any:
            return json.loads(d[key]) if d.get(key) else None

        transcript, delivery, content = load("transcript"), load("delivery"), load("content")
        return AnswerRecord(
            id=d["id"], session_id=d["session_id"], position=d["position"],
            question=QuestionRef(d["question_id"], d["question_text"]),
            audio_path=(self.root / d["audio_path"]) if d["audio_path"] else None,
            duration_s=d["duration_s"],
            transcript=m.transcript_from_json(transcript) if transcript else None,
            delivery=m.delivery_from_json(delivery) if delivery else None,
            content=m.content_from_json(content) if content else None,
            feedback=m.feedback_from_json(load("feedback")),
            created_at=d["created_at"], superseded_by=d.get("superseded_by"),
            source=d.get("source") or "", options=json.loads(d.get("options") or "{}"),
        )

    # --- deleting ----------------------------------------------------------------------------

    def delete_session(self, session_id: str) -> SessionRecord:
        """Remove a session's rows and every file of its audio (FLAC, partial recordings)."""
        session = self.get_session(session_id)
        with self._write() as c:
            c.execute("UPDATE answers SET superseded_by = NULL WHERE session_id = ?", (session.id,))
            c.execute("DELETE FROM answers WHERE session_id = ?", (session.id,))
            c.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
        shutil.rmtree(self.audio_dir(session.id), ignore_errors=True)
        self._vacuum()
        return session

    def delete_all(self) -> int:
        """Remove every session, answer and recording; return how many sessions there were."""
        with self._write() as c:
            n = c.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
            c.execute("UPDATE answers SET superseded_by = NULL")
            c.execute("DELETE FROM answers")
            c.execute("DELETE FROM sessions")
        shutil.rmtree(self.root / "audio", ignore_errors=True)
        self._vacuum()
        return int(n)

    def _vacuum(self) -> None:
        """Deleted transcripts must not linger in free pages or the WAL: checkpoint and vacuum."""
        with contextlib.suppress(sqlite3.OperationalError):  # another process is reading; later
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- crash recovery ----------------------------------------------------------------------

    def recover(self, *, include_live: bool = False) -> list[RecoveredSession]:
        """Close every session a crash left ``in_progress``: mark it ``recovered``, keep its answers,
        and store each ``<n>.partial.wav`` found in its folder as an (unscored) answer.

        Sessions whose process is still running (another app window) are left alone unless
        ``include_live``. Also removes leftovers no row refers to: half-written temporary files and
        the folders of deleted sessions.
        """
        self._remove_orphans()
        rows = self._conn.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress'").fetchall()
        out = []
        for session_id, pid in rows:
            if not include_live and pid is not None and _process_alive(pid):
                continue
            attached = tuple(self._attach_partials(session_id))
            with self._write() as c:
                c.execute("UPDATE sessions SET status = 'recovered', ended_at = COALESCE(ended_at, ?), "
                          "pid = NULL WHERE id = ? AND status = 'in_progress'", (_now(), session_id))
            kept = len(self.answers(session_id)) - len(attached)
            out.append(RecoveredSession(self.get_session(session_id), kept, attached))
        return out

    def _attach_partials(self, session_id: str) -> Iterator[AnswerRecord]:
        folder = self.audio_dir(session_id)
        if not folder.is_dir():
            return
        existing = {a.position for a in self.answers(session_id, include_superseded=True)}
        for partial in sorted(folder.glob(f"*{PARTIAL_SUFFIX}")):
            stem = partial.name.removesuffix(PARTIAL_SUFFIX)
            note = folder / f"{stem}.partial.json"
            samples = read_partial_wav(partial)
            position = int(stem) if stem.isdigit() else self.next_position(session_id)
            if position in existing or len(samples) == 0:
                # Already saved as a full answer before the crash, or nothing was captured.
                partial.unlink(missing_ok=True)
                note.unlink(missing_ok=True)
                continue
            question = QuestionRef(None, "")
            if note.is_file():
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    q = json.loads(note.read_text())
                    question = QuestionRef(q.get("id"), q.get("text") or "")
            audio = self._write_audio(session_id, position, samples, SAMPLE_RATE)
            record = self._insert_answer(session_id, position, question, audio,
                                         round(len(samples) / SAMPLE_RATE, 3), None)
            existing.add(position)
            partial.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
            yield record
        referenced = {r[0] for r in self._conn.execute(
            "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL", (session_id,))}
        for flac in sorted(folder.glob("*.flac")):
            rel = flac.relative_to(self.root).as_posix()
            head = flac.stem.split("-", 1)[0]
            if rel in referenced:
                continue
            # Saved just before a crash that came before its row was committed: keep it as an answer.
            import soundfile as sf  # noqa: PLC0415

            info = sf.info(flac)
            position = int(head) if head.isdigit() and int(head) not in existing else self.next_position(session_id)
            existing.add(position)
            yield self._insert_answer(session_id, position, QuestionRef(None, ""), rel,
                                      round(info.frames / info.samplerate, 3), None)

    def keep_partials(self, session_id: str) -> list[AnswerRecord]:
        """Store every ``<n>.partial.wav`` of a live session as an (unscored) answer, now.

        For the app when the candidate quits or cancels mid-answer: the audio captured so far is
        kept exactly as :meth:`recover` would keep it after a crash.
        """
        session_id = self.get_session(session_id).id
        return list(self._attach_partials(session_id))

    def _drop_partial(self, session_id: str, position: int) -> None:
        folder = self.audio_dir(session_id)
        (folder / f"{position}{PARTIAL_SUFFIX}").unlink(missing_ok=True)
        (folder / f"{position}.partial.json").unlink(missing_ok=True)

    def _remove_orphans(self) -> None:
        audio_root = self.root / "audio"
        if not audio_root.is_dir():
            return
        known = {r[0] for r in self._conn.execute("SELECT id FROM sessions")}
        for folder in audio_root.iterdir():
            if not folder.is_dir():
                continue
            if folder.name not in known:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            for f in folder.iterdir():
                rel = f.relative_to(self.root).as_posix()
                # Half-written FLACs of dead writers hold no complete recording. (A complete FLAC
                # without a row, from a crash just before the commit, is kept: recover attaches it.)
                if f.name.startswith(".") and ".tmp-" in f.name and not _owner_alive(f.name):
                    f.unlink(missing_ok=True)

    # --- history -----------------------------------------------------------------------------

    def questions_answered(self) -> list[tuple[str, str, int]]:
        """``(question_id, latest question text, attempts)`` for every bank question answered in
        any session, most attempted first (for the per-question view of the history screen)."""
        rows = self._conn.execute(
            "SELECT question_id, COUNT(*), MAX(id) FROM answers WHERE question_id IS NOT NULL "
            "AND superseded_by IS NULL GROUP BY question_id ORDER BY COUNT(*) DESC, question_id"
        ).fetchall()
        out = []
        for qid, n, last in rows:
            text = self._conn.execute("SELECT question_text FROM answers WHERE id = ?", (last,)).fetchone()[0]
            out.append((qid, text or "", int(n)))
        return out

    def attempts(self, question_id: str) -> list[AnswerRecord]:
        """Every answer (current scoring) to one bank question across all sessions, oldest first."""
        rows = self._conn.execute(
            "SELECT a.* FROM answers a JOIN sessions s ON s.id = a.session_id WHERE a.question_id = ? "
            "AND a.superseded_by IS NULL ORDER BY s.started_at, a.session_id, a.position, a.id",
            (question_id,),
        ).fetchall()
        return [self._answer(r) for r in rows]

    def summaries(self) -> list[SessionSummary]:
        """Headline figures for every session, oldest first (for ``history`` and trend charts)."""
        out = []
        for s in self.list_sessions():
            answers = [a for a in self.answers(s.id) if a.delivery is not None]
            spoken = [a.delivery for a in answers if a.delivery and a.delivery.words > 0]
            scores = [a.content.score for a in answers if a.content is not None and a.content.assessable]
            out.append(SessionSummary(
                session=s,
                answers=len(self.answers(s.id)),
                mean_wpm=round(statistics.fmean(d.wpm for d in spoken), 1) if spoken else None,
                fillers_per_min=round(statistics.fmean(d.fillers.per_minute for d in spoken), 2) if spoken else None,
                content_score=round(statistics.fmean(scores), 1) if scores else None,
            ))
        return out


class _Corrupt(sqlite3.DatabaseError):
    """quick_check found damage in a file SQLite could still open."""


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


def _set_aside(db: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.corrupt-<time>``; delete nothing."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = db.with_name(f"{db.name}.corrupt-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = db.with_name(f"{db.name}.corrupt-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db}{suffix}")
        with contextlib.suppress(FileNotFoundError):  # another process may have moved it already
            os.replace(src, Path(f"{backup}{suffix}"))
    return backup


def _process_alive(pid: int) -> bool:
    """Is ``pid`` a running interview-sim (or Python) process? A reused pid after a reboot is not."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        with contextlib.suppress(OSError):
            text = cmdline.read_bytes()
            return b"python" in text or b"interview-sim" in text
    return True


def _owner_alive(name: str) -> bool:
    """A temporary file ``.<x>.tmp-<pid>`` may still be in use by a live writer."""
    if ".tmp-" not in name:
        return False
    pid = name.rsplit(".tmp-", 1)[1]
    return pid.isdigit() and _process_alive(int(pid))
