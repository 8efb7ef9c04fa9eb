"""Typed records of the session store, and their JSON (de)serialisation.

The store keeps an answer's transcript, delivery metrics and content score as JSON columns. This
module turns the pipeline's dataclasses into those JSON objects and back, losslessly, so that a
stored answer can be rebuilt into the :class:`~simulator.answer.report.AnswerReport` it came from
(:meth:`AnswerRecord.report`) for replay, export and rescore comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from simulator.rubric.result import ContentScore, FeedbackLine
from simulator.speech.transcript import Transcript, Word

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from simulator.analysis.delivery import DeliveryMetrics
    from simulator.analysis.fillers import Filler
    from simulator.answer.report import AnswerReport
    from simulator.audio.energy import Span

# The analysis (numpy, the settings), the answer report and pydantic are imported by the functions
# that need them, not here: opening the store, at every start of the app, rebuilds no answer.

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
        from simulator.answer.report import AnswerReport  # noqa: PLC0415 - see the imports

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
#
# pydantic adapters over the pipeline's own dataclasses: the stored JSON is what those dataclasses
# serialise to (``dataclasses.asdict``, or the analysis' ``to_dict`` for delivery), byte for byte as
# earlier releases stored it, and reading it back validates it (a damaged value raises ValueError).
# Each adapter is built when first used (building the four took about 15 ms of every start-up).


@cache
def _adapter(kind: Any) -> TypeAdapter:
    from pydantic import TypeAdapter  # noqa: PLC0415 - see the imports

    return TypeAdapter(kind)


def transcript_to_json(t: Transcript) -> dict[str, Any]:
    return _adapter(Transcript).dump_python(t)


def transcript_from_json(d: dict[str, Any]) -> Transcript:
    return _adapter(Transcript).validate_python(d)


def delivery_to_json(m: DeliveryMetrics) -> dict[str, Any]:
    """The shape ``score --json`` publishes (:meth:`DeliveryMetrics.to_dict`)."""
    return m.to_dict()


def delivery_from_json(d: dict[str, Any]) -> DeliveryMetrics:
    """The inverse of :meth:`DeliveryMetrics.to_dict`, which names a span's times ``start``/``end``
    and gives tone and wording their own shapes (read back by their own ``from_dict``)."""
    from simulator.analysis.delivery import DeliveryMetrics  # noqa: PLC0415 - see the imports
    from simulator.analysis.language import LanguageStats  # noqa: PLC0415
    from simulator.analysis.tone import ToneMetrics  # noqa: PLC0415

    def times(x: dict[str, Any]) -> dict[str, Any]:
        return {**x, "start_s": x["start"], "end_s": x["end"]}

    fillers = d["fillers"]
    delivery = _adapter(DeliveryMetrics).validate_python({
        **d,
        "pauses": [times(p) for p in d["pauses"]],
        "long_pauses": [times(p) for p in d["long_pauses"]],
        "fillers": {**fillers, "items": [times(i) for i in fillers["items"]],
                    "counts": fillers.get("counts") or {}},
        "pace_series": d.get("pace_series") or (),
        "tone": ToneMetrics.from_dict(d.get("tone")),  # absent in sessions stored before tone existed
        "language": LanguageStats.from_dict(d.get("language")),
    })
    # As stored: a bank's whole-second target stays (90, 150) in exports, not (90.0, 150.0).
    return replace(delivery, target_length_s=tuple(d["target_length_s"]))


def content_to_json(c: ContentScore) -> dict[str, Any]:
    """Every field (evidence offsets included), so :func:`content_from_json` rebuilds it exactly."""
    return _adapter(ContentScore).dump_python(c)


def content_from_json(d: dict[str, Any]) -> ContentScore:
    return _adapter(ContentScore).validate_python(d)


def feedback_to_json(lines: tuple[FeedbackLine, ...]) -> list[dict[str, str]]:
    return list(_adapter(tuple[FeedbackLine, ...]).dump_python(lines))


def feedback_from_json(items: list[dict[str, str]] | None) -> tuple[FeedbackLine, ...]:
    return _adapter(tuple[FeedbackLine, ...]).validate_python(items or ())

