"""Listening through a drill's think time, so that an answer begun without the key is recorded whole.

The question screen runs :meth:`ThinkTimeListener.listen` on a worker thread while the think time
counts down, on the microphone opened while the question was spoken
(:class:`~simulator.audio.early_microphone.EarlyMicrophone`). When the candidate starts talking it
says so, and the answer's recording then starts with what was heard from just before the first word
(:meth:`ThinkTimeListener.hand_over`, :class:`~simulator.audio.onset.Prerolled`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from simulator.audio.capture import AudioSource
from simulator.audio.early_microphone import talked_over
from simulator.audio.onset import OnsetWatch, TalkOver

HAND_OVER_WAIT_S = 2.0
"""How long the answer waits for the listener to stop: it reads 0.1 s at a time, so it stops at once."""

Heard = Callable[[float, bool], None]
"""Told each block's level (dB) and whether the answer has begun (once, the last call)."""


class ThinkTimeListener:
    """One think time's listening: :meth:`listen` on a worker, :meth:`hand_over` when the answer starts."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._done = threading.Event()
        self._done.set()  # nothing listened to yet
        self._preroll: np.ndarray | None = None
        self.spoken_over_s = 0.0
        """How much of the answer's start was said while the question was still playing."""

    def begin(self) -> None:
        """A think time starts: call before :meth:`listen` is started on its worker."""
        self._stop.clear()
        self._done.clear()
        self._preroll = None
        self.spoken_over_s = 0.0

    def stop(self) -> None:
        self._stop.set()

    def listen(self, source: AudioSource | None, question_playing: threading.Event, heard: Heard) -> None:
        """Read ``source`` until :meth:`stop` or until an answer begins (``heard(level, True)``).

        The question just spoken is not the answer, but for words said over its end, which start
        the answer at once. While the question is asked again (``question_playing``) nothing heard
        counts. A microphone that fails ends the listening quietly: the answer opens it again and
        reports the error then."""
        watch = OnsetWatch()
        try:
            if source is None:
                return
            source = talked_over(source)
            while not self._stop.is_set():
                block = source.read(0.1)
                if block is None:
                    continue
                if getattr(source, "spoken_over_s", 0.0) and not watch.heard:  # voice ran across the end:
                    watch.begun()  # the answer began with what TalkOver handed over, all of it
                if question_playing.is_set():
                    watch = OnsetWatch()
                    continue
                if watch.feed(block):
                    heard(watch.level_db, True)
                    return
                heard(watch.level_db, False)
        except Exception:  # noqa: BLE001 - the answer opens the microphone again, and reports it then
            return
        finally:
            if isinstance(source, TalkOver):
                for block in source.take_pending():  # read from the microphone, not yet watched
                    watch.feed(block)
                self.spoken_over_s = source.spoken_over_s
            self._preroll = watch.preroll()
            self._done.set()

    def hand_over(self) -> np.ndarray | None:
        """Stop listening and take what was heard of the answer's start (``None`` when no think time
        was listened to since the last hand-over)."""
        self._stop.set()
        self._done.wait(HAND_OVER_WAIT_S)
        preroll, self._preroll = self._preroll, None
        return preroll
