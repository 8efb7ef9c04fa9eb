"""Silero VAD as faster-whisper applies it: keep the speech, decode it, put the times back.

Shared by the openai-whisper engine and the faster-whisper one-window path
(:mod:`simulator.speech.phrase_decoder`), so that both see the same speech and give clip times.
"""

from __future__ import annotations

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Segment, Word


def speech_only(audio: np.ndarray) -> tuple[list[dict[str, int]], np.ndarray]:
    """Silero VAD as faster-whisper applies it: the speech spans (samples) and their concatenation."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps  # noqa: PLC0415 - heavy (onnxruntime)

    chunks = get_speech_timestamps(audio, VadOptions(), sampling_rate=SAMPLE_RATE)
    if not chunks:
        return [], audio[:0]
    return chunks, np.concatenate([audio[c["start"] : c["end"]] for c in chunks])


def restore_times(segments: list[Segment], chunks: list[dict[str, int]]) -> list[Segment]:
    """Map times on the speech-only audio back to the original clip, as faster-whisper does."""
    from faster_whisper.vad import SpeechTimestampsMap  # noqa: PLC0415 - heavy (onnxruntime)

    ts_map = SpeechTimestampsMap(chunks, SAMPLE_RATE)
    restored = []
    for seg in segments:
        if seg.words:
            words = []
            for w in seg.words:
                # Resolve start and end in the chunk of the word's middle, so a word never straddles.
                index = ts_map.get_chunk_index((w.start_s + w.end_s) / 2)
                words.append(Word(
                    text=w.text, probability=w.probability,
                    start_s=ts_map.get_original_time(w.start_s, index),
                    end_s=ts_map.get_original_time(w.end_s, index),
                ))
            restored.append(Segment(seg.text, words[0].start_s, words[-1].end_s, tuple(words)))
        else:
            restored.append(Segment(
                seg.text, ts_map.get_original_time(seg.start_s),
                ts_map.get_original_time(seg.end_s, is_end=True),
            ))
    return restored
