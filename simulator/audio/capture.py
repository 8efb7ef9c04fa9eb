"""Live audio in: a microphone through sounddevice, or a fake source for tests and benchmarks.

An :class:`AudioSource` hands out 16 kHz mono float32 blocks. The sounddevice callback only copies
the block into a queue and counts overflows (python-sounddevice's recording example); everything
else — resampling, endpointing, writing to disk, transcription — happens in the consumer's thread.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from typing import Protocol

import numpy as np

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.devices import load_sounddevice
from simulator.errors import DeviceError

BLOCK_S = 0.1
LOST_AFTER_S = 3.0
"""No block for this long after the first one means the device went away."""
FIRST_BLOCK_TIMEOUT_S = 5.0
"""The first input stream in a process can take up to ~2 s to deliver (RESEARCH.md §2)."""
MICROPHONE_WAIT_S = 2.0
"""How long a question waits for the microphone to hear before it is asked anyway (see
:func:`wait_listening`): PulseAudio's slowest first block measured 0.9 s."""


class AudioSource(Protocol):
    """Where an answer's audio comes from."""

    overflows: int

    def start(self) -> None:
        """Open the device (again: no effect). Opening can take a second, so the app opens the
        microphone while the question is spoken; when the answer starts it takes what was heard
        meanwhile off it (``backlog(keep_s)`` on a microphone, keeping the question's last seconds
        for :class:`~simulator.audio.onset.TalkOver`; ``discard()`` on a recording played back)."""

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        """The next block at 16 kHz mono float32; ``None`` if nothing arrived in time.

        Raises:
            DeviceError: the device went away.
        """

    def stop(self) -> None: ...


def wait_listening(source, timeout_s: float) -> bool:  # noqa: ANN001 - an AudioSource
    """Wait, at most ``timeout_s``, until ``source`` hears: a microphone hears nothing until its
    first block (0.2-0.9 s after it opens on a PulseAudio card; the first stream of a process is the
    slowest), and words said before that are lost. True when it hears (a source that is not a live
    device always does)."""
    ready = getattr(source, "wait_listening", None)
    return True if ready is None else ready(timeout_s)


class SoundDeviceSource:
    """A microphone via a sounddevice ``InputStream`` (callback mode)."""

    def __init__(self, device: int | str | None = None, *, block_s: float = BLOCK_S):
        self.device = device
        self.block_s = block_s
        self.overflows = 0
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._stream = None
        self._rate = SAMPLE_RATE
        self._resampler = None
        self._last_block_t: float | None = None
        self._started_t = 0.0
        self._listening = threading.Event()

    def _callback(self, indata, frames, time_info, status) -> None:  # noqa: ANN001 - PortAudio's signature
        if status.input_overflow:
            self.overflows += 1
        self._queue.put_nowait(indata[:, 0].copy())
        self._listening.set()

    def wait_listening(self, timeout_s: float) -> bool:
        """See :func:`wait_listening`."""
        return self._listening.wait(timeout_s)

    def start(self) -> None:
        if self._stream is not None:
            return  # opened early (while the question was spoken)
        sd = load_sounddevice()
        try:
            self._stream = self._open(sd, SAMPLE_RATE)
        except Exception:  # noqa: BLE001 - device may not do 16 kHz; retry at its own rate
            try:
                info = sd.query_devices(self.device, "input")
                rate = int(info["default_samplerate"])
                self._stream = self._open(sd, rate)
                import soxr  # noqa: PLC0415 - only for a device that cannot record at 16 kHz

                self._resampler = soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32")
                self._rate = rate
            except Exception as e:  # noqa: BLE001
                raise DeviceError(f"cannot open the microphone ({portaudio_reason(e)}). Choose another one "
                                  "(d in the app, --input-device on the command line), or answer by typing."
                                  ) from e
        self._started_t = time.monotonic()

    def _open(self, sd, rate: int):  # noqa: ANN001, ANN202
        stream = sd.InputStream(
            samplerate=rate, channels=1, dtype="float32", device=self.device,
            blocksize=int(rate * self.block_s), callback=self._callback,
        )
        stream.start()
        return stream

    def backlog(self, keep_s: float) -> np.ndarray:
        """Take the audio captured so far off the queue and return its newest ``keep_s`` seconds at
        16 kHz (the rest is dropped): the end of the question, in case the candidate spoke over it
        (:class:`~simulator.audio.onset.TalkOver`). Reading goes on with the live audio after it."""
        blocks = []
        while True:
            try:
                blocks.append(self._queue.get_nowait())
            except queue.Empty:
                break
        if not blocks:
            return np.zeros(0, dtype=np.float32)
        self._last_block_t = time.monotonic()
        kept = np.concatenate(blocks)[-max(1, int(keep_s * self._rate)):]
        if self._resampler is not None:
            import soxr  # noqa: PLC0415 - only for a device that cannot record at 16 kHz

            self._resampler = soxr.ResampleStream(self._rate, SAMPLE_RATE, 1, dtype="float32")
            kept = self._resampler.resample_chunk(kept)
        return kept.astype(np.float32, copy=False)

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        try:
            block = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            now = time.monotonic()
            limit = LOST_AFTER_S if self._last_block_t is not None else FIRST_BLOCK_TIMEOUT_S
            since = now - (self._last_block_t or self._started_t)
            if since > limit or (self._stream is not None and not self._stream.active):
                raise DeviceError("the microphone stopped sending audio (unplugged?). "
                                  "Your answer so far is saved; choose another device or type.") from None
            return None
        self._last_block_t = time.monotonic()
        if self._resampler is not None:
            block = self._resampler.resample_chunk(block)
        return block

    def stop(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except Exception:  # noqa: BLE001 - a lost device may fail to close; nothing to save
                pass


class ArraySource:
    """A fake microphone that plays back an array: for tests, benchmarks and file-driven runs.

    After the array it yields silence (so endpointing can end the answer), unless ``lose_after_s``
    makes it fail like an unplugged device.
    """

    def __init__(self, samples: np.ndarray, *, realtime: bool = False, block_s: float = BLOCK_S,
                 trailing_silence_s: float = 30.0, lose_after_s: float | None = None, noise: float = 0.0005):
        self.samples = np.asarray(samples, dtype=np.float32)
        self.realtime = realtime
        self.block = int(block_s * SAMPLE_RATE)
        self.total = len(self.samples) + int(trailing_silence_s * SAMPLE_RATE)
        self.lose_after = int(lose_after_s * SAMPLE_RATE) if lose_after_s is not None else None
        self.noise = noise
        self.overflows = 0
        self._pos = 0
        self._t0 = 0.0
        self._rng = np.random.default_rng(0)
        self._stopped = threading.Event()

    def start(self) -> None:
        self._t0 = time.monotonic() - self._pos / SAMPLE_RATE

    def discard(self) -> int:
        """The answer starts now: the recording plays from where it is, timed from now."""
        self._t0 = time.monotonic() - self._pos / SAMPLE_RATE
        return 0

    def read(self, timeout_s: float = 0.5) -> np.ndarray | None:
        if self.lose_after is not None and self._pos >= self.lose_after:
            raise DeviceError("the microphone stopped sending audio (unplugged?).")
        if self._pos >= self.total or self._stopped.is_set():
            time.sleep(min(timeout_s, 0.05))
            return None
        if self.realtime:
            due = self._t0 + (self._pos + self.block) / SAMPLE_RATE
            wait = due - time.monotonic()
            if wait > timeout_s:
                time.sleep(timeout_s)
                return None
            if wait > 0:
                time.sleep(wait)
        lo, hi = self._pos, self._pos + self.block
        out = self._rng.normal(0.0, self.noise, self.block).astype(np.float32)
        if lo < len(self.samples):
            part = self.samples[lo:hi]
            out[: len(part)] += part
        self._pos = hi
        return out

    def stop(self) -> None:
        self._stopped.set()


def portaudio_reason(error: BaseException) -> str:
    """PortAudio's reason in words, without its error code or the stream it was opening:
    "Error opening InputStream: Invalid sample rate [PaErrorCode -9997]" -> "invalid sample rate"."""
    text = re.sub(r"\s*\[PaErrorCode -?\d+\]", "", str(error)).strip()
    text = re.sub(r"^Error (opening|starting) \w*stream:\s*", "", text, flags=re.IGNORECASE)
    return (text[:1].lower() + text[1:]) or type(error).__name__
