"""The JSON export of one session: the session record plus each answer in the answer-report shape.

Each answer is exactly what ``interview-sim score --json`` prints for it (``report_to_dict``), with
``position``, ``question`` and ``audio`` added; unscored (crash-recovered) answers carry only those.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulator.report.json_report import report_to_dict
from simulator.store.models import AnswerRecord, SessionRecord
from simulator.store.roleplays import roleplay_record

SESSION_SCHEMA = "interview-sim/session-export/1"


def answer_to_dict(answer: AnswerRecord) -> dict[str, Any]:
    report = answer.report()
    out: dict[str, Any] = report_to_dict(report) if report is not None else {"scored": False}
    if isinstance(out.get("source"), str) and "/" in out["source"]:
        out["source"] = out["source"].rsplit("/", 1)[1]  # older imports stored the whole path
    out["position"] = answer.position
    out["question"] = {"id": answer.question.id, "text": answer.question.text}
    out["audio"] = {
        "file": answer.audio_path.name if answer.audio_path else None,
        "duration_s": answer.duration_s,
        "missing": answer.audio_missing,
    }
    out["created_at"] = answer.created_at
    return out


def session_to_dict(session: SessionRecord, answers: list[AnswerRecord]) -> dict[str, Any]:
    """The session and its answers; a role-play adds ``roleplay`` (outcome, scores, mood trail, the
    3C checklist across the conversation, debrief), the same figures the other reports show."""
    out: dict[str, Any] = {
        "schema": SESSION_SCHEMA,
        "session": asdict(session),
        "answers": [answer_to_dict(a) for a in answers],
    }
    rp = roleplay_record(session, answers)
    if rp is not None:
        out["roleplay"] = rp.to_dict()
    return out
