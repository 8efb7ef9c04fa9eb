"""Choosing and building a speech engine from the command-line options.

Heavy libraries (ctranslate2, torch) are imported only for the engine that is chosen.
"""

from __future__ import annotations

from simulator.config import DEFAULT_BEAM_SIZE, DEFAULT_COMPUTE_TYPE, DEFAULT_ENGINE, SPEECH_ENGINES
from simulator.errors import UsageError
from simulator.speech.bundle import resolve_ct2_model
from simulator.speech.faster_engine import COMPUTE_TYPES, FasterWhisperTranscriber
from simulator.speech.heap import return_large_blocks
from simulator.speech.openai_engine import load_openai_transcriber
from simulator.speech.transcript import Transcriber

ENGINES = SPEECH_ENGINES
__all__ = ["DEFAULT_ENGINE", "ENGINES", "make_transcriber"]


def make_transcriber(
    engine: str = DEFAULT_ENGINE,
    model: str | None = None,
    *,
    compute_type: str = DEFAULT_COMPUTE_TYPE,
    beam_size: int = DEFAULT_BEAM_SIZE,
    allow_download: bool = False,
    threads: int = 2,
) -> Transcriber:
    """Build the transcriber the user asked for, resolving the model offline.

    Raises:
        UsageError: unknown engine or model name.
        ModelError: the model is missing, damaged or cannot be loaded.
    """
    # Before the model loads: the decoders' large buffers are unmapped when freed, so memory does
    # not creep up over a long recording's parts (simulator/speech/heap.py).
    return_large_blocks()
    if engine == "faster-whisper":
        if compute_type not in COMPUTE_TYPES:
            raise UsageError(f"unknown compute type {compute_type!r}: use one of {', '.join(COMPUTE_TYPES)}")
        path, label = resolve_ct2_model(model, allow_download=allow_download)
        # ``threads`` cores: one thread per decode, as many decodes at once (see FasterWhisperTranscriber).
        return FasterWhisperTranscriber(
            path, model_name=label, compute_type=compute_type, beam_size=beam_size, cpu_threads=1,
            workers=max(1, threads),
        )
    if engine == "openai-whisper":
        if compute_type not in (DEFAULT_COMPUTE_TYPE, "float32"):
            raise UsageError("openai-whisper runs in float32 on the CPU; drop --compute-type")
        return load_openai_transcriber(model, beam_size=beam_size, threads=threads, allow_download=allow_download)
    raise UsageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
