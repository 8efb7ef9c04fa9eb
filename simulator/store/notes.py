"""What the store keeps beside the recordings, so that a lost database loses no meaning.

The database is the store's index; the recordings in ``audio/<session>/`` outlive it (a damaged
``sessions.db`` is set aside and its sessions rebuilt from their folders, :mod:`simulator.store.rebuild`).
Before stop 44 a rebuilt session came back with every answer's question unknown and unscored, its role
and mode blank, and ``rescore`` then judged each answer by a rubric it guessed. So each folder also holds:

* ``session.json``: the session's role, mode, start, engine and settings, written with its first
  recording;
* ``<n>-<hex>.json`` beside each answer's ``<n>-<hex>.flac``: the question it answered, its rubric and
  the report's stored columns, so recovery attaches the answer as it was scored;
* ``<n>.partial.report.json`` beside a take still being recorded: its report while its feedback shows and
  it may resume (:meth:`~simulator.store.writes.SessionWrites.hold_report`).

Every note is written to a temporary file, flushed and renamed, 0600 like the recordings. Writing one is
best effort where the recording itself is already safe: a note that cannot be written (a full disk)
never costs the answer. Reading is strict: a note that is too big, damaged or of the wrong shape is
ignored, and the answer comes back as it would without it.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.audio.recording import create_private_file, fsync_path
from simulator.store.models import QuestionRef

SESSION_NOTE = "session.json"
HELD_REPORT_SUFFIX = ".partial.report.json"
"""Beside ``<n>.partial.wav``: the report of an answer whose feedback shows while it may still resume."""
NOTE_MAX_BYTES = 16 * 1024 * 1024
"""A note larger than this is not read (a 15-minute answer's report is under 1 MB)."""
REPORT_COLUMNS = 6
"""(transcript, delivery, content, feedback, source, options): the answer row's report columns."""
_SESSION_KEYS = ("id", "started_at", "role", "mode", "settings", "engine", "model", "rubric_version")


@dataclass(frozen=True)
class AnswerNote:
    """What an answer's note says: its question, its rubric and its report's stored columns."""

    question: QuestionRef
    rubric: str | None
    columns: tuple[str | None, ...] | None


def write_json_atomic(path: Path, data: Any) -> None:
    """``data`` as JSON at ``path``: a temporary file, flushed, renamed into place (OSError on failure,
    the temporary file gone)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        create_private_file(tmp)
        tmp.write_text(json.dumps(data, default=str))
        fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> Any:
    """The note at ``path``, or None (missing, too big, unreadable or not JSON)."""
    try:
        if path.stat().st_size > NOTE_MAX_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _columns(value: Any) -> tuple[str | None, ...] | None:
    if isinstance(value, list) and len(value) == REPORT_COLUMNS and all(c is None or isinstance(c, str) for c in value):
        return tuple(value)
    return None


# -- an answer's note, beside its FLAC ----------------------------------------------------------------
def answer_note_path(flac: Path) -> Path:
    return flac.with_suffix(".json")


def write_answer_note(flac: Path, question: QuestionRef, rubric: str | None, columns: tuple[Any, ...]) -> None:
    """Keep the answer's question and report beside its recording (best effort: the answer's row is
    the record; this note is what a rebuild has when the row is lost)."""
    note = {"question": {"id": question.id, "text": question.text}, "rubric": rubric, "columns": list(columns)}
    with contextlib.suppress(OSError):
        write_json_atomic(answer_note_path(flac), note)


def read_answer_note(flac: Path) -> AnswerNote | None:
    """The note beside ``flac``, or None when there is none or it cannot be trusted."""
    note = _read_json(answer_note_path(flac))
    if not isinstance(note, dict) or not isinstance(note.get("question"), dict):
        return None
    qid, text, rubric = note["question"].get("id"), note["question"].get("text"), note.get("rubric")
    if not (qid is None or isinstance(qid, str)) or not isinstance(text, str) or not (rubric is None or isinstance(rubric, str)):
        return None
    return AnswerNote(QuestionRef(qid, text), rubric, _columns(note.get("columns")))


# -- a take's held report, beside its partial recording --------------------------------------------
def write_held_report(folder: Path, position: int, rubric: str | None, columns: tuple[Any, ...],
                      n_samples: int) -> None:
    write_json_atomic(folder / f"{position}{HELD_REPORT_SUFFIX}",
                      {"samples": int(n_samples), "rubric": rubric, "columns": list(columns)})


def read_held_report(folder: Path, stem: str, n_samples: int) -> tuple[tuple[str | None, ...], str | None] | None:
    """The report held beside ``<stem>.partial.wav`` as ``(columns, rubric)``, when it covers all of
    the recording's ``n_samples``; else None (none held, damaged, or the answer went on after it:
    then it is kept unscored, as before)."""
    held = _read_json(folder / f"{stem}{HELD_REPORT_SUFFIX}")
    if not isinstance(held, dict):
        return None
    columns, rubric, covered = _columns(held.get("columns")), held.get("rubric"), held.get("samples")
    if columns is None or not (rubric is None or isinstance(rubric, str)) or not isinstance(covered, int):
        return None
    return (columns, rubric) if n_samples <= covered else None


# -- the session's note, in its folder -----------------------------------------------------------------
def write_session_note(folder: Path, session: dict[str, Any]) -> None:
    """Keep the session's role, mode, start and settings in its folder, once (best effort)."""
    path = folder / SESSION_NOTE
    if path.exists():
        return
    with contextlib.suppress(OSError):
        write_json_atomic(path, {k: session.get(k) for k in _SESSION_KEYS})


def read_session_note(folder: Path) -> dict[str, Any] | None:
    """The session row's values a folder's note keeps (only well-typed ones), or None."""
    note = _read_json(folder / SESSION_NOTE)
    if not isinstance(note, dict) or note.get("id") != folder.name:
        return None
    out: dict[str, Any] = {k: note[k] for k in _SESSION_KEYS if k != "settings" and isinstance(note.get(k), str)}
    if isinstance(note.get("settings"), dict):
        out["settings"] = json.dumps(note["settings"], default=str)
    return out
