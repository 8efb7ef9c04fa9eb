"""Replay of a stored answer: the playback clock, pause, seek and speed over a blocking player.

The app's :class:`~simulator.audio.playback.Player` plays a whole buffer (blocking) and can be
stopped; it does not say where it is. :class:`ReplayPlayback` keeps the position itself from a clock
(``time.monotonic``, a fake one in tests): ``position = start + elapsed × speed``. Seeking or changing
speed stops the player and starts it again from the new place; speed is changed by resampling the
samples (faster playback is higher-pitched, like a tape). With no audio (the file is gone) the clock
still runs, so the transcript follows along in silence. No Textual here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
import soxr

from simulator.audio.clip import SAMPLE_RATE
from simulator.audio.playback import Player

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def resample_for_speed(samples: np.ndarray, speed: float) -> np.ndarray:
    """``samples`` shortened (speed > 1) or stretched (speed < 1), as a tape played faster or slower
    would be: resampled with soxr, whose low-pass filter keeps a sped-up voice free of aliasing."""
    if speed == 1.0 or len(samples) < 2:
        return samples
    out = soxr.resample(np.asarray(samples, np.float32), SAMPLE_RATE * speed, SAMPLE_RATE, quality="HQ")
    return out.astype(np.float32, copy=False)


class ReplayPlayback:
    """Play one answer with a position that can be read, paused, moved and sped up."""

    def __init__(self, player: Player, samples: np.ndarray | None, duration_s: float, *,
                 sample_rate: int = SAMPLE_RATE, clock: Callable[[], float] = time.monotonic):
        self.player = player
        self.samples = samples
        self.sample_rate = sample_rate
        self.duration_s = max(0.0, duration_s)
        self.clock = clock
        self.speed = 1.0
        self.playing = False
        self._base_s = 0.0
        self._t0 = 0.0
        self._thread: threading.Thread | None = None
        self.error = ""

    @property
    def position_s(self) -> float:
        if not self.playing:
            return self._base_s
        pos = self._base_s + (self.clock() - self._t0) * self.speed
        if pos >= self.duration_s:
            self.playing = False
            self._base_s = self.duration_s
            return self.duration_s
        return pos

    @property
    def finished(self) -> bool:
        return self.position_s >= self.duration_s

    def play(self) -> None:
        if self.playing:
            return
        if self._base_s >= self.duration_s:
            self._base_s = 0.0  # play again from the start
        self._t0 = self.clock()
        self.playing = True
        if self.samples is not None and len(self.samples):
            start = int(self._base_s * self.sample_rate)
            chunk = resample_for_speed(self.samples[start:], self.speed)
            self._thread = threading.Thread(target=self._run, args=(chunk,), name="replay", daemon=True)
            self._thread.start()

    def _run(self, chunk: np.ndarray) -> None:
        try:
            self.player.play(chunk, self.sample_rate)
        except Exception as e:  # noqa: BLE001 - replay goes on silently; the screen shows why
            self.error = str(e)

    def pause(self) -> None:
        if not self.playing:
            return
        self._base_s = self.position_s
        self.playing = False
        self._stop_player()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, position_s: float) -> None:
        was_playing = self.playing
        self.pause()
        self._base_s = min(max(0.0, position_s), self.duration_s)
        if was_playing:
            self.play()

    def set_speed(self, speed: float) -> None:
        was_playing = self.playing
        self.pause()
        self.speed = speed
        if was_playing:
            self.play()

    def faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self.speed), self.speed))

    def slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self.speed), self.speed))

    def stop(self) -> None:
        self.pause()

    def _stop_player(self) -> None:
        self.player.stop()
        if self._thread is not None:
            # The player must notice the stop before it is started again (it shares one flag).
            self._thread.join(0.5)
            self._thread = None
