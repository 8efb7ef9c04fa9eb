"""The default speech engine: faster-whisper (CTranslate2) on the CPU, offline.

faster-whisper is imported only when this engine is built, so commands that never transcribe stay
quick to start. Silero VAD (shipped with faster-whisper as ONNX) gates the decoder so that silence and
noise never become invented words.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from simulator.config import COMPUTE_TYPES, DEFAULT_BEAM_SIZE, DEFAULT_COMPUTE_TYPE
from simulator.errors import ModelError
from simulator.speech.loops import max_new_tokens
from simulator.speech.mel_features import BlockFeatureExtractor
from simulator.speech.hesitation_probe import EncodedSpeech
from simulator.speech.phrase_decoder import CONTEXT_PAD_S, decode_phrase, encoder_frames
from simulator.speech.transcript import Segment, Transcript, Word

ENGINE_NAME = "faster-whisper"
__all__ = ["COMPUTE_TYPES", "ENGINE_NAME", "FasterWhisperTranscriber"]


class FasterWhisperTranscriber:
    """Transcribe 16 kHz mono float32 audio with faster-whisper.

    Args:
        model_path: a CTranslate2 model folder (see :func:`simulator.speech.bundle.resolve_ct2_model`)
            or a model name for faster-whisper's own downloader.
        model_name: the label recorded in transcripts.
        compute_type: ``int8`` (default, fastest, least memory) or ``float32`` (bit-for-bit comparable
            with the openai-whisper reference).
        cpu_threads: threads inside one decode.
        workers: decodes that may run at the same time (faster-whisper's ``num_workers``): the
            filler-recovery pass runs beside the main one. On two cores, tiny.en is faster with one
            thread per decode and two decodes at once than with two threads and one decode:
            ``bench/transcription.py`` measured RTF 0.066 against 0.081 for transcription alone and
            0.071 against 0.161 with the second look (README, "Speed and memory"), for about 70 MB
            more at peak (170 MB with both decodes running).
        beam_size: 5 as Whisper's reference decoding; 1 for greedy.
        vad: gate the decoder with Silero VAD.
        one_window: decode audio whose speech fits one window in one pass
            (:mod:`simulator.speech.phrase_decoder`); ``False`` always uses faster-whisper's ``transcribe``.
        context_pad_s: with ``one_window``, the padding the encoder sees after the speech
            (``None``: the whole 30 s window).
    """

    engine = ENGINE_NAME

    def __init__(
        self,
        model_path: Path | str,
        *,
        model_name: str = "",
        compute_type: str = DEFAULT_COMPUTE_TYPE,
        cpu_threads: int = 1,
        workers: int = 2,
        beam_size: int = DEFAULT_BEAM_SIZE,
        vad: bool = True,
        one_window: bool = True,
        context_pad_s: float | None = CONTEXT_PAD_S,
    ) -> None:
        try:
            from faster_whisper import WhisperModel  # noqa: PLC0415 - heavy import, engine chosen
        except ModuleNotFoundError as e:
            raise ModelError("faster-whisper is not installed: run `make run`") from e
        self.model_name = model_name or str(model_path)
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.vad = vad
        self.one_window = one_window and vad  # the one-window path always gates with Silero VAD
        self.context_pad_s = context_pad_s
        self.parallel_decodes = max(1, workers)
        try:
            self._model = WhisperModel(
                str(model_path), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads,
                num_workers=self.parallel_decodes,
            )
        except (RuntimeError, ValueError, OSError) as e:
            raise ModelError(f"cannot load the speech model {self.model_name}: {e}") from e
        # The same features in blocks: a long part's spectrogram is not built whole, twice at once.
        self._model.feature_extractor = BlockFeatureExtractor(self._model.feature_extractor)
        # CTranslate2 runs up to ``workers`` decodes at once and queues the rest; faster-whisper's
        # own per-call state (features, VAD, alignment) is local to each call.
        self._slots = threading.BoundedSemaphore(self.parallel_decodes)

    def options(self, prompt: str | None = None, max_tokens: int | None = None) -> dict[str, Any]:
        return {
            "compute_type": self.compute_type,
            "beam_size": self.beam_size,
            "vad_filter": self.vad,
            "language": "en",
            "temperature": 0.0,
            "condition_on_previous_text": False,
            "word_timestamps": True,
            "initial_prompt": prompt,
            "max_new_tokens": max_tokens,
            "one_window": self.one_window,
            "context_pad_s": self.context_pad_s if self.one_window else None,
        }

    @property
    def encoder(self) -> dict[str, Any]:
        """What the encoder frames this engine hands over come from (``transcribe(frames_out=...)``)."""
        return {"engine": ENGINE_NAME, "model": self.model_name, "compute_type": self.compute_type}

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None,
                   frames_out: list[EncodedSpeech] | None = None) -> Transcript:
        """The transcript of ``samples``; ``frames_out``, if given, also receives the encoder's frames
        over its speech (free on the one-window path; one more encoder pass per 28 s of speech when
        the speech is longer than one window)."""
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        raw_frames: list[tuple[np.ndarray, np.ndarray]] | None = [] if frames_out is not None else None
        cap = max_new_tokens(len(audio))
        options = self.options(prompt, cap)
        with self._slots:
            segments = None
            if len(audio) == 0:
                segments = []
            elif self.one_window:
                segments = decode_phrase(self._model, audio, prompt=prompt, beam_size=self.beam_size,
                                         max_new_tokens=cap, context_pad_s=self.context_pad_s,
                                         frames_out=raw_frames)
            if segments is None:  # longer than one window
                raw, _info = self._model.transcribe(
                    audio,
                    beam_size=self.beam_size,
                    language="en",
                    temperature=0.0,
                    condition_on_previous_text=False,
                    word_timestamps=True,
                    vad_filter=self.vad,
                    initial_prompt=prompt,
                    max_new_tokens=cap,
                )
                segments = [_segment(s) for s in raw]
                if raw_frames is not None and self.vad:
                    raw_frames.append(encoder_frames(self._model, audio))
        if frames_out is not None and raw_frames:
            frames_out.append(EncodedSpeech(*raw_frames[0], self.encoder))
        text = " ".join(s.text for s in segments).strip()
        return Transcript(
            text=text, segments=tuple(segments), engine=ENGINE_NAME, model=self.model_name,
            options=options,
        )


def _segment(raw: Any) -> Segment:
    words = tuple(
        Word(text=w.word.strip(), start_s=round(float(w.start), 3), end_s=round(float(w.end), 3),
             probability=round(float(w.probability), 4))
        for w in (raw.words or ())
        if w.word.strip()
    )
    return Segment(
        text=raw.text.strip(), start_s=round(float(raw.start), 3), end_s=round(float(raw.end), 3),
        words=words,
    )
