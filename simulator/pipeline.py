"""One answer, start to finish: audio → transcript → delivery (+ content) → :class:`AnswerReport`.

This is the headless core that the ``score`` command, the app, the tests and the benchmarks all use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from simulator.analysis.delivery import DeliveryMetrics, analyse_delivery
from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from simulator.audio.clip import AudioClip
from simulator.speech.filler_recovery import transcribe_and_recover
from simulator.speech.transcript import Transcriber, Transcript

REPORT_SCHEMA = "interview-sim/answer-report/1"


@dataclass(frozen=True)
class AnswerReport:
    """Everything the simulator says about one answer."""

    transcript: Transcript
    delivery: DeliveryMetrics
    source: str = ""
    content: Any | None = None  # simulator.rubric.ContentScore when a question or rubric was given
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Delivery notes join the content feedback here, so every way a report is built (score, the
        # interview loop, rescoring, a stored answer) shows them; adding them is idempotent.
        if self.content is None or self.no_speech:
            return
        from simulator.rubric.feedback import with_delivery_feedback  # noqa: PLC0415
        from simulator.rubric.result import ContentScore  # noqa: PLC0415

        if isinstance(self.content, ContentScore):
            object.__setattr__(self, "content", with_delivery_feedback(self.content, self.delivery))

    @property
    def delivery_notes(self) -> list[tuple[str, str]]:
        """(kind, text) notes on the delivery, for reports without content feedback to join."""
        from simulator.analysis.notes import delivery_notes  # noqa: PLC0415

        return delivery_notes(self.delivery)

    @property
    def no_speech(self) -> bool:
        return self.delivery.verdicts.speech != "speech"


def analyse_clip(
    clip: AudioClip,
    transcriber: Transcriber,
    *,
    prompt: str | None = None,
    recover: bool = True,
    target_length_s: tuple[float, float] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    score_content: Callable[[str], Any] | None = None,
) -> AnswerReport:
    """Transcribe and analyse one recorded answer.

    Args:
        clip: the answer.
        transcriber: the speech engine.
        prompt: text to prime the decoder with (names, jargon the answer will use).
        recover: take a second look for hesitations Whisper dropped (costs a second decode).
        target_length_s: the question's target length band.
        thresholds: verdict bands.
        score_content: judges the transcript text against a rubric, if a question was given.
    """
    transcript, recovered = transcribe_and_recover(transcriber, clip.samples, prompt, recover=recover)
    delivery = analyse_delivery(
        clip.samples, transcript, recovered_fillers=recovered, target_length_s=target_length_s,
        thresholds=thresholds,
    )
    content = score_content(transcript.text) if score_content is not None else None
    return AnswerReport(
        transcript=transcript, delivery=delivery, source=clip.source, content=content,
        options={"filler_recovery": recover, "prompt": prompt},
    )
