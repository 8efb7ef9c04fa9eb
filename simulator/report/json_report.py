"""The JSON form of an :class:`AnswerReport`; its shape is documented in docs/report-schema.md.

The ``schema`` field is bumped whenever a field is renamed or removed; adding fields does not bump it.
"""

from __future__ import annotations

from typing import Any

from simulator.answer.report import REPORT_SCHEMA, AnswerReport


def report_to_dict(report: AnswerReport) -> dict[str, Any]:
    t = report.transcript
    out: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "source": report.source,
        "transcript": {
            "text": t.text,
            "words": [
                {"text": w.text, "start": w.start_s, "end": w.end_s, "probability": w.probability}
                for w in t.words
            ],
        },
        "delivery": report.delivery.to_dict(),
        "engine": {
            "name": t.engine,
            "model": t.model,
            "compute_type": t.options.get("compute_type"),
            "options": t.options,
        },
        "options": report.options,
    }
    if report.content is not None:
        content = report.content.to_dict()
        out["content"] = content.get("content", content)
        out["feedback"] = content.get("feedback", [])  # delivery notes included (AnswerReport)
    elif notes := report.delivery_notes:
        out["feedback"] = [{"kind": kind, "text": text} for kind, text in notes]
    return out
