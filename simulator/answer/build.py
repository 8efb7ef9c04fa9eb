"""The one way an answer's report is built, whether the answer is a recording (``score``, import,
rescoring), a stream the live loop transcribed as it came, or typed text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from simulator.analysis.delivery import analyse_delivery
from simulator.analysis.thresholds import Thresholds, current_thresholds
from simulator.analysis.pitch import ToneTrack
from simulator.answer.report import AnswerReport
from simulator.audio.clip import AudioClip
from simulator.rubric.result import ContentScore
from simulator.speech.hesitations import Filler
from simulator.speech.long_recordings import transcribe_in_parts
from simulator.speech.transcript import Transcriber, Transcript

ContentScorer = Callable[[str], ContentScore]
"""Judges an answer's text against its question's rubric."""


def build_report(
    samples: np.ndarray,
    transcript: Transcript,
    fillers: Sequence[Filler] = (),
    *,
    source: str = "",
    target_length_s: tuple[float, float] | None = None,
    thresholds: Thresholds | None = None,
    score_content: ContentScorer | None = None,
    tone_track: ToneTrack | None = None,
    options: dict[str, Any] | None = None,
) -> AnswerReport:
    """The report on an answer already transcribed: its delivery from the audio and words (with the
    fillers a second look recovered), and its content when a scorer is given."""
    delivery = analyse_delivery(samples, transcript, recovered_fillers=list(fillers), target_length_s=target_length_s,
                                thresholds=thresholds or current_thresholds(), tone_track=tone_track,
                                cut_off=bool((options or {}).get("interrupted")))
    content = score_content(transcript.text) if score_content is not None else None
    return AnswerReport(transcript=transcript, delivery=delivery, source=source, content=content,
                        options=dict(options or {}))


def analyse_clip(
    clip: AudioClip,
    transcriber: Transcriber,
    *,
    prompt: str | None = None,
    recover: bool = True,
    target_length_s: tuple[float, float] | None = None,
    thresholds: Thresholds | None = None,
    score_content: ContentScorer | None = None,
) -> AnswerReport:
    """Transcribe and analyse one recorded answer.

    Args:
        clip: the answer.
        transcriber: the speech engine.
        prompt: text to prime the decoder with (names, jargon the answer will use).
        recover: take a second look for hesitations Whisper dropped (costs a second decode).
        target_length_s: the question's target length band.
        thresholds: verdict bands; default: the settings' (``[thresholds]`` in the settings file).
        score_content: judges the transcript text against a rubric, if a question was given.
    """
    transcript, recovered = transcribe_in_parts(transcriber, clip.samples, prompt, recover)
    return build_report(clip.samples, transcript, recovered, source=clip.source, target_length_s=target_length_s,
                        thresholds=thresholds, score_content=score_content,
                        options={"filler_recovery": recover, "prompt": prompt})


def typed_report(text: str, score_content: ContentScorer | None,
                 target_length_s: tuple[float, float] | None = None, *, source: str = "typed") -> AnswerReport:
    """A report for a typed answer: content only, delivery marked as not measured."""
    transcript = Transcript(text=text.strip(), segments=(), engine="typed", model="", options={"typed": True})
    return build_report(np.zeros(0, np.float32), transcript, source=source, target_length_s=target_length_s,
                        score_content=score_content, options={"typed": True})
