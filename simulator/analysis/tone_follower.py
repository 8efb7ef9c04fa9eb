"""Tone followed while the candidate speaks, phrase by phrase on a thread of its own."""

from __future__ import annotations

import queue
import threading

from simulator.analysis.pitch import PhraseToneTracker, ToneTrack
from simulator.audio.buffer import AudioBuffer
from simulator.audio.endpoint import SpeechSegment


class ToneFollower:
    """Tracks pitch and loudness phrase by phrase on a thread of its own while the candidate speaks,
    so that the wait after the answer holds only the summary (a 5 s phrase costs about 60 ms)."""

    def __init__(self, audio: AudioBuffer):
        self.audio = audio
        self._tracker = PhraseToneTracker()
        self._jobs: queue.Queue[SpeechSegment | None] = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="tone-follower", daemon=True)
        self._thread.start()

    def add(self, segment: SpeechSegment) -> None:
        self._jobs.put(segment)

    def track(self, timeout_s: float = 30.0) -> ToneTrack | None:
        """The track of every phrase added so far (``None`` if tracking failed: tone is then
        analysed from the recording, as for a file)."""
        done = threading.Event()
        self._jobs.put(done)  # type: ignore[arg-type]
        done.wait(timeout_s)
        return None if self._error is not None or not done.is_set() else self._tracker.track()

    def stop(self) -> None:
        self._jobs.put(None)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if isinstance(job, threading.Event):
                job.set()
                continue
            if self._error is not None:
                continue
            try:
                self._tracker.add_phrase(self.audio.slice(job.start, job.end), job.start_s)
            except Exception as e:  # noqa: BLE001 - the report falls back to the whole recording
                self._error = e
