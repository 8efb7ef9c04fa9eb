"""The second speech engine: openai-whisper, the reference implementation, on the CPU, offline.

It loads a checkpoint converted from the bundled CTranslate2 model (:mod:`simulator.speech.convert`),
so both engines run the same weights and can be compared word for word. Decoding options mirror
:class:`simulator.speech.faster_engine.FasterWhisperTranscriber` (English, temperature 0 without
fallback, no conditioning on previous text, word timestamps, Silero VAD gate) so that a difference
between the two is a difference between the engines, not between their settings.

torch and whisper are imported only when this engine is built: importing this module stays cheap, and
a machine without the optional extra gets a clear :class:`ModelError` instead of an ImportError.
"""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path
from typing import Any

import numpy as np

from simulator.config import DEFAULT_BEAM_SIZE
from simulator.errors import ModelError, UsageError
from simulator.speech.bundle import BUNDLES, bundle_for, verified_model_dir
from simulator.speech.convert import OPENAI_EXTRA_HINT, cached_checkpoint, import_torch
from simulator.speech.loops import max_new_tokens
from simulator.speech.transcript import Segment, Transcript, Word
from simulator.speech.vad import restore_times, speech_only

ENGINE_NAME = "openai-whisper"
SAMPLE_RATE = 16_000


class OpenAIWhisperTranscriber:
    """Transcribe 16 kHz mono float32 audio with openai-whisper in float32.

    Args:
        checkpoint: a ``.pt`` written by :func:`simulator.speech.convert.convert_ct2_to_whisper`
            (a stock openai-whisper checkpoint also loads, with its default alignment heads).
        beam_size: 5 as Whisper's reference decoding; ``None`` or 1 for greedy.
        threads: torch intra-op threads. torch's setting is process-wide, so the last engine built wins.
        word_timestamps: compute per-word times from cross-attention (about 10% extra time).
        vad: skip non-speech with Silero VAD, exactly as faster-whisper's ``vad_filter`` does, so
            silence and noise give an empty transcript instead of invented words.
        model_name: the label recorded in transcripts; by default the one stored at conversion.
        alignment_heads: ``set_alignment_heads`` data for a stock checkpoint, which does not carry its
            own (openai-whisper keeps them in ``whisper._ALIGNMENT_HEADS``); converted ones do.
    """

    engine = ENGINE_NAME

    def __init__(
        self,
        checkpoint: Path,
        *,
        beam_size: int | None = DEFAULT_BEAM_SIZE,
        threads: int = 2,
        word_timestamps: bool = True,
        vad: bool = True,
        model_name: str | None = None,
        alignment_heads: bytes | str | None = None,
    ) -> None:
        torch = import_torch()
        try:
            import whisper  # noqa: PLC0415 - heavy import, engine chosen
        except ModuleNotFoundError as e:
            raise ModelError(f"openai-whisper is not installed: {OPENAI_EXTRA_HINT}") from e
        self._whisper = whisper
        self.beam_size = None if beam_size in (None, 1) else int(beam_size)
        self.word_timestamps = word_timestamps
        self.vad = vad
        torch.set_num_threads(threads)
        checkpoint = Path(checkpoint)
        try:
            # mmap: the weights are copied into the model once, not held twice while loading.
            ckpt = torch.load(checkpoint, map_location="cpu", weights_only=True, mmap=True)
            model = whisper.model.Whisper(whisper.model.ModelDimensions(**ckpt["dims"]))
            model.load_state_dict(ckpt["model_state_dict"])
        except FileNotFoundError as e:
            raise ModelError(
                f"no openai-whisper checkpoint at {checkpoint}: run `interview-sim models convert`"
            ) from e
        # torch.load raises many types for a damaged file; all mean "convert again".
        except (pickle.UnpicklingError, EOFError, RuntimeError, KeyError, TypeError, ValueError,
                OSError) as e:
            raise ModelError(
                f"cannot load the openai-whisper checkpoint {checkpoint} ({e.__class__.__name__}); "
                f"recreate it with `interview-sim models convert --force`"
            ) from e
        if heads := alignment_heads or ckpt.get("alignment_heads"):
            # Without the model's own heads, word times drift by up to 0.5 s (RESEARCH.md section 1).
            model.set_alignment_heads(heads)
        self._model = model.eval()
        self.model_name = model_name or ckpt.get("source", {}).get("model_name") or checkpoint.stem
        self.threads = threads
        # One torch model, one decode at a time: callers on several threads queue here.
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Compile the word-alignment code now rather than during the first answer.

        openai-whisper aligns words with a numba-jitted DTW that compiles on its first call in each
        process (about 3 s on two cores); call this from a background worker after building the engine.
        """
        if self.word_timestamps:
            from whisper.timing import dtw_cpu  # noqa: PLC0415 - optional engine (openai extra)

            dtw_cpu(np.zeros((2, 3), dtype=np.float64))

    def options(self, prompt: str | None = None, max_tokens: int | None = None) -> dict[str, Any]:
        return {
            "compute_type": "float32",
            "beam_size": self.beam_size or 1,
            "vad_filter": self.vad,
            "language": "en",
            "temperature": 0.0,
            "condition_on_previous_text": False,
            "word_timestamps": self.word_timestamps,
            "initial_prompt": prompt,
            "threads": self.threads,
            "max_new_tokens": max_tokens,
        }

    def transcribe(self, samples: np.ndarray, *, prompt: str | None = None) -> Transcript:
        audio = np.ascontiguousarray(samples, dtype=np.float32)
        cap = max_new_tokens(len(audio))
        options = self.options(prompt, cap)
        speech_chunks: list[dict[str, int]] | None = None
        if self.vad and len(audio):
            speech_chunks, audio = speech_only(audio)
        segments: list[Segment] = []
        if len(audio):
            with self._lock:
                result = self._whisper.transcribe(
                    self._model,
                    audio,
                    verbose=None,  # no printing, no progress bar
                    temperature=0.0,  # a single temperature: no fallback, deterministic
                    condition_on_previous_text=False,
                    initial_prompt=prompt,
                    word_timestamps=self.word_timestamps,
                    language="en",
                    task="transcribe",
                    beam_size=self.beam_size,
                    sample_len=cap,  # openai-whisper's name for faster-whisper's max_new_tokens
                    fp16=False,
                )
            segments = [_segment(raw) for raw in result["segments"]]
            if speech_chunks:
                segments = restore_times(segments, speech_chunks)
        text = " ".join(s.text for s in segments if s.text).strip()
        return Transcript(
            text=text, segments=tuple(segments), engine=ENGINE_NAME, model=self.model_name,
            options=options,
        )


def load_openai_transcriber(
    model: str | None = None,
    *,
    beam_size: int | None = DEFAULT_BEAM_SIZE,
    threads: int = 2,
    allow_download: bool = False,
) -> OpenAIWhisperTranscriber:
    """Build the openai-whisper engine for ``--model``, offline unless the user allowed a download.

    Unset, ``base`` and ``tiny.en`` are the bundled models, converted on first use (verified by sha256 first); a
    ``.pt`` file is loaded as is; a CTranslate2 folder is converted into the cache; another official
    name is taken from openai-whisper's own cache (``~/.cache/whisper``), or fetched by its own
    downloader when ``allow_download`` is set.

    Raises:
        UsageError: an unknown model name.
        ModelError: the model is missing, damaged, or the extra is not installed.
    """
    options: dict[str, Any] = {"beam_size": beam_size, "threads": threads}
    if model in (None, "") or model in BUNDLES:
        name = bundle_for(model).name
        checkpoint = cached_checkpoint(verified_model_dir(name))
        return OpenAIWhisperTranscriber(checkpoint, model_name=name, **options)
    path = Path(model).expanduser()
    if path.is_file():
        return OpenAIWhisperTranscriber(path, **options)
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is neither a .pt checkpoint nor a CTranslate2 model folder")
        return OpenAIWhisperTranscriber(cached_checkpoint(path), model_name=path.name, **options)
    return _official_model(model, allow_download=allow_download, **options)


def _official_model(
    name: str, *, allow_download: bool, beam_size: int | None, threads: int
) -> OpenAIWhisperTranscriber:
    """A checkpoint published by OpenAI, from whisper's own cache or (when allowed) its downloader."""
    import_torch()
    try:
        import whisper  # noqa: PLC0415 - optional engine (openai extra)
    except ModuleNotFoundError as e:
        raise ModelError(f"openai-whisper is not installed: {OPENAI_EXTRA_HINT}") from e
    if name not in whisper.available_models():
        raise UsageError(
            f"unknown model {name!r}: use base or tiny.en (bundled), a .pt checkpoint, a CTranslate2 model "
            f"folder, or one of {', '.join(whisper.available_models())}"
        )
    # These are openai-whisper's private tables, stable since its first release; load_model uses them.
    url, heads = whisper._MODELS[name], whisper._ALIGNMENT_HEADS[name]
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
    cached = root / Path(url).name
    if not cached.is_file():
        if not allow_download:
            raise ModelError(
                f"model {name!r} is not on this machine and nothing is downloaded without asking: use "
                f"a bundled model (base, tiny.en), or fetch it once with `--download` while online"
            )
        try:
            cached = Path(whisper._download(url, str(root), in_memory=False))
        except (OSError, RuntimeError) as e:
            raise ModelError(f"could not download {name!r}: {e}") from e
    return OpenAIWhisperTranscriber(
        cached, beam_size=beam_size, threads=threads, model_name=name, alignment_heads=heads
    )


def _segment(raw: dict[str, Any]) -> Segment:
    words = tuple(
        Word(text=w["word"].strip(), start_s=round(float(w["start"]), 3),
             end_s=round(float(w["end"]), 3), probability=round(float(w["probability"]), 4))
        for w in raw.get("words", ())
        if w["word"].strip()
    )
    return Segment(
        text=raw["text"].strip(), start_s=round(float(raw["start"]), 3),
        end_s=round(float(raw["end"]), 3), words=words,
    )
