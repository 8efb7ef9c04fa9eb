"""Crash recovery for the session store: closing interrupted sessions without losing an answer.

:class:`StoreRecovery` adds :meth:`~StoreRecovery.recover`, run when the app or CLI starts, and
:meth:`~StoreRecovery.keep_partials`, run when the candidate quits mid-answer. A session a crash
left ``in_progress`` keeps its answers, each ``<n>.partial.wav`` streamed before the crash becomes an
(unscored) answer, and a complete FLAC whose row was never committed is attached too. A session whose
process is still alive (another app window) is left alone, so two windows can share one store.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simulator.audio.clip import SAMPLE_RATE
from simulator.errors import StoreError
from simulator.session.models import AnswerRecord, QuestionRef, SessionRecord
from simulator.session.recordings import PARTIAL_SUFFIX, read_partial_wav
from simulator.session.writes import StoreWrites, now_iso


@dataclass(frozen=True)
class RecoveredSession:
    """What :meth:`SessionStore.recover` did for one interrupted session."""

    session: SessionRecord
    answers_kept: int
    recordings_attached: tuple[AnswerRecord, ...]


class StoreRecovery(StoreWrites):
    """The store's crash recovery: interrupted sessions, partial recordings, orphaned files."""

    def recover(self, *, include_live: bool = False) -> list[RecoveredSession]:
        """Close every session a crash left ``in_progress``: mark it ``recovered``, keep its answers,
        and store each ``<n>.partial.wav`` found in its folder as an (unscored) answer.

        Sessions whose process is still running (another app window) are left alone unless
        ``include_live``. Also removes leftovers no row refers to: half-written temporary files and
        the folders of deleted sessions.
        """
        with self._recovery_lock():
            self._remove_orphans()
            rows = self._conn.execute("SELECT id, pid FROM sessions WHERE status = 'in_progress'").fetchall()
            out = []
            for session_id, pid in rows:
                if not include_live and pid is not None and _process_alive(pid):
                    continue
                attached = tuple(self._attach_partials(session_id))
                with self._write() as c:
                    c.execute("UPDATE sessions SET status = 'recovered', ended_at = COALESCE(ended_at, ?), "
                              "pid = NULL WHERE id = ? AND status = 'in_progress'", (now_iso(), session_id))
                kept = len(self.answers(session_id)) - len(attached)
                out.append(RecoveredSession(self.get_session(session_id), kept, attached))
            return out

    @contextlib.contextmanager
    def _recovery_lock(self) -> Iterator[None]:
        """One recovery at a time across processes (two app windows started together would both
        attach the same partial recording otherwise)."""
        lock = self.root / ".recover.lock"
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"cannot recover sessions in {self.root}: {e.strerror or e}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _attach_partials(self, session_id: str) -> Iterator[AnswerRecord]:
        folder = self.audio_dir(session_id)
        if not folder.is_dir():
            return
        existing = {a.position for a in self.answers(session_id, include_superseded=True)}
        # Complete FLACs no row points at: saved just before a crash that came before the row's
        # commit (add_answer, or an earlier recovery killed half-way).
        orphans = self._unreferenced_flacs(session_id)
        for partial in sorted(folder.glob(f"*{PARTIAL_SUFFIX}")):
            stem = partial.name.removesuffix(PARTIAL_SUFFIX)
            note = folder / f"{stem}.partial.json"
            try:
                samples = read_partial_wav(partial)
            except OSError:
                continue  # unreadable now (disk trouble): leave it for the next recovery
            position = int(stem) if stem.isdigit() else self.next_position(session_id)
            if position in existing or len(samples) == 0:
                # Already saved as a full answer before the crash, or nothing was captured.
                partial.unlink(missing_ok=True)
                note.unlink(missing_ok=True)
                continue
            question = QuestionRef(None, "")
            if note.is_file():
                with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
                    q = json.loads(note.read_text())
                    question = QuestionRef(q.get("id"), q.get("text") or "")
            saved = next((o for o in orphans if o[1] == position), None)
            if saved is not None:
                # The same take, already complete as FLAC: attach that file, do not store it twice.
                orphans.remove(saved)
                rel, _, duration_s = saved
            else:
                rel = self._write_audio(session_id, position, samples, SAMPLE_RATE)
                duration_s = round(len(samples) / SAMPLE_RATE, 3)
            record = self._insert_answer(session_id, position, question, rel, duration_s, None)
            existing.add(position)
            partial.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
            yield record
        for rel, head, duration_s in orphans:
            # No partial recording beside it (a typed-in session, or an import): keep it as an answer.
            position = head if head is not None and head not in existing else self.next_position(session_id)
            existing.add(position)
            yield self._insert_answer(session_id, position, QuestionRef(None, ""), rel, duration_s, None)

    def _unreferenced_flacs(self, session_id: str) -> list[tuple[str, int | None, float]]:
        """``(relative path, position from the name, duration)`` of each readable FLAC in the
        session's folder that no answer row refers to. Unreadable files are left where they are."""
        import soundfile as sf  # noqa: PLC0415

        referenced = {r[0] for r in self._conn.execute(
            "SELECT audio_path FROM answers WHERE session_id = ? AND audio_path IS NOT NULL", (session_id,))}
        out = []
        for flac in sorted(self.audio_dir(session_id).glob("*.flac")):
            rel = flac.relative_to(self.root).as_posix()
            if rel in referenced:
                continue
            try:
                info = sf.info(flac)
            except (sf.LibsndfileError, RuntimeError, OSError):
                continue
            head = flac.stem.split("-", 1)[0]
            out.append((rel, int(head) if head.isdigit() else None, round(info.frames / info.samplerate, 3)))
        return out

    def keep_partials(self, session_id: str) -> list[AnswerRecord]:
        """Store every ``<n>.partial.wav`` of a live session as an (unscored) answer, now.

        For the app when the candidate quits or cancels mid-answer: the audio captured so far is
        kept exactly as :meth:`recover` would keep it after a crash.
        """
        session_id = self.get_session(session_id).id
        with self._recovery_lock():
            return list(self._attach_partials(session_id))

    def _remove_orphans(self) -> None:
        audio_root = self.root / "audio"
        if not audio_root.is_dir():
            return
        # Folders first, then the sessions: a session's row is committed before its folder is
        # made, so a folder listed here whose row is missing really belongs to no session (reading
        # the rows first would take a session another window starts meanwhile for an orphan).
        folders = [f for f in audio_root.iterdir() if f.is_dir()]
        known = {r[0] for r in self._conn.execute("SELECT id FROM sessions")}
        for folder in folders:
            if folder.name not in known:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            try:
                entries = list(folder.iterdir())
            except FileNotFoundError:  # deleted by another window a moment ago
                continue
            for f in entries:
                # Half-written FLACs of dead writers hold no complete recording. (A complete FLAC
                # without a row, from a crash just before the commit, is kept: recover attaches it.)
                if f.name.startswith(".") and ".tmp-" in f.name and not _owner_alive(f.name):
                    f.unlink(missing_ok=True)


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
