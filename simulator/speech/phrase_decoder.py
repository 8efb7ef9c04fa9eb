"""A phrase that fits one Whisper window, decoded in one pass: the fast path for live speech.

faster-whisper's ``transcribe`` is built for long files. With word timestamps on, after each window
it moves on to the *last word's end* and decodes again from there, so a 5 s phrase costs two 30 s
encoder passes (about 0.45 s each on one core with tiny.en int8), and the second window, holding only
the phrase's trailing pad, is where Whisper writes "Thank you very much for watching, and I'll see
you in the next video" into an interview answer. A phrase of live speech never needs a second
window: the endpointer cut it at a pause and it is at most ``MAX_PHRASE_S`` long.

So here the steps of one window are run once, with faster-whisper's own pieces (Silero VAD, the
feature extractor, the prompt, the decoding with its no-speech check, the word alignment), and the
encoder sees only the phrase plus ``CONTEXT_PAD_S`` of padding instead of 30 s (Whisper's encoder
takes any length up to 30 s; its cost grows with it). Longer audio goes through ``transcribe``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.speech.transcript import Segment, Word
from simulator.speech.vad import restore_times, speech_only

MAX_PHRASE_S = 28.0
"""Speech (after VAD) up to this long is decoded in one window; the rest of the 30 s is padding."""

CONTEXT_PAD_S = 5.0
"""Padding given to the encoder after the phrase. ``bench/phrase_decoding.py`` (36 answers, 89
phrases, 2026-12-01): WER 0.187 with 5 s, 0.208 with the full 30 s window, 0.227 with 1 s; time per
phrase 0.41 s against 0.79 s for the full window (bench/results/phrase_decoding.md)."""


def decode_phrase(
    model: Any,
    audio: np.ndarray,
    *,
    prompt: str | None,
    beam_size: int,
    max_new_tokens: int,
    context_pad_s: float | None = CONTEXT_PAD_S,
) -> list[Segment] | None:
    """The segments of one phrase, word times included, in the clip's time.

    Returns ``None`` when the speech is too long for one window: the caller then uses ``transcribe``.
    ``context_pad_s=None`` gives the encoder the full 30 s window, as ``transcribe`` does.
    """
    from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415 - heavy import, engine chosen
    from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens  # noqa: PLC0415

    speech, voiced = speech_only(audio)
    if not speech:
        return []
    if len(voiced) > MAX_PHRASE_S * model.feature_extractor.sampling_rate:
        return None

    features = model.feature_extractor(voiced)
    content_frames = features.shape[-1] - 1
    full_frames = model.feature_extractor.nb_max_frames
    frames = full_frames if context_pad_s is None else min(
        full_frames, content_frames + round(context_pad_s * model.frames_per_second))
    frames += frames % 2  # the encoder's convolution halves the frame count
    window = np.zeros((features.shape[0], frames), dtype=features.dtype)
    window[:, :content_frames] = features[:, :content_frames]  # zero padding, as faster-whisper pads
    encoder_output = model.encode(window)

    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")
    options = TranscriptionOptions(
        beam_size=beam_size, best_of=5, patience=1, length_penalty=1, repetition_penalty=1,
        no_repeat_ngram_size=0, log_prob_threshold=-1.0, no_speech_threshold=0.6,
        compression_ratio_threshold=2.4, condition_on_previous_text=False, prompt_reset_on_temperature=0.5,
        temperatures=[0.0], initial_prompt=prompt, prefix=None, suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, [-1]), without_timestamps=False,
        max_initial_timestamp=1.0, word_timestamps=True, prepend_punctuations="\"'“¿([{-",
        append_punctuations="\"'.。,，!！?？:：”)]}、", multilingual=False, max_new_tokens=max_new_tokens,
        clip_timestamps="0", hallucination_silence_threshold=None, hotwords=None,
    )
    previous = tokenizer.encode(" " + prompt.strip()) if prompt and prompt.strip() else []
    prompt_tokens = model.get_prompt(tokenizer, previous, without_timestamps=False)
    result, avg_logprob, _temperature, _compression_ratio = model.generate_with_fallback(
        encoder_output, prompt_tokens, tokenizer, options)
    if result.no_speech_prob > options.no_speech_threshold and avg_logprob <= options.log_prob_threshold:
        return []  # Whisper's own "nothing was said here" check, as in transcribe

    duration = content_frames * model.feature_extractor.time_per_frame
    current, _seek, _single = model._split_segments_by_timestamps(  # noqa: SLF001 - the one-window step
        tokenizer=tokenizer, tokens=result.sequences_ids[0], time_offset=0.0, segment_size=content_frames,
        segment_duration=duration, seek=0)
    model.add_word_timestamps([current], tokenizer, encoder_output, content_frames,
                              options.prepend_punctuations, options.append_punctuations, last_speech_timestamp=0.0)

    segments = []
    for seg in current:
        text = tokenizer.decode(seg["tokens"])
        if seg["start"] == seg["end"] or not text.strip():
            continue
        words = tuple(Word(w["word"].strip(), round(float(w["start"]), 3), round(float(w["end"]), 3),
                           round(float(w["probability"]), 4)) for w in seg["words"] if w["word"].strip())
        segments.append(Segment(text.strip(), round(float(seg["start"]), 3), round(float(seg["end"]), 3), words))
    return restore_times(segments, speech)
