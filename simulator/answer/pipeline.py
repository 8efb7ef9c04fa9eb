"""One answer, start to finish: audio → transcript → delivery (+ content) → :class:`AnswerReport`.

This is the headless core that the ``score`` command, the app, the tests and the benchmarks all use.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from simulator.analysis.delivery import DeliveryMetrics, analyse_delivery
from simulator.audio.energy import HOP_S, EnergyProfile
from simulator.analysis.fillers import Filler
from simulator.analysis.thresholds import DEFAULT_THRESHOLDS, Thresholds
from simulator.audio.clip import SAMPLE_RATE, AudioClip
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
    transcript, recovered = _transcribe_in_parts(transcriber, clip.samples, prompt, recover)
    delivery = analyse_delivery(
        clip.samples, transcript, recovered_fillers=recovered, target_length_s=target_length_s,
        thresholds=thresholds,
    )
    content = score_content(transcript.text) if score_content is not None else None
    return AnswerReport(
        transcript=transcript, delivery=delivery, source=clip.source, content=content,
        options={"filler_recovery": recover, "prompt": prompt},
    )


PART_S = 120.0
"""A recording longer than :data:`LONG_S` is transcribed in parts of about this length, so the
decoder's memory (its features cover what it is given) does not grow with the recording."""
LONG_S = 150.0
_SEARCH_S = 25.0  # a part ends at the longest silence in the last this-many seconds before PART_S


def _transcribe_in_parts(
    transcriber: Transcriber, samples: Any, prompt: str | None, recover: bool
) -> tuple[Transcript, list[Filler]]:
    """:func:`transcribe_and_recover` on the whole recording, or on parts cut at silences and joined
    back on the recording's clock when it is longer than :data:`LONG_S`."""
    if len(samples) <= LONG_S * SAMPLE_RATE:
        return transcribe_and_recover(transcriber, samples, prompt, recover=recover)
    cuts = _cut_points(samples)
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        transcript, fillers = transcribe_and_recover(transcriber, samples[a:b], prompt, recover=recover)
        parts.append((a / SAMPLE_RATE, transcript, fillers))
    return _joined(parts)


def _cut_points(samples: Any) -> list[int]:
    """Sample offsets of the parts' bounds: each cut in the middle of the longest silence in the
    :data:`_SEARCH_S` seconds before the part would reach :data:`PART_S` (at that point if none)."""
    mask = EnergyProfile.of(samples).mask  # voiced frames, HOP_S apart
    hop = int(HOP_S * SAMPLE_RATE)
    cuts = [0]
    while len(samples) - cuts[-1] > LONG_S * SAMPLE_RATE:
        lo = cuts[-1] + int((PART_S - _SEARCH_S) * SAMPLE_RATE)
        hi = cuts[-1] + int(PART_S * SAMPLE_RATE)
        window = mask[lo // hop: hi // hop]
        best, best_len, run_start = hi, 0, None
        for i, voiced in enumerate([*window, True]):
            if not voiced and run_start is None:
                run_start = i
            elif voiced and run_start is not None:
                if i - run_start > best_len:
                    best_len = i - run_start
                    best = lo + ((run_start + i) // 2) * hop
                run_start = None
        cuts.append(best)
    cuts.append(len(samples))
    return cuts


def _joined(parts: list[tuple[float, Transcript, list[Filler]]]) -> tuple[Transcript, list[Filler]]:
    """One transcript (and filler list) from the parts', each moved by its part's start time."""
    segments, fillers, texts = [], [], []
    for offset, t, found in parts:
        for seg in t.segments:
            words = tuple(replace(w, start_s=w.start_s + offset, end_s=w.end_s + offset) for w in seg.words)
            segments.append(replace(seg, start_s=seg.start_s + offset, end_s=seg.end_s + offset, words=words))
        fillers += [replace(f, start_s=f.start_s + offset, end_s=f.end_s + offset) for f in found]
        if t.text.strip():
            texts.append(t.text.strip())
    first = parts[0][1]
    options = {**first.options, "parts": len(parts)}
    return Transcript(" ".join(texts), tuple(segments), first.engine, first.model, options), fillers
