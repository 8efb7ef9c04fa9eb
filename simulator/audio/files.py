"""Reading answers from audio files of any common format, rate and channel count.

Decoding goes through PyAV (FFmpeg's libraries, already a dependency of faster-whisper), so WAV, FLAC,
OGG, MP3 and M4A all work without an ``ffmpeg`` binary. Every way a file can be wrong becomes an
:class:`AudioInputError` with one readable line; the decoder stops as soon as a file passes the length
limit, so a huge file cannot exhaust memory.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.audio.clip import SAMPLE_RATE, AudioClip
from simulator.errors import AudioInputError

MAX_DURATION_S = 15 * 60
"""Longest answer accepted: far beyond any interview answer, short enough to transcribe in a minute."""


def read_audio(path: str | Path, *, max_duration_s: float = MAX_DURATION_S) -> AudioClip:
    """Decode ``path`` to a 16 kHz mono float32 :class:`AudioClip`.

    Raises:
        AudioInputError: missing, unreadable, not audio, empty, silent-length zero, or too long.
    """
    path = Path(path)
    try:
        if not path.exists():
            raise AudioInputError(f"{path}: no such file")
        if path.is_dir():
            raise AudioInputError(f"{path}: is a folder, not an audio file")
        if path.stat().st_size == 0:
            raise AudioInputError(f"{path}: the file is empty")
    except PermissionError as e:  # a folder on the way cannot be entered
        raise AudioInputError(f"{path}: permission denied (a folder on its path cannot be opened)") from e
    except OSError as e:
        raise AudioInputError(f"{path}: cannot read it ({e.strerror or e})") from e

    import av  # noqa: PLC0415 - PyAV is heavy to import; only when a file is read

    try:
        container = av.open(str(path), metadata_errors="ignore")
    except PermissionError as e:
        raise AudioInputError(f"{path}: permission denied") from e
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as e:
        raise AudioInputError(f"{path}: not a readable audio file ({_reason(e)})") from e

    with container:
        if not container.streams.audio:
            raise AudioInputError(f"{path}: contains no audio stream")
        declared = _declared_duration_s(container)
        if declared is not None and declared > max_duration_s:
            raise _too_long(path, declared, max_duration_s)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        limit = int((max_duration_s + 1) * SAMPLE_RATE)
        # Decoded straight into one buffer of the longest accepted length: its pages are only
        # backed by memory once written, so a short file costs what it holds, and a long one is
        # never held twice (a list of chunks and their concatenation) on the way.
        buf = np.empty(limit + 10 * SAMPLE_RATE, np.float32)
        total = 0
        try:
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    total = _append(buf, total, out.to_ndarray().reshape(-1))
                if total > limit:
                    raise _too_long(path, total / SAMPLE_RATE, max_duration_s)
            for out in resampler.resample(None):
                total = _append(buf, total, out.to_ndarray().reshape(-1))
        except _BufferFull:
            raise _too_long(path, total / SAMPLE_RATE, max_duration_s) from None
        except (av.error.FFmpegError, ValueError) as e:
            raise AudioInputError(f"{path}: the audio is corrupt ({_reason(e)})") from e

    samples = buf[:total]
    if len(samples) == 0:
        raise AudioInputError(f"{path}: contains no audio samples (zero length)")
    if len(samples) > max_duration_s * SAMPLE_RATE:
        raise _too_long(path, len(samples) / SAMPLE_RATE, max_duration_s)
    repair_non_finite(samples, path)
    return AudioClip(np.clip(samples, -1.0, 1.0, out=samples), source=str(path))


MAX_NON_FINITE = 0.01
"""Largest share of NaN/inf samples repaired (set to 0); a file with more is refused as damaged."""


def repair_non_finite(samples: np.ndarray, path: str | Path) -> None:
    """Set NaN and infinite samples of a float file to 0, in place: one bad sample must not turn
    the whole answer into silence (Whisper's VAD and every level computed from the samples would
    be NaN). The resampler smears each over a few milliseconds, which are zeroed too.

    Raises:
        AudioInputError: more than :data:`MAX_NON_FINITE` of the samples are not finite.
    """
    bad = ~np.isfinite(samples)
    n = int(np.count_nonzero(bad))
    if n == 0:
        return
    if n > MAX_NON_FINITE * len(samples):
        raise AudioInputError(
            f"{path}: the audio is damaged: {100 * n / len(samples):.1f}% of its samples are not finite "
            f"numbers (NaN or infinity)"
        )
    samples[bad] = 0.0


class _BufferFull(Exception):
    pass


def _append(buf: np.ndarray, total: int, chunk: np.ndarray) -> int:
    end = total + len(chunk)
    if end > len(buf):
        raise _BufferFull
    buf[total:end] = chunk
    return end


def _declared_duration_s(container) -> float | None:  # noqa: ANN001 - av.container.InputContainer
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None


def _too_long(path: Path, duration_s: float, max_duration_s: float) -> AudioInputError:
    return AudioInputError(
        f"{path}: the recording is {duration_s / 60:.1f} minutes long; the limit is "
        f"{max_duration_s / 60:.0f} minutes (cut it to one answer)"
    )


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # FFmpeg messages look like "[Errno 1094995529] Invalid data found when processing input: 'x.wav'"
    if "] " in text:
        text = text.split("] ", 1)[1]
    return text.split(": '", 1)[0]
