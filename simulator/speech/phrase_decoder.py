"""A phrase that fits one Whisper window, decoded in one pass (rarely more): the fast path for live speech.

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

One pass is not always enough, though: Whisper may end its text well before the end of the window
(a closing timestamp then end-of-text, or an unfinished last sentence that ``transcribe`` drops and
decodes again from the next window). On continuous speech of 18-28 s that lost the last 1-8 s
(issue 12; tests/integration/test_decode_reaches_the_end.py). So when the words written stop more
than ``MIN_REST_S`` before the end of the speech, decoding goes on from the last word's end, over
the rest of the speech only (never a window of padding alone, where Whisper invents "thank you for
watching"). A live phrase of a few seconds almost never needs it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.speech.transcript import Segment, Word
from simulator.speech.vad import restore_times, speech_only

MAX_PHRASE_S = 28.0
"""Speech (after VAD) up to this long is decoded in one window; the rest of the 30 s is padding."""

CONTEXT_PAD_S = 5.0
"""Padding given to the encoder after the phrase. ``bench/phrase_decoding.py`` (36 answers, 89
phrases, 2026-12-01): WER 0.187 with 5 s, 0.208 with the full 30 s window, 0.227 with 1 s; time per
phrase 0.41 s against 0.79 s for the full window (bench/results/phrase_decoding.md)."""

MIN_REST_S = 1.0
"""Speech left after the last word written that is decoded as a further window. The VAD cut keeps
0.4 s of padding after the last speech, so this is at least 0.6 s of speech left unwritten."""

FRAME_S = 0.02  # one encoder frame: two 10 ms feature frames

MAX_WINDOWS = 4
"""Windows per phrase at most: Whisper stopping early twice in one phrase is already rare."""


def decode_phrase(
    model: Any,
    audio: np.ndarray,
    *,
    prompt: str | None,
    beam_size: int,
    max_new_tokens: int,
    context_pad_s: float | None = CONTEXT_PAD_S,
    frames_out: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[Segment] | None:
    """The segments of one phrase, word times included, in the clip's time.

    Returns ``None`` when the speech is too long for one window: the caller then uses ``transcribe``.
    ``context_pad_s=None`` gives the encoder the full 30 s window, as ``transcribe`` does.

    Whisper may stop writing before the end of a window (a closing timestamp, then end of text; or
    an unfinished last sentence), leaving the caller to seek on, as ``transcribe`` does. So when the
    text stops more than ``MIN_REST_S`` before the end of the speech, the rest of the speech (never
    padding alone) is decoded as a window of its own, up to ``MAX_WINDOWS`` windows in all.

    ``frames_out``, if given, receives the first window's encoder frames over the speech (float16,
    one per 20 ms) and each frame's centre in the clip's time: what the hesitation listener reads
    (:mod:`simulator.speech.hesitation_probe`), at no cost beyond a copy.
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
    # Every window is primed with the caller's prompt: for the filler pass the prompt is the point.
    prompt_tokens = model.get_prompt(tokenizer, previous, without_timestamps=False)
    min_rest = round(MIN_REST_S * model.frames_per_second)

    raw: list[dict] = []
    seek = 0
    for _ in range(MAX_WINDOWS):
        found, next_seek = _decode_window(model, features, seek, content_frames, tokenizer, options,
                                          prompt_tokens, context_pad_s, raw[-1]["end"] if raw else 0.0,
                                          frames_out if seek == 0 else None, speech)
        raw += found
        if next_seek is None or next_seek <= seek or content_frames - next_seek < min_rest:
            break
        seek = next_seek

    segments = []
    for seg in raw:
        text = tokenizer.decode(seg["tokens"])
        if seg["start"] == seg["end"] or not text.strip():
            continue
        words = tuple(Word(w["word"].strip(), round(float(w["start"]), 3), round(float(w["end"]), 3),
                           round(float(w["probability"]), 4)) for w in seg["words"] if w["word"].strip())
        segments.append(Segment(text.strip(), round(float(seg["start"]), 3), round(float(seg["end"]), 3), words))
    return restore_times(segments, speech)


def _decode_window(model: Any, features: np.ndarray, seek: int, content_frames: int, tokenizer: Any,
                   options: Any, prompt_tokens: list[int], context_pad_s: float | None,
                   last_speech_s: float, frames_out: list | None = None,
                   speech: list[dict[str, int]] | None = None) -> tuple[list[dict], int | None]:
    """Decode the speech from frame ``seek`` to the end as one window.

    Returns the raw segments (speech-only time, words included) and the frame where decoding should
    go on: the end of the last word written, or ``None`` when Whisper judged the window silent or
    its text is a repetition loop (gzip compression ratio over 2.4, as Whisper's own check).
    """
    size = content_frames - seek
    encoder_output = model.encode(_window(model, features, seek, size, context_pad_s))
    if frames_out is not None and speech:
        frames_out.append(speech_frames(np.array(encoder_output)[0][: size // 2], speech))

    result, avg_logprob, _temperature, compression_ratio = model.generate_with_fallback(
        encoder_output, prompt_tokens, tokenizer, options)
    if result.no_speech_prob > options.no_speech_threshold and avg_logprob <= options.log_prob_threshold:
        return [], None  # Whisper's own "nothing was said here" check, as in transcribe

    tokens = result.sequences_ids[0]
    time_per_frame = model.feature_extractor.time_per_frame
    current, next_seek, single_timestamp_ending = model._split_segments_by_timestamps(  # noqa: SLF001
        tokenizer=tokenizer, tokens=tokens, time_offset=seek * time_per_frame,
        segment_size=size, segment_duration=size * time_per_frame, seek=seek)
    closing_s = current[-1]["end"] if current else 0.0  # Whisper's own end, before the words move it
    model.add_word_timestamps([current], tokenizer, encoder_output, size, options.prepend_punctuations,
                              options.append_punctuations, last_speech_timestamp=last_speech_s)
    if compression_ratio > options.compression_ratio_threshold:
        return current, None  # a repetition loop (see simulator.speech.loops): more would loop too
    if single_timestamp_ending and (content_frames - closing_s * model.frames_per_second
                                    < MIN_REST_S * model.frames_per_second):
        return current, content_frames  # Whisper closed its text at the end of the speech: done
    # Otherwise go on from the last word's end, as transcribe does after a window with word times;
    # unlike transcribe, also after a closing timestamp that leaves speech unwritten behind it.
    ends = [w["end"] for seg in current for w in seg.get("words") or ()]
    if ends:
        next_seek = max(seek, round(ends[-1] * model.frames_per_second))
    return current, next_seek


def _window(model: Any, features: np.ndarray, seek: int, size: int, context_pad_s: float | None) -> np.ndarray:
    """The encoder's input: ``size`` feature frames from ``seek``, then zero padding (as faster-whisper
    pads) of ``context_pad_s`` (``None``: up to the full 30 s window), never past 30 s."""
    full_frames = model.feature_extractor.nb_max_frames
    frames = full_frames if context_pad_s is None else min(
        full_frames, size + round(context_pad_s * model.frames_per_second))
    frames += frames % 2  # the encoder's convolution halves the frame count
    window = np.zeros((features.shape[0], frames), dtype=features.dtype)
    window[:, :size] = features[:, seek:seek + size]
    return window


def speech_frames(frames: np.ndarray, speech: list[dict[str, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Encoder frames over the speech-only audio (float16) and each frame's centre in the clip's time."""
    from faster_whisper.vad import SpeechTimestampsMap  # noqa: PLC0415 - heavy (onnxruntime)

    ts_map = SpeechTimestampsMap(speech, SAMPLE_RATE)
    centres = (np.arange(len(frames)) + 0.5) * FRAME_S
    return frames.astype(np.float16), np.array([ts_map.get_original_time(float(t)) for t in centres])


def encoder_frames(model: Any, audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The encoder frames of all the speech in ``audio``, as :func:`decode_phrase` would give them:
    for speech longer than one window (which ``transcribe`` decodes with windows of its own), one
    encoder pass per :data:`MAX_PHRASE_S` of speech, each padded by :data:`CONTEXT_PAD_S`."""
    speech, voiced = speech_only(audio)
    if not speech:
        return np.zeros((0, 0), np.float16), np.zeros(0)
    features = model.feature_extractor(voiced)
    content = features.shape[-1] - 1
    step = round(MAX_PHRASE_S * model.frames_per_second)
    parts = []
    for seek in range(0, content, step):
        size = min(step, content - seek)
        parts.append(np.array(model.encode(_window(model, features, seek, size, CONTEXT_PAD_S)))[0][: size // 2])
    return speech_frames(np.concatenate(parts), speech)
