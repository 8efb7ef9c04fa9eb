"""The answer's audio so far, shared by the capture loop and the threads that transcribe and track it."""

from __future__ import annotations

import threading

import numpy as np


class AudioBuffer:
    """The answer so far, appended by the capture loop and sliced by the transcription thread."""

    def __init__(self) -> None:
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._cache: np.ndarray | None = None

    def append(self, block: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(block)
            self._cache = None

    def samples(self) -> np.ndarray:
        with self._lock:
            if self._cache is None:
                self._cache = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
                self._blocks = [self._cache]
            return self._cache

    def slice(self, start: int, end: int) -> np.ndarray:
        return self.samples()[start:end]
