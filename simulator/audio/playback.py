"""Audio out: play rendered speech through sounddevice so it can be stopped, skipped and replayed.

A callback-driven ``OutputStream`` (never ``sd.play`` while recording: they share one stream) feeds
the samples; :meth:`SoundDevicePlayer.stop` ends playback from any thread.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from simulator.audio.devices import load_sounddevice
from simulator.errors import DeviceError


class Player(Protocol):
    def play(self, samples: np.ndarray, sample_rate: int) -> bool:
        """Play to the end (blocking); ``False`` if stopped early."""

    def stop(self) -> None: ...


class SoundDevicePlayer:
    def __init__(self, device: int | str | None = None):
        self.device = device
        self._stop = threading.Event()

    def play(self, samples: np.ndarray, sample_rate: int) -> bool:
        sd = load_sounddevice()
        data = np.asarray(samples, dtype=np.float32).reshape(-1)
        done = threading.Event()
        pos = 0
        self._stop.clear()

        def callback(outdata, frames, time_info, status) -> None:  # noqa: ANN001
            nonlocal pos
            chunk = data[pos: pos + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk):, 0] = 0.0
            pos += frames
            if pos >= len(data) or self._stop.is_set():
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(samplerate=sample_rate, channels=1, dtype="float32", device=self.device,
                                     callback=callback, finished_callback=done.set)
            with stream:
                while not done.wait(0.05):
                    if self._stop.is_set():
                        break
        except sd.PortAudioError as e:
            raise DeviceError(f"cannot play sound: {e}. Choose another --output-device; "
                              "questions are shown on screen too.") from e
        return not self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()


class NullPlayer:
    """Plays nothing, remembers what it was given: for tests and machines without speakers."""

    def __init__(self) -> None:
        self.played: list[tuple[int, int]] = []  # (samples, rate)

    def play(self, samples: np.ndarray, sample_rate: int) -> bool:
        self.played.append((len(samples), sample_rate))
        return True

    def stop(self) -> None:
        pass
