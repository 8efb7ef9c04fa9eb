"""What the simulator says about one answer: its transcript, delivery and content score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.analysis.delivery import DeliveryMetrics
from simulator.analysis.notes import delivery_notes
from simulator.rubric.feedback import with_cut_off_note, with_delivery_feedback
from simulator.rubric.result import ContentScore
from simulator.speech.transcript import Transcript

REPORT_SCHEMA = "interview-sim/answer-report/1"


@dataclass(frozen=True)
class AnswerReport:
    """Everything the simulator says about one answer."""

    transcript: Transcript
    delivery: DeliveryMetrics
    source: str = ""
    content: ContentScore | None = None  # when a question, rubric or prompt was given
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Delivery notes join the content feedback here, so every way a report is built (score, the
        # interview loop, rescoring, a stored answer) shows them; adding them is idempotent.
        if isinstance(self.content, ContentScore) and not self.no_speech:
            object.__setattr__(self, "content", with_delivery_feedback(self.content, self.delivery))
        if isinstance(self.content, ContentScore) and self.options.get("interrupted"):
            object.__setattr__(self, "content", with_cut_off_note(self.content, self.delivery.duration_s))

    @property
    def delivery_notes(self) -> list[tuple[str, str]]:
        """(kind, text) notes on the delivery, for reports without content feedback to join."""
        return delivery_notes(self.delivery)

    @property
    def no_speech(self) -> bool:
        return self.delivery.verdicts.speech != "speech"
