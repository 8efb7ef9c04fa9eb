"""Reading the session store: sessions, answers, recordings and the history figures built on them.

:class:`SessionQueries` answers every read-only question the CLI, the replay screen and the history
screen ask of the store, and turns database rows back into the typed records of
:mod:`simulator.store.models`. Nothing here writes, so a reader never takes the write lock. A row
whose stored JSON is damaged is skipped (or read without the damaged value) and noted in
:attr:`SessionQueries.damaged`.
"""

from __future__ import annotations

import contextlib
import json
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from simulator.errors import StoreError
from simulator.store import models as m
from simulator.store.connection import DamagedText, StoreConnection
from simulator.store.models import AnswerRecord, QuestionRef, SessionRecord, SessionSummary
from simulator.store.roleplays import SUMMARY_KEY, is_roleplay

DELETING_PREFIX = ".deleting-"
"""A session's audio folder is renamed ``audio/.deleting-<id>`` while its rows are deleted."""


class UnknownSessionError(StoreError):
    """No session has the id (or id prefix) the user gave."""


class DamagedRowError(StoreError):
    """A stored value cannot be read back (damaged JSON, or JSON of the wrong shape)."""


_DAMAGE = (ValueError, KeyError, TypeError, AttributeError, IndexError)
"""What reading a damaged JSON value back into a record raises."""


_JSON_COLUMNS = ("transcript", "delivery", "content", "feedback", "options")


def _refuse_damaged_text(row: dict[str, Any], *keys: str) -> None:
    """Raise (as damaged JSON would) when one of the row's JSON values is damaged text: read with its
    bad bytes replaced it might still parse, into a transcript or scores that were never stored."""
    for key in keys:
        if isinstance(row.get(key), DamagedText):
            raise ValueError(f"{key} is not valid UTF-8")


class SessionQueries:
    """The store's reads: look-ups by id, a session's answers, audio, and per-question history."""

    def __init__(self, db: StoreConnection) -> None:
        self.db = db
        self._columns: dict[str, list[str]] = {}
        self._damaged: dict[tuple, str] = {}

    # --- sessions ----------------------------------------------------------------------------

    def get_session(self, session_id: str) -> SessionRecord:
        """The session with this id, or the only one whose id starts with it.

        Raises:
            UnknownSessionError: no such session, or the prefix is ambiguous.
        """
        row = self.db.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None and session_id:
            rows = self.db.conn.execute(
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
        rows = self.db.conn.execute("SELECT * FROM sessions ORDER BY started_at, id").fetchall()
        return [self._session(r) for r in rows]

    def unlisted_recordings(self) -> list[Path]:
        """Audio folders no session row lists: sessions a damaged store lost (``sessions recover``
        rebuilds them), or files a user put there."""
        audio_root = self.db.root / "audio"
        if not audio_root.is_dir():
            return []
        known = {r[0] for r in self.db.conn.execute("SELECT id FROM sessions")}
        return sorted(f for f in audio_root.iterdir()
                      if f.is_dir() and not f.name.startswith(".") and f.name not in known)

    def _session(self, row: tuple) -> SessionRecord:
        d = self._row_dict("sessions", row)
        try:
            _refuse_damaged_text(d, "settings")
            settings = json.loads(d["settings"] or "{}")
            if not isinstance(settings, dict):
                raise TypeError("not an object")
        except _DAMAGE:
            self._note_damage(("session", d["id"]), f"session {d['id']}: its settings are damaged; "
                                                    "shown without them")
            settings = {}
        return SessionRecord(
            id=d["id"], started_at=d["started_at"], ended_at=d["ended_at"], role=d["role"],
            mode=d["mode"], status=d["status"], settings=settings,
            engine=d.get("engine") or "", model=d.get("model") or "",
            rubric_version=d.get("rubric_version") or "",
        )

    def _row_dict(self, table: str, row: tuple) -> dict[str, Any]:
        cols = self._columns.get(table)
        if cols is None:
            cols = [r[1] for r in self.db.conn.execute(f"PRAGMA table_info({table})")]
            self._columns[table] = cols
        return dict(zip(cols, row))

    @property
    def damaged(self) -> list[str]:
        """One line per damaged row met so far (skipped, or read without its damaged value), for
        the CLI and the app to tell the user; everything else stays usable."""
        return list(self._damaged.values())

    def _note_damage(self, key: tuple, message: str) -> None:
        self._damaged.setdefault(key, message)

    # --- answers -----------------------------------------------------------------------------

    def next_position(self, session_id: str) -> int:
        row = self.db.conn.execute(
            "SELECT COALESCE(MAX(position), 0) FROM answers WHERE session_id = ?", (session_id,)
        ).fetchone()
        return int(row[0]) + 1

    def get_answer(self, answer_id: int) -> AnswerRecord:
        row = self.db.conn.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            raise StoreError(f"no answer {answer_id}")
        return self._answer(row)

    def answers(self, session_id: str, *, include_superseded: bool = False) -> list[AnswerRecord]:
        """The session's answers in order: the current scoring of each, or every scoring."""
        session_id = self.get_session(session_id).id
        sql = "SELECT * FROM answers WHERE session_id = ?"
        if not include_superseded:
            sql += " AND superseded_by IS NULL"
        rows = self.db.conn.execute(sql + " ORDER BY position, id", (session_id,)).fetchall()
        return self._answers(rows)

    def _answers(self, rows: list[tuple]) -> list[AnswerRecord]:
        """Records of ``rows``, skipping (and noting) damaged ones."""
        out = []
        for r in rows:
            try:
                out.append(self._answer(r))
            except DamagedRowError:
                continue
        return out

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
        """The record of one answer row.

        Raises:
            DamagedRowError: a JSON value in the row is damaged (noted in :attr:`damaged`).
        """
        d = self._row_dict("answers", row)
        if damaged := [k for k, v in d.items() if isinstance(v, DamagedText) and k not in _JSON_COLUMNS]:
            self._note_damage(("answer text", d.get("id")),
                              f"session {d.get('session_id')}: the {', '.join(damaged)} of answer {d.get('position')} "
                              "is damaged; shown with its unreadable characters replaced")
        try:
            _refuse_damaged_text(d, *_JSON_COLUMNS)
            return self._answer_record(d)
        except _DAMAGE as e:
            if d.get("audio_path") and self.answer_audio(str(d["audio_path"])).is_file():
                # Its recording is whole: shown unscored, and `rescore` scores it again from the
                # recording (skipping it left nothing to repair it with; stop 42).
                self._note_damage(("answer", d.get("id")),
                                  f"session {d.get('session_id')}: the scores of answer {d.get('position')} are "
                                  f"damaged ({type(e).__name__}); shown unscored: `interview-sim rescore` "
                                  "scores it again from its recording")
                unscored = {**d, "transcript": None, "delivery": None, "content": None, "feedback": None}
                if isinstance(d.get("options"), DamagedText):
                    unscored["options"] = None
                with contextlib.suppress(*_DAMAGE):  # its options hold a follow-up's link: kept if whole
                    return self._answer_record(unscored)
                with contextlib.suppress(*_DAMAGE):
                    return self._answer_record({**unscored, "options": None})
            message = (f"session {d.get('session_id')}: answer {d.get('position')} is damaged and was "
                       f"skipped ({type(e).__name__})")
            self._note_damage(("answer", d.get("id")), message)
            raise DamagedRowError(message) from e

    def answer_audio(self, relative: str) -> Path:
        """Where an answer's recording is: in its session's folder, or, while a deletion is under
        way (or was cut short by a crash, until recovery puts the folder back), in the folder set
        aside for it. Either way the recording is there and not reported missing."""
        path = self.db.root / relative
        if not path.exists():
            parts = Path(relative).parts
            if len(parts) >= 3 and parts[0] == "audio":
                aside = self.db.root / "audio" / f"{DELETING_PREFIX}{parts[1]}" / Path(*parts[2:])
                if aside.exists():
                    return aside
        return path

    def _answer_record(self, d: dict[str, Any]) -> AnswerRecord:
        def load(key: str) -> Any:
            return json.loads(d[key]) if d.get(key) else None

        transcript, delivery, content = load("transcript"), load("delivery"), load("content")
        options = json.loads(d.get("options") or "{}")
        if not isinstance(options, dict):
            raise TypeError("options is not an object")
        return AnswerRecord(
            id=d["id"], session_id=d["session_id"], position=d["position"],
            question=QuestionRef(d["question_id"], d["question_text"]),
            audio_path=self.answer_audio(d["audio_path"]) if d["audio_path"] else None,
            duration_s=d["duration_s"],
            transcript=m.transcript_from_json(transcript) if transcript else None,
            delivery=m.delivery_from_json(delivery) if delivery else None,
            content=m.content_from_json(content) if content else None,
            feedback=m.feedback_from_json(load("feedback")),
            created_at=d["created_at"], superseded_by=d.get("superseded_by"),
            source=d.get("source") or "", options=options,
            rubric=d.get("rubric") or None,
        )

    # --- history -----------------------------------------------------------------------------

    def questions_answered(self) -> list[tuple[str, str, int]]:
        """``(question_id, latest question text, attempts)`` for every bank question answered in
        any session, most attempted first (for the per-question view of the history screen)."""
        rows = self.db.conn.execute(
            "SELECT question_id, COUNT(*), MAX(id) FROM answers WHERE question_id IS NOT NULL "
            "AND question_id NOT LIKE 'roleplay:%' "  # a role-play's turns answer a customer, not a question
            "AND superseded_by IS NULL GROUP BY question_id ORDER BY COUNT(*) DESC, question_id"
        ).fetchall()
        out = []
        for qid, n, last in rows:
            text = self.db.conn.execute("SELECT question_text FROM answers WHERE id = ?", (last,)).fetchone()[0]
            out.append((qid, text or "", int(n)))
        return out

    def attempts(self, question_id: str) -> list[AnswerRecord]:
        """Every answer (current scoring) to one bank question across all sessions, oldest first."""
        rows = self.db.conn.execute(
            "SELECT a.* FROM answers a JOIN sessions s ON s.id = a.session_id WHERE a.question_id = ? "
            "AND a.superseded_by IS NULL ORDER BY s.started_at, a.session_id, a.position, a.id",
            (question_id,),
        ).fetchall()
        return self._answers(rows)

    def summaries(self) -> list[SessionSummary]:
        """Headline figures for every session, oldest first (for ``history`` and trend charts): the
        means are over each question's last take, as the session's summary screen gave them (a take
        re-recorded over used to count too).

        A role-play's figures are its own: its outcome and overall score as the debrief gave them,
        never a mean of its turns' rubric scores (``content_score`` is None for it)."""
        out = []
        for s in self.list_sessions():
            all_answers = self.answers(s.id)
            answers = [a for a in last_takes(all_answers) if a.delivery is not None]
            spoken = [a.delivery for a in answers if a.delivery and a.delivery.words > 0]
            scores = [a.content.score for a in answers if a.content is not None and a.content.assessable]
            outcome = roleplay_score = None
            if is_roleplay(s):
                result = s.settings.get(SUMMARY_KEY) or {}
                outcome, roleplay_score, scores = str(result.get("outcome") or "unfinished"), result.get("overall"), []
            out.append(SessionSummary(
                session=s,
                answers=len(all_answers),
                mean_wpm=round(statistics.fmean(d.wpm for d in spoken), 1) if spoken else None,
                fillers_per_min=round(statistics.fmean(d.fillers.per_minute for d in spoken), 2) if spoken else None,
                content_score=round(statistics.fmean(scores), 1) if scores else None,
                outcome=outcome, roleplay_score=roleplay_score,
            ))
        return out


def last_takes(answers: list[AnswerRecord]) -> list[AnswerRecord]:
    """Each question's last take (``answers`` in position order): a re-record keeps both takes, each at
    its own position, and the later one is the answer, unless it was never scored (cut off by a quit
    or a crash) and an earlier one was: a re-take abandoned half-way used to hide the scored take
    from ``history`` (stop 43)."""
    last: dict[str | int, AnswerRecord] = {}
    for a in answers:
        # An answer whose question is unknown (rebuilt from its recording alone) is a take of its own:
        # keyed by nothing, every such answer collapsed into one, and history showed only dashes.
        key = a.question.id or a.question.text or a.position
        if key not in last or a.scored or not last[key].scored:
            last[key] = a
    return sorted(last.values(), key=lambda a: a.position)
