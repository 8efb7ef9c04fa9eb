"""Typed records of the session store, and their JSON (de)serialisation.

The store keeps an answer's transcript, delivery metrics and content score as JSON columns. This
module turns the pipeline's dataclasses into those JSON objects and back, losslessly, so that a
stored answer can be rebuilt into the :class:`~simulator.answer.report.AnswerReport` it came from
(:meth:`AnswerRecord.report`) for replay, export and rescore comparisons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from simulator.analysis.delivery import DeliveryMetrics, FillerStats, Verdicts
from simulator.analysis.language import LanguageStats
from simulator.analysis.tone import ToneMetrics
from simulator.audio.energy import Span
from simulator.analysis.fillers import Filler
from simulator.answer.report import AnswerReport
from simulator.rubric.result import (
    ContentScore,
    CriterionResult,
    Evidence,
    FeedbackLine,
    JobTerms,
    RedFlagHit,
    StarBalance,
)
from simulator.speech.transcript import Segment, Transcript, Word

SessionStatus = Literal["in_progress", "complete", "recovered"]
SESSION_STATUSES: tuple[str, ...] = ("in_progress", "complete", "recovered")


@dataclass(frozen=True)
class QuestionRef:
    """The question an answer replied to, as asked (the bank may change later)."""

    id: str | None
    text: str


@dataclass(frozen=True)
class SessionRecord:
    """One practice session: when, what kind, and with which engine, model and rubrics."""

    id: str
    started_at: str  # ISO 8601, UTC
    ended_at: str | None
    role: str
    mode: str
    status: SessionStatus
    settings: dict[str, Any] = field(default_factory=dict)
    engine: str = ""
    model: str = ""
    rubric_version: str = ""

    @property
    def shown_status(self) -> str:
        """The status to show: ``cancelled`` for a session the candidate cut short (Escape), which
        is stored ``complete`` with ``cancelled`` in its settings."""
        return "cancelled" if self.status == "complete" and self.settings.get("cancelled") else self.status


@dataclass(frozen=True)
class AnswerRecord:
    """One stored answer. ``transcript``/``delivery`` are None for audio recovered after a crash
    and not scored yet (``scored`` is False); ``rescore`` fills them in."""

    id: int
    session_id: str
    position: int
    question: QuestionRef
    audio_path: Path | None
    duration_s: float
    transcript: Transcript | None
    delivery: DeliveryMetrics | None
    content: ContentScore | None
    feedback: tuple[FeedbackLine, ...]
    created_at: str
    superseded_by: int | None = None
    source: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    rubric: str | None = None
    """The rubric the answer is judged by, decided when it was asked (a follow-up's from what it
    asks); a rescore keeps it. None for answers stored before it was kept."""

    @property
    def scored(self) -> bool:
        return self.transcript is not None and self.delivery is not None

    @property
    def audio_missing(self) -> bool:
        """True when the answer's recording is gone (deleted by hand, disk trouble): replay says so."""
        return self.audio_path is None or not self.audio_path.is_file()

    @property
    def words(self) -> tuple[Word, ...]:
        return self.transcript.words if self.transcript is not None else ()

    @property
    def fillers(self) -> tuple[Filler, ...]:
        return self.delivery.fillers.items if self.delivery is not None else ()

    @property
    def long_pauses(self) -> tuple[Span, ...]:
        return self.delivery.long_pauses if self.delivery is not None else ()

    def report(self) -> AnswerReport | None:
        """The pipeline report this answer was stored from (None when not scored)."""
        if self.transcript is None or self.delivery is None:
            return None
        return AnswerReport(
            transcript=self.transcript, delivery=self.delivery, source=self.source,
            content=self.content, options=dict(self.options),
        )


@dataclass(frozen=True)
class SessionSummary:
    """The headline figures of one session, for ``history`` and trend charts."""

    session: SessionRecord
    answers: int
    mean_wpm: float | None
    fillers_per_min: float | None
    content_score: float | None
    """The mean content score of an interview's answers; None for a role-play (see ``roleplay_score``)."""
    outcome: str | None = None
    """A role-play's outcome (resolved, escalated, abandoned, unfinished); None for an interview."""
    roleplay_score: int | None = None
    """A role-play's overall score, as its debrief gave it."""

    @property
    def is_roleplay(self) -> bool:
        return self.outcome is not None


# --- JSON <-> dataclasses -------------------------------------------------------------------------


def transcript_to_json(t: Transcript) -> dict[str, Any]:
    return t.to_dict()


def transcript_from_json(d: dict[str, Any]) -> Transcript:
    segments = tuple(
        Segment(
            text=s["text"], start_s=s["start_s"], end_s=s["end_s"],
            words=tuple(Word(w["text"], w["start_s"], w["end_s"], w["probability"]) for w in s["words"]),
        )
        for s in d["segments"]
    )
    return Transcript(text=d["text"], segments=segments, engine=d["engine"], model=d["model"],
                      options=dict(d.get("options") or {}))


def delivery_to_json(m: DeliveryMetrics) -> dict[str, Any]:
    return m.to_dict()


def delivery_from_json(d: dict[str, Any]) -> DeliveryMetrics:
    f = d["fillers"]
    return DeliveryMetrics(
        duration_s=d["duration_s"],
        speech_start_s=d["speech_start_s"],
        speech_end_s=d["speech_end_s"],
        speaking_s=d["speaking_s"],
        words=d["words"],
        wpm=d["wpm"],
        articulation_wpm=d["articulation_wpm"],
        pauses=tuple(Span(p["start"], p["end"]) for p in d["pauses"]),
        long_pauses=tuple(Span(p["start"], p["end"]) for p in d["long_pauses"]),
        fillers=FillerStats(
            count=f["count"], per_minute=f["per_minute"], percent=f["percent"],
            items=tuple(Filler(i["text"], i["start"], i["end"], i["recovered"]) for i in f["items"]),
            counts=dict(f.get("counts") or {}),
        ),
        verdicts=Verdicts(**d["verdicts"]),
        target_length_s=tuple(d["target_length_s"]),  # type: ignore[arg-type]
        pace_series=tuple((float(a), float(b)) for a, b in d.get("pace_series") or ()),
        tone=ToneMetrics.from_dict(d.get("tone")),  # absent in sessions stored before tone existed
        language=LanguageStats.from_dict(d.get("language")),
    )


def content_to_json(c: ContentScore) -> dict[str, Any]:
    """Every field (evidence offsets included), so :func:`content_from_json` rebuilds it exactly."""
    return asdict(c)


def _evidence(d: dict[str, Any] | None) -> Evidence | None:
    return Evidence(d["text"], d["start"], d["end"]) if d else None


def content_from_json(d: dict[str, Any]) -> ContentScore:
    balance = d.get("balance")
    terms = d.get("job_terms")
    return ContentScore(
        rubric=d["rubric"],
        criteria=tuple(
            CriterionResult(c["id"], c["label"], c["met"], c["score"], _evidence(c["evidence"]))
            for c in d["criteria"]
        ),
        red_flags=tuple(RedFlagHit(f["id"], f["label"], _evidence(f["evidence"])) for f in d["red_flags"]),  # type: ignore[arg-type]
        score=d["score"],
        assessable=d["assessable"],
        reason=d.get("reason", ""),
        balance=StarBalance(**balance) if balance else None,
        metrics_mentioned=tuple(_evidence(m) for m in d.get("metrics_mentioned") or ()),  # type: ignore[misc]
        job_terms=JobTerms(tuple(terms["used"]), tuple(terms["missed"])) if terms else None,
        feedback=tuple(FeedbackLine(x["kind"], x["text"]) for x in d.get("feedback") or ()),
        word_count=d.get("word_count", 0),
        question_id=d.get("question_id"),
    )


def feedback_to_json(lines: tuple[FeedbackLine, ...]) -> list[dict[str, str]]:
    return [{"kind": f.kind, "text": f.text} for f in lines]


def feedback_from_json(items: list[dict[str, str]] | None) -> tuple[FeedbackLine, ...]:
    return tuple(FeedbackLine(x["kind"], x["text"]) for x in items or ())  # type: ignore[arg-type]
