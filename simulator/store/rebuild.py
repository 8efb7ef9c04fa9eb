"""Sessions whose rows are lost, rebuilt from their recordings and the backups of damaged databases.

A session's audio folder can outlive its database rows: the database was damaged and set aside
(``sessions.db.corrupt-<time>``), or its ``-wal`` was lost. :class:`FolderRebuilder` gives every
such folder its session back, restoring what the backups still hold (read from private copies, so
a backup is never changed), finishes deletions a crash interrupted, and moves whatever belongs to no
session to ``lost+found``. Nothing here deletes a recording.
:class:`~simulator.store.recovery.StoreRecovery` runs it before closing interrupted sessions.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Collection
from datetime import datetime, timezone
from pathlib import Path

import soundfile as sf

from simulator.store.connection import StoreConnection, typed_restored_marker
from simulator.store.notes import read_session_note
from simulator.store.queries import DELETING_PREFIX
from simulator.store.recordings import (
    PARTIAL_SUFFIX,
    finish_deleting,
    move_to_lost_and_found,
    read_partial_wav,
)


class FolderRebuilder:
    """Gives audio folders without a session row their session back, or moves them to lost+found."""

    def __init__(self, db: StoreConnection) -> None:
        self.db = db
        self.lost_and_found: list[Path] = []
        """What :meth:`rebuild_unknown_folders` moved to ``lost+found`` so far."""

    def rebuild_unknown_folders(self) -> set[str]:
        """Give every audio folder without a session row its session back (as ``in_progress`` with
        no owner, so the caller closes it), finish deletions a crash interrupted, and move what
        cannot be placed to ``lost+found``. Returns the ids of the sessions rebuilt."""
        audio_root = self.db.root / "audio"
        # Folders first, then the sessions: a session's row is committed before its folder is
        # made, so a folder listed here whose row is missing really belongs to no session (reading
        # the rows first would take a session another window starts meanwhile for an orphan).
        folders = [f for f in audio_root.iterdir() if f.is_dir()] if audio_root.is_dir() else []
        known = {r[0] for r in self.db.conn.execute("SELECT id FROM sessions")}
        rebuilt: set[str] = set()
        backups = _Backups(self.db.corrupt_backups())
        try:
            for folder in folders:
                if folder.name.startswith(DELETING_PREFIX):
                    self._finish_deletion(folder, known)
                    continue
                if folder.name.startswith("."):
                    continue
                _remove_dead_temporaries(folder)
                if folder.name in known:
                    continue
                if not folder.exists():  # deleted by another window a moment ago
                    continue
                if self._rebuild(folder, backups):
                    rebuilt.add(folder.name)
            rebuilt |= self._restore_unrecorded(backups, known)
        finally:
            backups.close()
        return rebuilt

    def _restore_unrecorded(self, backups: _Backups, known: set[str]) -> set[str]:
        """Sessions of a damaged store that no folder holds: the typed ones (a typed answer or
        role-play has no recording). Restored from the backup with the answers it can still read,
        once per backup (:func:`~simulator.store.connection.typed_restored_marker`): a typed session
        deleted after that stays deleted."""
        fresh = [p for p in backups.paths if not typed_restored_marker(p).exists()]
        restored: set[str] = set()
        if not fresh:
            return restored
        for row in backups.sessions(only=fresh):
            session_id = str(row.get("id") or "")
            if not session_id or session_id in known or self.db.audio_dir(session_id).exists():
                continue
            started = row.get("started_at") or _started_from_id(session_id)
            answers = [a for a in backups.answers(session_id) if a.get("audio_path") is None]
            if started and answers and self._insert(session_id, {**row, "started_at": started}, answers,
                                                    backups_row=True):
                restored.add(session_id)
        for path in fresh:
            with contextlib.suppress(OSError):
                typed_restored_marker(path).write_text(" ".join(sorted(restored)) + "\n", encoding="utf-8")
        return restored

    def _finish_deletion(self, trash: Path, known: set[str]) -> None:
        """A folder a deletion renamed aside: its session's rows are gone (finish deleting it) or
        still there (the deletion failed: put the folder back)."""
        session_id = trash.name.removeprefix(DELETING_PREFIX)
        if session_id not in known:
            if (kept := finish_deleting(trash, session_id)) is not None:  # files not the store's
                self.lost_and_found.append(kept)
            return
        with contextlib.suppress(OSError):
            # A deletion running in another window right now renamed it a moment ago: leave it.
            if time.time() - trash.stat().st_ctime < _DELETION_GRACE_S:
                return
            if not self.db.audio_dir(session_id).exists():
                os.replace(trash, self.db.audio_dir(session_id))

    def _rebuild(self, folder: Path, backups: _Backups) -> bool:
        """Insert the session row of an audio folder that has none, restoring what the backups
        still hold; move the folder to ``lost+found`` when it holds no recording of a session."""
        session_id = folder.name
        try:
            entries = list(folder.iterdir())
        except OSError:
            return False  # unreadable now: leave it for the next recovery
        if not entries:
            with contextlib.suppress(OSError):
                folder.rmdir()  # an empty folder holds nothing to lose
            return False
        row = backups.session(session_id)
        noted = None if row else read_session_note(folder)  # its role, mode and settings (notes.py)
        started = (row or noted or {}).get("started_at") or _started_from_id(session_id)
        has_audio = bool(unreferenced_flacs(self.db, session_id)) or any(
            _has_samples(p) for p in folder.glob(f"*{PARTIAL_SUFFIX}"))
        if started is None or not has_audio:
            self._to_lost_and_found(folder)
            return False
        answers = []
        for answer in backups.answers(session_id):
            audio = answer.get("audio_path")
            if audio is not None and not (self.db.root / str(audio)).is_file():
                continue  # its recording is gone: nothing to score or replay
            answers.append(answer)
        return self._insert(session_id, {**(row or noted or {}), "started_at": started}, answers, backups_row=bool(row))

    def _insert(self, session_id: str, row: dict, answers: list[dict], *, backups_row: bool) -> bool:
        """Insert a session row (``in_progress``, no owner: recovery closes it) and its answers;
        False when the session exists after all."""
        settings = row.get("settings") or "{}"
        try:
            settings_d = json.loads(settings)
            if not isinstance(settings_d, dict):
                raise ValueError
        except (ValueError, TypeError):
            settings_d = {}
        settings_d["rebuilt_from"] = "backup" if backups_row else "recordings"
        started = row.get("started_at")
        with self.db.write() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO sessions (id, started_at, ended_at, role, mode, status, settings, "
                "engine, model, rubric_version, pid) VALUES (?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, NULL)",
                (session_id, started, row.get("ended_at"), row.get("role") or "", row.get("mode") or "",
                 json.dumps(settings_d, default=str), row.get("engine") or "", row.get("model") or "",
                 row.get("rubric_version") or ""),
            )
            if cur.rowcount == 0:
                return False  # the session exists after all: nothing to rebuild
            ours = [r[1] for r in c.execute("PRAGMA table_info(answers)")]
            for answer in answers:
                cols = [k for k in ours if k in answer and k not in ("id", "superseded_by")]
                c.execute(f"INSERT INTO answers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                          [answer[k] for k in cols])
        return True

    def _to_lost_and_found(self, folder: Path) -> None:
        target = move_to_lost_and_found(folder, folder.name)
        if target is not None:
            self.lost_and_found.append(target)


_DELETION_GRACE_S = 60.0
"""A folder set aside for deletion younger than this may belong to a deletion still running."""

_SESSION_ID = re.compile(r"(\d{8}-\d{6})-[0-9a-f]{6}")


def _started_from_id(session_id: str) -> str | None:
    """A session id starts with its UTC start time (``20250101-101010-abcdef``)."""
    match = _SESSION_ID.fullmatch(session_id)
    if match is None:
        return None
    try:
        started = datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return started.isoformat(timespec="milliseconds")


def _has_samples(partial: Path) -> bool:
    try:
        return len(read_partial_wav(partial)) > 0
    except OSError:
        return False


def _remove_dead_temporaries(folder: Path) -> None:
    try:
        entries = list(folder.iterdir())
    except OSError:  # deleted by another window a moment ago, or unreadable
        return
    for f in entries:
        # Half-written FLACs of dead writers hold no complete recording. (A complete FLAC
        # without a row, from a crash just before the commit, is kept: recover attaches it.)
        if f.name.startswith(".") and ".tmp-" in f.name and not _owner_alive(f.name):
            f.unlink(missing_ok=True)


class _Backups:
    """Read-only look-ups in the damaged databases set aside (newest first), each read from a
    private copy so the backup itself is never changed. Damage is skipped, row by row."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = tuple(sorted(paths, reverse=True))
        self._conns: list[sqlite3.Connection] | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._rows: dict[str, list[list[dict]]] = {}
        self._groups: dict[tuple[str, str], list[dict[object, list[dict]]]] = {}
        self._sources: list[Path] = []  # the backup each open connection reads

    def _open(self) -> list[sqlite3.Connection]:
        if self._conns is None:
            self._conns = []
            if self.paths:
                self._tmp = tempfile.TemporaryDirectory(prefix="interview-sim-backup-")
            for i, path in enumerate(self.paths):
                copy = Path(self._tmp.name) / f"{i}.db"  # type: ignore[union-attr]
                try:
                    shutil.copyfile(path, copy)
                    if Path(f"{path}-wal").is_file():
                        shutil.copyfile(f"{path}-wal", f"{copy}-wal")
                    conn = sqlite3.connect(copy)
                    conn.row_factory = sqlite3.Row
                    conn.execute("SELECT 1 FROM sessions LIMIT 1")
                except (OSError, sqlite3.Error):
                    continue
                self._conns.append(conn)
                self._sources.append(path)
        return self._conns

    def session(self, session_id: str) -> dict | None:
        for by_id in self._grouped("sessions", "id"):
            if session_id in by_id:
                return by_id[session_id][0]
        return None

    def sessions(self, only: Collection[Path] | None = None) -> list[dict]:
        """Every session row any backup (of ``only``, if given) can still read, the newest first."""
        seen, out = set(), []
        tables = self._readable("sessions")
        for path, rows in zip(self._sources, tables):
            if only is not None and path not in only:
                continue
            for row in rows:
                if row.get("id") not in seen:
                    seen.add(row.get("id"))
                    out.append(row)
        return out

    def answers(self, session_id: str) -> list[dict]:
        """The session's current answers in the first backup that can read any of them."""
        for by_session in self._grouped("answers", "session_id"):
            mine = sorted(by_session.get(session_id, ()), key=lambda r: (r.get("position") or 0, r.get("id") or 0))
            if mine:
                return [r for r in mine if r.get("superseded_by") is None]
        return []

    def _grouped(self, table: str, key: str) -> list[dict[object, list[dict]]]:
        """Each backup's readable rows of ``table`` by their ``key`` (grouped once: recovery looks
        up every folder's session in them)."""
        if (table, key) not in self._groups:
            groups = []
            for rows in self._readable(table):
                by_key: dict[object, list[dict]] = {}
                for row in rows:
                    by_key.setdefault(row.get(key), []).append(row)
                groups.append(by_key)
            self._groups[(table, key)] = groups
        return self._groups[(table, key)]

    def _readable(self, table: str) -> list[list[dict]]:
        """Each backup's rows of ``table`` that can still be read (read once). A whole-table
        read stops at the first damaged page, so a damaged table is read again row by row, by
        rowid: the rows on the pages that are intact come back."""
        if table not in self._rows:
            self._rows[table] = [_rows_of(conn, table) for conn in self._open()]
        return self._rows[table]

    def close(self) -> None:
        for conn in self._conns or ():
            conn.close()
        if self._tmp is not None:
            self._tmp.cleanup()


MOST_ROWIDS = 1_000_000
"""The most rowids a damaged table is read through, one by one (a store holds a few thousand rows;
a damaged page can claim any rowid)."""


def _rows_of(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every row of ``table`` that can be read, damage skipped."""
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
    except sqlite3.Error:
        pass
    highest = 0  # the highest rowid the table's end or its AUTOINCREMENT counter still tells
    for query, args in ((f"SELECT max(rowid) FROM {table}", ()),
                        ("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))):
        with contextlib.suppress(sqlite3.Error, TypeError, ValueError):
            found = conn.execute(query, args).fetchone()
            highest = max(highest, int(found[0] or 0)) if found else highest
    rows = []
    if highest == 0:  # no way to know how far the rows go: try as many as a store ever holds
        highest = 100_000
    for rowid in range(1, min(highest, MOST_ROWIDS) + 1):
        with contextlib.suppress(sqlite3.Error):
            row = conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
            if row is not None:
                rows.append(dict(row))
    return rows


def unreferenced_flacs(db: StoreConnection, session_id: str) -> list[tuple[str, int | None, float]]:
    """``(relative path, position from the name, duration)`` of each readable FLAC in the
    session's folder that no answer row refers to. Unreadable files are left where they are."""
    referenced = {r[0] for r in db.conn.execute(
        "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL", (session_id,))}
    out = []
    for flac in sorted(db.audio_dir(session_id).glob("*.flac")):
        rel = flac.relative_to(db.root).as_posix()
        if rel in referenced:
            continue
        try:
            info = sf.info(flac)
        except (sf.LibsndfileError, RuntimeError, OSError):
            continue
        head = flac.stem.split("-", 1)[0]
        out.append((rel, int(head) if head.isdigit() else None, round(info.frames / info.samplerate, 3)))
    return out


def process_alive(pid: int) -> bool:
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
    return pid.isdigit() and process_alive(int(pid))
